package kit

// PSAEnforce is the namespace label of Pod Security Admission's enforce
// level (read by AKS-WKL-014 and AKS-GOV-002).
const PSAEnforce = "pod-security.kubernetes.io/enforce"

// PSALevelOK reports an enforce level that denies privileged pods.
func PSALevelOK(level string) bool { return level == "baseline" || level == "restricted" }
