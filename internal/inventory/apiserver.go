package inventory

import "time"

// APIServer describes the live Kubernetes API server a scan read, and how
// aksguard reached it: what AKS-IDN-006 (certificate lifetime) and
// AKS-IDN-007 (kubeconfig authentication) judge.
type APIServer struct {
	// Server is the API server URL; Context the kubeconfig context used
	// ("" in-cluster).
	Server  string
	Context string
	// Kubeconfig names the kubeconfig file(s) read, for evidence.
	Kubeconfig string
	// InCluster is set when aksguard runs in a pod with its service
	// account (no kubeconfig).
	InCluster bool
	// Version is the server's gitVersion (e.g. v1.33.2).
	Version string
	// Auth is how the kubeconfig's user authenticates.
	Auth ClientAuth
	// Certificates are the cluster CA certificates from the kubeconfig and
	// the certificate chain the API server presented in the TLS handshake.
	Certificates []CertInfo
	// CertError says why certificates could not be read (no CA data and
	// the handshake failed, say); "" otherwise.
	CertError string
}

// Authentication methods of a kubeconfig user.
const (
	AuthClientCert   = "client-certificate"
	AuthExec         = "exec"
	AuthProvider     = "auth-provider"
	AuthToken        = "token"
	AuthBasic        = "basic"
	AuthServiceToken = "in-cluster service account token"
	AuthNone         = "none"
)

// ClientAuth is the kubeconfig user's authentication method, without any
// secret: the kind, the exec plugin's command and arguments that are not
// secrets, and a client certificate's subject.
type ClientAuth struct {
	Method string
	User   string // the kubeconfig user entry's name
	// ExecCommand is the exec plugin (kubelogin, az, ...), ExecArgs its
	// arguments with values of secret-looking flags removed.
	ExecCommand string
	ExecArgs    []string
	// AuthProvider is the legacy auth-provider's name (azure, oidc).
	AuthProvider string
	// CertCommonName and CertOrganizations are the client certificate's
	// subject: Kubernetes takes them as the user name and groups.
	CertCommonName    string
	CertOrganizations []string
	CertNotAfter      time.Time
}

// CertInfo is one certificate's public facts.
type CertInfo struct {
	// Role says where it came from: "cluster CA (kubeconfig)", "API server
	// certificate (TLS handshake)", "CA (TLS handshake)".
	Role      string
	Subject   string
	Issuer    string
	NotBefore time.Time
	NotAfter  time.Time
	IsCA      bool
}

// Kubeconfig is a kubeconfig file given as input (YAML or JSON, kind
// Config): its clusters' CA certificates and its users' authentication
// methods, for AKS-IDN-006 and AKS-IDN-007. No credential is kept: tokens,
// passwords and private keys are never decoded, and of a client
// certificate only its subject and expiry are.
type Kubeconfig struct {
	Source         Source
	CurrentContext string
	Clusters       []KubeconfigCluster
	Users          []KubeconfigUser
	Contexts       []KubeconfigContext
}

// KubeconfigCluster is one entry of clusters.
type KubeconfigCluster struct {
	Name   string
	Server string
	// Certificates are the CA certificates of certificate-authority-data,
	// else of the certificate-authority file (relative to the kubeconfig).
	Certificates []CertInfo
	// CAPath names where they came from, for evidence; CertError says why
	// none could be read ("" when some were).
	CAPath    string
	CertError string
}

// KubeconfigUser is one entry of users: how it authenticates.
type KubeconfigUser struct {
	Name string
	Auth ClientAuth
}

// KubeconfigContext is one entry of contexts.
type KubeconfigContext struct{ Name, Cluster, User string }
