package inventory

import "strconv"

// Inventory is everything one scan read.
type Inventory struct {
	Clusters []*Cluster
	// Registries not joined to a specific cluster (az acr show output).
	Registries []*Registry
	// Kubernetes says whether any Kubernetes input (manifests or a live API)
	// was part of the scan; checks with a Kubernetes half need it.
	Kubernetes bool
	Errors     []InputError
	// Skipped counts inputs that were read but were not of a kind aksguard
	// scans (e.g. a values.yaml), by reason.
	Skipped map[string]int

	// Kube holds the Kubernetes objects read; nil when Kubernetes is false.
	Kube *Kube
	// Kubeconfigs are the kubeconfig files of the scan.
	Kubeconfigs []*Kubeconfig
}

// InputError is a problem with one input: it names the input, the place and
// what to do. One bad input never stops the others.
type InputError struct {
	Input   string `json:"input"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

func (e InputError) Error() string {
	if e.Line > 0 {
		return e.Input + ":" + strconv.Itoa(e.Line) + ": " + e.Message
	}
	return e.Input + ": " + e.Message
}
