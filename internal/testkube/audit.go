package testkube

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// Audited is a kube-apiserver of its own (not the one Main shares between a
// binary's tests) that writes an audit log: the audit-log tests perform
// actions against it and read what the server itself recorded.
type Audited struct {
	Kubeconfig string
	// Log is the path of the JSON-lines audit log (--audit-log-path).
	Log  string
	work string
}

// StartAudited starts an etcd + kube-apiserver with the audit policy given
// (YAML, audit.k8s.io/v1 Policy), logging JSON lines synchronously
// (--audit-log-mode=blocking: an event is written before the handler
// returns, no batching delay). It is stopped when the test ends. Without
// the binaries it skips (fails under CI=true), as Kubeconfig does.
func StartAudited(t testing.TB, policy []byte) *Audited {
	t.Helper()
	dir := t.TempDir()
	pol := filepath.Join(dir, "audit-policy.yaml")
	logf := filepath.Join(dir, "audit.log")
	if err := os.WriteFile(pol, policy, 0o600); err != nil {
		t.Fatal(err)
	}
	kc, work, stop, err := launch("--audit-policy-file="+pol, "--audit-log-path="+logf,
		"--audit-log-format=json", "--audit-log-mode=blocking", "--audit-log-maxbackup=0", "--audit-log-maxsize=0")
	if err != nil {
		msg := "no audited kube-apiserver for this test: " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true: failing instead of skipping)")
		}
		t.Skip(msg)
	}
	t.Cleanup(stop)
	return &Audited{Kubeconfig: kc, Log: logf, work: work}
}

// Admin is the script's admin identity (client certificate
// CN=kubeapi-admin, O=system:masters).
func (a *Audited) Admin(t testing.TB) *rest.Config {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", a.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	cfg.QPS, cfg.Burst = 200, 400
	return cfg
}

// Anonymous is a configuration with the server's CA and no credentials:
// the server authenticates its requests as system:anonymous.
func (a *Audited) Anonymous(t testing.TB) *rest.Config {
	t.Helper()
	admin := a.Admin(t)
	return &rest.Config{Host: admin.Host, TLSClientConfig: rest.TLSClientConfig{CAData: admin.CAData, CAFile: admin.CAFile},
		QPS: 200, Burst: 400}
}

// User is a configuration authenticating as a user of its own: a client
// certificate (CN=name, O=each group) signed by the server's client CA, so
// the audit log records that user as authenticated, not impersonated.
func (a *Audited) User(t testing.TB, name string, groups ...string) *rest.Config {
	t.Helper()
	caCert, caKey := a.ca(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name, Organization: groups},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cfg := a.Anonymous(t)
	cfg.CertData = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	cfg.KeyData = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	return cfg
}

// ca reads the client CA hack/kubeapi.sh generated.
func (a *Audited) ca(t testing.TB) (*x509.Certificate, any) {
	t.Helper()
	cb, err := os.ReadFile(filepath.Join(a.work, "pki", "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	kb, err := os.ReadFile(filepath.Join(a.work, "pki", "ca.key"))
	if err != nil {
		t.Fatal(err)
	}
	cp, _ := pem.Decode(cb)
	kp, _ := pem.Decode(kb)
	if cp == nil || kp == nil {
		t.Fatal("the server's CA files are not PEM")
	}
	cert, err := x509.ParseCertificate(cp.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	var key any
	switch kp.Type {
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(kp.Bytes)
	default:
		key, err = x509.ParsePKCS8PrivateKey(kp.Bytes)
	}
	if err != nil {
		t.Fatal(fmt.Errorf("the server's CA key: %w", err))
	}
	return cert, key
}
