// Package terraform maps Terraform into the inventory model: the JSON that
// `terraform show -json` prints for a plan or a state (DecodePlanJSON), and a
// directory of .tf files read statically (DecodeHCLDir).
//
// Both readers expose a resource as a block (block.go) and share one mapping
// of azurerm arguments to the model (mapping.go) and one join of node pools
// and diagnostic settings to their cluster (join.go). A pool or setting whose
// cluster is in another input leaves through Batch.Pools / Batch.Diagnostics
// with the cluster's ARM ID or "tf:ADDRESS", for the cross-input join.
// Field paths use the Terraform vocabulary:
// azurerm_kubernetes_cluster.main.api_server_access_profile[0].authorized_ip_ranges.
//
// Values never leave as evidence when Terraform marks them sensitive (plan
// after_sensitive / sensitive_values, HCL variables with sensitive = true):
// such fields are Unknown with a reason that names the argument only. The
// service principal's client_secret is never read.
package terraform
