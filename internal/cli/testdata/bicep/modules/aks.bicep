param name string
param private bool

resource cluster 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: name
  location: 'westeurope'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: name
    enableRBAC: true
    disableLocalAccounts: true
    apiServerAccessProfile: {
      enablePrivateCluster: private
    }
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        count: 3
        vmSize: 'Standard_D4ds_v5'
      }
    ]
  }
}
