package identity_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks" // registers the controls
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
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

// TestKubeconfigFile: a kubeconfig among the scanned paths (issue #8) is
// judged by AKS-IDN-006 (its clusters' CAs, data or a file relative to it)
// and AKS-IDN-007 (its contexts' users); it belongs to the scan's cluster
// of the entry's name, else to the only cluster of the scan.
func TestKubeconfigFile(t *testing.T) {
	withClusters := func(names ...string) *inventory.Inventory {
		inv := source.Load([]string{"../testdata/kubeconfig"}, source.Options{})
		if len(inv.Errors) > 0 {
			t.Fatalf("input errors: %v", inv.Errors)
		}
		for _, n := range names {
			inv.Clusters = append(inv.Clusters, &inventory.Cluster{Name: n, ResourceGroup: "rg-" + n, ID: "/subscriptions/s/resourceGroups/rg-" + n + "/providers/Microsoft.ContainerService/managedClusters/" + n})
		}
		return inv
	}
	cases := []struct {
		name     string
		clusters []string
		control  string
		resource string // Kind/Name
		want     check.Status
		contains []string
		fix      string
	}{
		{"old CA", nil, "AKS-IDN-006", "Cluster/aks-shop-prod", check.Fail, []string{"cluster CA (kubeconfig aks-shop-prod) was issued", "2022-01-10", "clusters[aks-shop-prod]"}, "az aks rotate-certs -g <resource-group> -n aks-shop-prod"},
		{"CA file relative to the kubeconfig", nil, "AKS-IDN-006", "Cluster/aks-shop-dev", check.Pass, []string{"cluster CA (kubeconfig aks-shop-dev)", "issued 2026-06-01"}, ""},
		{"no CA", nil, "AKS-IDN-006", "Cluster/no-ca", check.NotAssessed, []string{"no certificate-authority-data"}, ""},
		{"admin certificate", nil, "AKS-IDN-007", "Cluster/aks-shop-prod", check.Fail, []string{"context aks-shop-prod-admin", "system:masters", "CN=masterclient"}, "az aks get-credentials -g <resource-group> -n aks-shop-prod (without --admin)"},
		{"kubelogin", nil, "AKS-IDN-007", "Cluster/aks-shop-dev", check.Pass, []string{"kubelogin", "<redacted>"}, ""},
		{"named cluster of the scan", []string{"aks-shop-prod", "aks-other"}, "AKS-IDN-006", "ManagedCluster/aks-shop-prod", check.Fail, []string{"2022-01-10"}, "az aks rotate-certs -g rg-aks-shop-prod -n aks-shop-prod"},
		{"only cluster of the scan", []string{"aks-renamed"}, "AKS-IDN-007", "ManagedCluster/aks-renamed", check.Fail, []string{"system:masters"}, "-g rg-aks-renamed -n aks-renamed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs := runOne(t, withClusters(c.clusters...), c.control)
			textOf := func(r check.Result) string {
				text := r.Message
				for _, e := range r.Evidence {
					text += "\n" + e.Path + ": " + e.Value
				}
				return text
			}
			// The result on the resource whose text holds the first
			// expected substring.
			var got []check.Result
			for _, r := range rs {
				if r.Resource.Kind+"/"+r.Resource.Name == c.resource && strings.Contains(textOf(r), c.contains[0]) {
					got = append(got, r)
				}
			}
			if len(got) != 1 {
				t.Fatalf("want one result on %s, got %d: %+v", c.resource, len(got), rs)
			}
			r := got[0]
			text := textOf(r)
			if r.Status != c.want {
				t.Errorf("status %s, want %s: %s", r.Status, c.want, text)
			}
			for _, s := range c.contains {
				if !strings.Contains(text, s) {
					t.Errorf("%q not in %s", s, text)
				}
			}
			if !strings.Contains(r.Remediation, c.fix) {
				t.Errorf("remediation %q lacks %q", r.Remediation, c.fix)
			}
			if r.Source.File == "" || r.Source.Line == 0 {
				t.Errorf("no source: %+v", r.Source)
			}
		})
	}
}

// A cluster whose CA a kubeconfig gave is not also judged from its
// creation date, in every format it was read from.
func TestKubeconfigReplacesCreatedAt(t *testing.T) {
	for _, n := range []int{1, 2} {
		inv := source.Load([]string{"../testdata/kubeconfig/admin.kubeconfig.yaml"}, source.Options{})
		for i := 0; i < n; i++ {
			inv.Clusters = append(inv.Clusters, &inventory.Cluster{Name: "aks-shop-prod", ResourceGroup: "rg", Source: inventory.Source{File: "f" + strconv.Itoa(i), Line: 1}})
		}
		for _, r := range runOne(t, inv, "AKS-IDN-006") {
			if r.Status != check.Fail || !strings.Contains(r.Message, "cluster CA (kubeconfig aks-shop-prod)") {
				t.Errorf("%d clusters: %s %s: %s", n, r.Resource.Name, r.Status, r.Message)
			}
		}
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
