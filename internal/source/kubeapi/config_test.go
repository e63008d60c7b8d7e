package kubeapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

const kubeconfigAAD = `apiVersion: v1
kind: Config
current-context: aks-prod
clusters:
- name: aks-prod
  cluster:
    server: https://aks-prod-dns-12345.hcp.westeurope.azmk8s.io:443
contexts:
- name: aks-prod
  context: {cluster: aks-prod, user: clusterUser_rg_aks-prod}
- name: aks-admin
  context: {cluster: aks-prod, user: admin}
- name: token
  context: {cluster: aks-prod, user: bot}
users:
- name: clusterUser_rg_aks-prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --login, spn, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630, --client-secret, s3cr3t-value, --password=hunter2]
- name: admin
  user: {username: admin, password: hunter2}
- name: bot
  user: {token: tok-abcdef}
`

func TestConnectReadsAuthWithoutSecrets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(path, []byte(kubeconfigAAD), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		context, method, user string
	}{
		{"", inventory.AuthExec, "clusterUser_rg_aks-prod"},
		{"aks-admin", inventory.AuthBasic, "admin"},
		{"token", inventory.AuthToken, "bot"},
	}
	for _, tc := range cases {
		conn, err := Connect(Options{Kubeconfig: path, Context: tc.context})
		if err != nil {
			t.Fatal(err)
		}
		a := conn.API.Auth
		if a.Method != tc.method || a.User != tc.user || conn.API.Kubeconfig != path {
			t.Errorf("%q: %+v", tc.context, conn.API)
		}
		all := strings.Join(append(a.ExecArgs, a.ExecCommand, a.User, a.CertCommonName), " ")
		for _, secret := range []string{"s3cr3t-value", "hunter2", "tok-abcdef"} {
			if strings.Contains(all, secret) {
				t.Errorf("%q: the secret %s was kept: %v", tc.context, secret, all)
			}
		}
		if tc.method == inventory.AuthExec && (a.ExecCommand != "kubelogin" || !strings.Contains(all, "--server-id 6dae42f8")) {
			t.Errorf("exec: %+v", a)
		}
	}
	if _, err := Connect(Options{Kubeconfig: path, Context: "nope"}); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("unknown context: %v", err)
	}
	if _, err := Connect(Options{Kubeconfig: filepath.Join(t.TempDir(), "missing")}); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
}
