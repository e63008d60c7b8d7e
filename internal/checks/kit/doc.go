// Package kit is the machinery the controls of every catalog area share:
// results on clusters and pools with evidence in the input's own vocabulary
// and a remediation rendered for the input's format (results.go), results
// on Kubernetes objects and the system-object rules (kube.go), the runners
// (PerCluster, PerKube, MixedRun for controls with an Azure and a
// Kubernetes half) and the join of the Kubernetes input to its cluster
// (kubescope.go), and the catalog area titles (areas.go).
//
// The sub-packages hold the larger derived views: rbacidx (the RBAC index),
// secctx (the effective security context of every container and the
// per-container runner), netpols (the NetworkPolicy union across Kubernetes,
// Cilium and Calico policies) and imageref (image references).
package kit
