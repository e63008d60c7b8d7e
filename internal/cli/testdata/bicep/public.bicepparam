using 'main.bicep'

param clusterName = 'aks-bicep-public'
param privateCluster = false
