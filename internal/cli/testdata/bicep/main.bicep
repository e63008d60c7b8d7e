// A cluster written through a local module (aksguard's own test data).
param clusterName string = 'aks-bicep'
param privateCluster bool = true

module aks 'modules/aks.bicep' = {
  name: 'aks'
  params: {
    name: clusterName
    private: privateCluster
  }
}
