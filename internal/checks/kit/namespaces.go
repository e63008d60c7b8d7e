package kit

// The namespace- and cluster-level Kubernetes controls: AKS-NET-004
// (namespace isolation), AKS-WKL-014 (Pod Security Admission) and
// AKS-GOV-002 (admission policies).

const (
	PsaEnforce = "pod-security.kubernetes.io/enforce"
)

// psaLevelOK reports an enforce level that denies privileged pods.
func PsaLevelOK(level string) bool { return level == "baseline" || level == "restricted" }

func CcContains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
