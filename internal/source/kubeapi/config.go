// Package kubeapi reads a live Kubernetes API server into the inventory:
// one paginated LIST per kind, kinds fetched concurrently, Secrets as
// metadata only. The lists go through the same decoder as manifest files,
// so a control judges a live object exactly as it judges the same object
// written in a file.
package kubeapi

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/manifest"
)

// Options say which cluster to read and how.
type Options struct {
	// Kubeconfig is the kubeconfig file; "" follows client-go's rules
	// (KUBECONFIG, merged, else ~/.kube/config, else in-cluster).
	Kubeconfig string
	// Context is the kubeconfig context; "" is the current one.
	Context string
	// Timeout bounds the whole read (0: 2 minutes).
	Timeout time.Duration
	// QPS and Burst limit the client's request rate (0: 50 and 100).
	QPS   float32
	Burst int
	// PageSize is the LIST limit (0: 500).
	PageSize int64
	// Concurrency is how many kinds are listed at once (0: 8).
	Concurrency int
	// MaxPageBytes caps one LIST page's body (0: DefaultMaxPageBytes). A
	// larger page is asked for again with half the limit, down to one
	// object; an object larger than the cap marks its kind unread.
	MaxPageBytes int64
	// MaxObjects caps the objects read of one kind (0: DefaultMaxObjects);
	// a kind with more is marked unread, never judged from a part.
	MaxObjects int
	// Progress, when set, is called after each kind is listed with the
	// number of kinds done and the total (from several goroutines).
	Progress func(done, total int)
	// Config, when set, is used instead of a kubeconfig (tests, and
	// callers that built one already); API facts then come from it alone.
	Config *rest.Config
}

// Conn is a resolved connection: the client configuration and what the
// kubeconfig says about authentication and the cluster CA.
type Conn struct {
	Config *rest.Config
	API    *inventory.APIServer
}

// Connect resolves the kubeconfig (or in-cluster configuration) without
// contacting the server.
func Connect(o Options) (*Conn, error) {
	if o.Config != nil {
		cfg := rest.CopyConfig(o.Config)
		api := &inventory.APIServer{Server: cfg.Host, Auth: authOfRest(cfg)}
		api.Certificates = caCerts(cfg.TLSClientConfig.CAData, cfg.TLSClientConfig.CAFile, "cluster CA (client configuration)")
		tune(cfg, o)
		return &Conn{Config: cfg, API: api}, nil
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if o.Kubeconfig != "" {
		rules.ExplicitPath = o.Kubeconfig
	}
	over := &clientcmd.ConfigOverrides{CurrentContext: o.Context}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, over)
	cfg, err := cc.ClientConfig()
	if err != nil {
		return nil, connectError(o, err)
	}
	api := &inventory.APIServer{Server: cfg.Host}
	raw, rerr := cc.RawConfig()
	switch {
	case rerr == nil && len(raw.Contexts) > 0:
		name := o.Context
		if name == "" {
			name = raw.CurrentContext
		}
		api.Context = name
		api.Kubeconfig = strings.Join(rules.GetLoadingPrecedence(), string(os.PathListSeparator))
		if o.Kubeconfig != "" {
			api.Kubeconfig = o.Kubeconfig
		}
		api.Auth = authOfRest(cfg)
		if ctx := raw.Contexts[name]; ctx != nil {
			api.Auth.User = ctx.AuthInfo
			if cl := raw.Clusters[ctx.Cluster]; cl != nil {
				api.Certificates = caCerts(cl.CertificateAuthorityData, cl.CertificateAuthority, "cluster CA (kubeconfig)")
			}
		}
	default:
		// No kubeconfig: client-go fell back to the pod's service account.
		api.InCluster = true
		api.Auth = inventory.ClientAuth{Method: inventory.AuthServiceToken}
		api.Certificates = caCerts(cfg.TLSClientConfig.CAData, cfg.TLSClientConfig.CAFile, "cluster CA (service account)")
	}
	tune(cfg, o)
	return &Conn{Config: cfg, API: api}, nil
}

func tune(cfg *rest.Config, o Options) {
	cfg.QPS, cfg.Burst = o.QPS, o.Burst
	if cfg.QPS == 0 {
		cfg.QPS = 50
	}
	if cfg.Burst == 0 {
		cfg.Burst = 100
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 60 * time.Second
	}
	cfg.UserAgent = "aksguard"
	// Deprecation warnings about stored objects are the server's business,
	// not a scan's output.
	cfg.WarningHandler = rest.NoWarnings{}
}

// connectError explains a kubeconfig that cannot be used, without echoing
// its contents.
func connectError(o Options, err error) error {
	where := "the kubeconfig (KUBECONFIG or ~/.kube/config)"
	if o.Kubeconfig != "" {
		where = o.Kubeconfig
	}
	if clientcmd.IsEmptyConfig(err) {
		return fmt.Errorf("%s: no kubeconfig found and not running in a pod: run az aks get-credentials, or give --kubeconfig FILE", where)
	}
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s: no such file: check the path", where)
	}
	msg := err.Error()
	if o.Context != "" && strings.Contains(msg, "context") {
		return fmt.Errorf("%s: %v: list contexts with kubectl config get-contexts", where, err)
	}
	return fmt.Errorf("%s: %v", where, err)
}

// authOfRest reads the authentication method of a client configuration
// (client-go has already loaded the kubeconfig user into it). No secret is
// kept: token and password values are not copied, exec arguments that
// follow secret-looking flags are dropped.
func authOfRest(c *rest.Config) inventory.ClientAuth {
	ca := inventory.ClientAuth{Method: inventory.AuthNone}
	switch {
	case c.ExecProvider != nil:
		ca.Method, ca.ExecCommand, ca.ExecArgs = inventory.AuthExec, c.ExecProvider.Command, manifest.SafeExecArgs(c.ExecProvider.Args)
	case c.AuthProvider != nil:
		ca.Method, ca.AuthProvider = inventory.AuthProvider, c.AuthProvider.Name
	case len(c.CertData) > 0 || c.CertFile != "":
		ca.Method = inventory.AuthClientCert
		data := c.CertData
		if len(data) == 0 {
			data, _ = os.ReadFile(c.CertFile)
		}
		manifest.ClientCertSubject(&ca, data)
	case c.BearerToken != "" || c.BearerTokenFile != "":
		ca.Method = inventory.AuthToken
	case c.Username != "":
		ca.Method = inventory.AuthBasic
	}
	return ca
}

// caCerts reads the certificates of a CA bundle (data, else file), as a
// kubeconfig file given as input is read.
func caCerts(data []byte, file, role string) []inventory.CertInfo {
	if len(data) == 0 && file != "" {
		data, _ = os.ReadFile(file)
	}
	return manifest.CertInfos(data, role)
}
