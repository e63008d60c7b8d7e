// Package netpols decides ingress isolation across the policy engines AKS
// ships (Kubernetes NetworkPolicy, Cilium and Calico policies, whose union
// admits a source when any selecting policy does; policies.go), with a
// parser for Calico's selector language (calicosel.go).
package netpols
