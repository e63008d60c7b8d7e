package upgrades

// AKS-UPG-008: nodes waiting for a reboot, from kured's signals
// (../shared/reference §6): the node annotation
// weave.works/kured-reboot-in-progress (RFC3339, set with --annotate-nodes)
// and the lock kured keeps as an annotation on its own DaemonSet.

const (
	kuredInProgress = "weave.works/kured-reboot-in-progress"
	kuredLastNeeded = "weave.works/kured-most-recent-reboot-needed"
	kuredLock       = "weave.works/kured-node-lock"
)
