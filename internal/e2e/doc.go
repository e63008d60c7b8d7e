// Package e2e runs the aksguard command end to end against real servers:
// a kube-apiserver with etcd on loopback (internal/testkube).
package e2e
