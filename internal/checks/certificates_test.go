package checks_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
)

func liveInv(api *inventory.APIServer) *inventory.Inventory {
	return &inventory.Inventory{Kubernetes: true, Kube: &inventory.Kube{API: api}}
}

func cert(role string, issued, expires string, ca bool) inventory.CertInfo {
	nb, _ := time.Parse("2006-01-02", issued)
	na, _ := time.Parse("2006-01-02", expires)
	return inventory.CertInfo{Role: role, Subject: "CN=test", NotBefore: nb, NotAfter: na, IsCA: ca}
}

func runOne(t *testing.T, inv *inventory.Inventory, id string) []check.Result {
	t.Helper()
	return engine.Run(inv, engine.Options{Now: mustDate(t, "2026-11-24"), Settings: check.DefaultSettings(),
		Only: map[string]bool{id: true}, IncludeSystem: true})
}

func TestCertificateLifetime(t *testing.T) {
	ca := "cluster CA (kubeconfig)"
	srv := "API server certificate (TLS handshake)"
	cases := []struct {
		name  string
		certs []inventory.CertInfo
		err   string
		want  check.Status
		msg   string
	}{
		{"fresh", []inventory.CertInfo{cert(ca, "2026-03-01", "2056-03-01", true), cert(srv, "2026-03-01", "2028-03-01", false)}, "", check.Pass, "certificates read (cluster CA (kubeconfig), API server certificate (TLS handshake)) were issued within 365 days"},
		{"old CA", []inventory.CertInfo{cert(ca, "2021-06-01", "2051-06-01", true), cert(srv, "2026-03-01", "2028-03-01", false)}, "", check.Fail, "cluster CA (kubeconfig) was issued"},
		{"old server certificate", []inventory.CertInfo{cert(ca, "2026-03-01", "2056-03-01", true), cert(srv, "2024-01-01", "2028-03-01", false)}, "", check.Fail, "API server certificate (TLS handshake) was issued"},
		{"expires soon", []inventory.CertInfo{cert(ca, "2026-03-01", "2056-03-01", true), cert(srv, "2026-03-01", "2026-12-10", false)}, "", check.Fail, "expires in 16 days"},
		{"expired", []inventory.CertInfo{cert(ca, "2026-03-01", "2026-11-01", true)}, "", check.Fail, "expired on 2026-11-01"},
		{"nothing read", nil, "TLS handshake with 10.0.0.1:443: connection refused", check.NotAssessed, "connection refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs := runOne(t, liveInv(&inventory.APIServer{Server: "https://x", Certificates: tc.certs, CertError: tc.err}), "AKS-IDN-006")
			if len(rs) != 1 || rs[0].Status != tc.want || !strings.Contains(rs[0].Message, tc.msg) {
				t.Fatalf("got %+v", rs)
			}
			if tc.want == check.Fail && !strings.Contains(rs[0].Remediation, "az aks rotate-certs") {
				t.Errorf("remediation %q", rs[0].Remediation)
			}
		})
	}
}

func TestCertificateAgeFromCreationDate(t *testing.T) {
	for _, tc := range []struct {
		created string
		want    check.Status
	}{{"2018-11-05T10:00:00Z", check.Fail}, {"2024-03-18T09:12:44Z", check.NotAssessed}} {
		c := &inventory.Cluster{Name: "c", ResourceGroup: "rg", CreatedAt: inventory.Field[string]{State: inventory.Known, Val: tc.created, Path: "systemData.createdAt"}}
		rs := runOne(t, &inventory.Inventory{Clusters: []*inventory.Cluster{c}}, "AKS-IDN-006")
		if len(rs) != 1 || rs[0].Status != tc.want {
			t.Errorf("%s: got %+v", tc.created, rs)
		}
	}
}

func TestKubeconfigAuthentication(t *testing.T) {
	cases := []struct {
		name string
		auth inventory.ClientAuth
		want check.Status
		msg  string
	}{
		{"admin certificate", inventory.ClientAuth{Method: inventory.AuthClientCert, User: "clusterAdmin_rg_aks", CertCommonName: "masterclient", CertOrganizations: []string{"system:masters"}}, check.Fail, "cluster-admin client certificate"},
		{"user certificate", inventory.ClientAuth{Method: inventory.AuthClientCert, CertCommonName: "alice", CertOrganizations: []string{"dev"}}, check.Pass, "outside system:masters"},
		{"kubelogin", inventory.ClientAuth{Method: inventory.AuthExec, ExecCommand: "kubelogin", ExecArgs: []string{"get-token", "--login", "azurecli"}}, check.Pass, "(Entra ID)"},
		{"in cluster", inventory.ClientAuth{Method: inventory.AuthServiceToken}, check.NotApplicable, "service account"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs := runOne(t, liveInv(&inventory.APIServer{Server: "https://x", Context: "prod", Auth: tc.auth}), "AKS-IDN-007")
			if len(rs) != 1 || rs[0].Status != tc.want || !strings.Contains(rs[0].Message, tc.msg) {
				t.Fatalf("got %+v", rs)
			}
		})
	}
	// Without a live connection there is no kubeconfig in use: the engine
	// says the control needs one instead of staying silent.
	if rs := runOne(t, &inventory.Inventory{Kubernetes: true, Kube: &inventory.Kube{}}, "AKS-IDN-007"); len(rs) != 1 ||
		rs[0].Status != check.NotAssessed || !strings.Contains(rs[0].Message, "needs a live connection") {
		t.Errorf("manifests alone: %+v", rs)
	}
}
