// Calls a registry module whose local copy is testdata/bicep/modules/aks.bicep
// (aksguard's own test data).
module aks 'br/public:avm/res/container-service/managed-cluster:0.9.0' = {
  name: 'aks'
  params: {
    name: 'aks-from-registry'
    private: false
  }
}
