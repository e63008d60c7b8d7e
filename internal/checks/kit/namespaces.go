package kit

// PsaEnforce is the namespace label of Pod Security Admission's enforce
// level (read by AKS-WKL-014 and AKS-GOV-002).
const PsaEnforce = "pod-security.kubernetes.io/enforce"

// PsaLevelOK reports an enforce level that denies privileged pods.
func PsaLevelOK(level string) bool { return level == "baseline" || level == "restricted" }

// CcContains reports whether xs holds s.
func CcContains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
