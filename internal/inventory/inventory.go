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
	// Warnings are inputs that were read but could not be used: companion
	// data whose cluster is not part of the scan (a folder of node pools or
	// diagnostic settings scanned on its own). They do not make the scan
	// fail; the controls that would have read them say not-assessed.
	Warnings []InputError
	// Skipped counts inputs that were read but were not of a kind aksguard
	// scans (e.g. a values.yaml), by reason.
	Skipped map[string]int

	// Kube holds the Kubernetes objects read; nil when Kubernetes is false.
	Kube *Kube
	// Kubeconfigs are the kubeconfig files of the scan.
	Kubeconfigs []*Kubeconfig

	// KubeOwner is the cluster of the scan the Kubernetes input (Kube)
	// belongs to and why, decided once by the join.
	KubeOwner KubeOwner

	// KubeByFolder is set when the scan holds several clusters and its
	// Kubernetes inputs were attributed to them by folder (the nearest
	// ancestor folder of a manifest that holds exactly one cluster): one
	// part per cluster with Kubernetes input, by its primary view, and one
	// part (Owner.Cluster nil) for the input attributed to no cluster. The
	// engine then judges each cluster with its own objects. Kube still
	// holds everything.
	KubeByFolder []KubePart `json:"-"`

	// Audit is what the scan's audit-log inputs covered and what the audit
	// controls' observers accumulated from their events; nil when the scan
	// read no audit log.
	Audit *AuditLog
}

// InputError is a problem with one input: it names the input, the place and
// what to do. One bad input never stops the others.
type InputError struct {
	Input   string `json:"input"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
	// Internal marks a failure of aksguard itself (a recovered panic):
	// the scan then exits 3, not 2.
	Internal bool `json:"-"`
}

func (e InputError) Error() string {
	if e.Line > 0 {
		return e.Input + ":" + strconv.Itoa(e.Line) + ": " + e.Message
	}
	return e.Input + ": " + e.Message
}
