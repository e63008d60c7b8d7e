package manifest

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
)

// A kubeconfig (apiVersion v1, kind Config) given as input is decoded into
// an inventory.Kubeconfig: the clusters' CA certificates and the users'
// authentication methods. Only the fields below are decoded: tokens,
// passwords and client keys have no field, so they are never kept, and the
// document's bytes are wiped after decoding like a Secret's.

type kubeconfigJSON struct {
	CurrentContext string `json:"current-context"`
	Clusters       []struct {
		Name    string `json:"name"`
		Cluster struct {
			Server   string `json:"server"`
			CAData   []byte `json:"certificate-authority-data"`
			CAFile   string `json:"certificate-authority"`
			Insecure bool   `json:"insecure-skip-tls-verify"`
		} `json:"cluster"`
	} `json:"clusters"`
	Users []struct {
		Name string `json:"name"`
		User struct {
			CertData     []byte   `json:"client-certificate-data"`
			CertFile     string   `json:"client-certificate"`
			Token        presence `json:"token"`
			TokenFile    string   `json:"tokenFile"`
			Username     string   `json:"username"`
			AuthProvider *struct {
				Name string `json:"name"`
			} `json:"auth-provider"`
			Exec *struct {
				Command string   `json:"command"`
				Args    []string `json:"args"`
			} `json:"exec"`
		} `json:"user"`
	} `json:"users"`
	Contexts []struct {
		Name    string `json:"name"`
		Context struct {
			Cluster string `json:"cluster"`
			User    string `json:"user"`
		} `json:"context"`
	} `json:"contexts"`
}

func decodeKubeconfig(js []byte, src inventory.Source, _ class) (any, error) {
	var o kubeconfigJSON
	if err := unmarshal(js, &o); err != nil {
		return nil, err
	}
	kc := &inventory.Kubeconfig{Source: src, CurrentContext: o.CurrentContext}
	// Relative paths are relative to the kubeconfig, as client-go reads
	// them.
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) || src.File == "-" {
			return p
		}
		return filepath.Join(filepath.Dir(src.File), p)
	}
	for _, c := range o.Clusters {
		e := inventory.KubeconfigCluster{Name: c.Name, Server: c.Cluster.Server}
		data := c.Cluster.CAData
		switch {
		case len(data) > 0:
			e.CAPath = "clusters[" + c.Name + "].cluster.certificate-authority-data"
		case c.Cluster.CAFile != "":
			e.CAPath = "clusters[" + c.Name + "].cluster.certificate-authority (" + c.Cluster.CAFile + ")"
			var err error
			if data, err = os.ReadFile(rel(c.Cluster.CAFile)); err != nil {
				e.CertError = "the certificate-authority file " + c.Cluster.CAFile + " cannot be read (paths are relative to the kubeconfig): scan it where the file exists, or embed it with kubectl config view --raw --flatten"
			}
		default:
			e.CAPath = "clusters[" + c.Name + "].cluster"
			e.CertError = "cluster " + c.Name + " has no certificate-authority-data or certificate-authority"
			if c.Cluster.Insecure {
				e.CertError += " (insecure-skip-tls-verify is set)"
			}
		}
		if e.CertError == "" {
			e.Certificates = CertInfos(data, "cluster CA (kubeconfig "+c.Name+")")
			if len(e.Certificates) == 0 {
				e.CertError = "no PEM certificate could be read from " + e.CAPath
			}
		}
		kc.Clusters = append(kc.Clusters, e)
	}
	for _, u := range o.Users {
		a := inventory.ClientAuth{Method: inventory.AuthNone, User: u.Name}
		switch usr := u.User; {
		case usr.Exec != nil:
			a.Method, a.ExecCommand, a.ExecArgs = inventory.AuthExec, usr.Exec.Command, SafeExecArgs(usr.Exec.Args)
		case usr.AuthProvider != nil:
			a.Method, a.AuthProvider = inventory.AuthProvider, usr.AuthProvider.Name
		case len(usr.CertData) > 0 || usr.CertFile != "":
			a.Method = inventory.AuthClientCert
			data := usr.CertData
			if len(data) == 0 {
				data, _ = os.ReadFile(rel(usr.CertFile))
			}
			ClientCertSubject(&a, data)
		case bool(usr.Token.literal) || usr.TokenFile != "":
			a.Method = inventory.AuthToken
		case usr.Username != "":
			a.Method = inventory.AuthBasic
		}
		kc.Users = append(kc.Users, inventory.KubeconfigUser{Name: u.Name, Auth: a})
	}
	for _, c := range o.Contexts {
		kc.Contexts = append(kc.Contexts, inventory.KubeconfigContext{Name: c.Name, Cluster: c.Context.Cluster, User: c.Context.User})
	}
	return kc, nil
}

// CertInfos reads the public facts of the PEM certificates in data (other
// PEM blocks, private keys among them, are skipped unread).
func CertInfos(data []byte, role string) []inventory.CertInfo {
	var out []inventory.CertInfo
	for _, c := range parseCerts(data) {
		out = append(out, CertInfo(c, role))
	}
	return out
}

// CertInfo is the public facts of one certificate.
func CertInfo(c *x509.Certificate, role string) inventory.CertInfo {
	return inventory.CertInfo{Role: role, Subject: c.Subject.String(), Issuer: c.Issuer.String(),
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(), IsCA: c.IsCA}
}

// ClientCertSubject records the subject and expiry of the first
// certificate in data: Kubernetes takes its CN and O as user and groups.
func ClientCertSubject(ca *inventory.ClientAuth, data []byte) {
	for _, c := range parseCerts(data) {
		ca.CertCommonName, ca.CertOrganizations, ca.CertNotAfter = c.Subject.CommonName, c.Subject.Organization, c.NotAfter
		return
	}
}

func parseCerts(data []byte) []*x509.Certificate {
	var out []*x509.Certificate
	for len(data) > 0 {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		if c, err := x509.ParseCertificate(b.Bytes); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// secretFlag matches exec arguments whose value is a secret.
func secretFlag(a string) bool {
	a = strings.ToLower(a)
	for _, s := range []string{"secret", "password", "token", "key", "certificate"} {
		if strings.Contains(a, s) {
			return true
		}
	}
	return false
}

// SafeExecArgs drops the values of secret-looking flags of an exec plugin
// (--client-secret X, --password=X).
func SafeExecArgs(args []string) []string {
	var out []string
	skip := false
	for _, a := range args {
		if skip {
			skip = false
			out = append(out, "<redacted>")
			continue
		}
		if strings.HasPrefix(a, "-") && secretFlag(a) {
			if k, _, ok := strings.Cut(a, "="); ok {
				out = append(out, k+"=<redacted>")
				continue
			}
			skip = true
		}
		out = append(out, a)
	}
	return out
}
