package inventory

import "strings"

// KubeOwner records which AKS cluster of the scan a Kubernetes input
// belongs to, and why. The join (internal/source/join.go) decides it once,
// after loading; the controls and the engine only read it. The zero value
// is "belongs to no cluster" (an inventory built without the join: no
// Kubernetes input, or no cluster).
type KubeOwner struct {
	// Cluster is the first view of the cluster the input belongs to; nil
	// when it belongs to none.
	Cluster *Cluster `json:"-"`
	// Views are the clusters of the scan whose Azure half is judged with
	// the input: Cluster and its other views (Cluster.Primary), or every
	// cluster of the scan when they all carry one name.
	Views []*Cluster `json:"-"`
	// Reason says why the input belongs to Cluster, or to none. With
	// clusters in the scan and none chosen, it is the sentence a control
	// gives for the Kubernetes half it could not judge on those clusters.
	Reason string `json:"reason,omitempty"`
}

// Owns reports whether the input belongs to cluster c (one of its views).
func (o KubeOwner) Owns(c *Cluster) bool {
	for _, v := range o.Views {
		if v == c {
			return true
		}
	}
	return false
}

// KubePart is the Kubernetes input the join attributed to one cluster by
// folder (Owner.Cluster), or to none.
type KubePart struct {
	Kube  *Kube
	Owner KubeOwner
}

// SameName reports whether every cluster of the scan has one name: the same
// cluster read in several forms (az JSON and Terraform side by side), to
// which the scan's Kubernetes input then belongs as a whole.
func SameName(cs []*Cluster) bool {
	if len(cs) == 0 {
		return false
	}
	for _, c := range cs[1:] {
		if c.Name == "" || !strings.EqualFold(c.Name, cs[0].Name) {
			return false
		}
	}
	return len(cs) > 0 && cs[0].Name != ""
}
