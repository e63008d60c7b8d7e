// Package rbacidx is the RBAC index the RBAC, dashboard, identity and
// service-account-token controls share (built once per evaluation), rule
// matching as the Kubernetes RBAC authorizer does it, the built-in
// ClusterRoles, and the evidence and remediation of results on RBAC
// objects (evidence.go).
package rbacidx
