package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlantedSecretsNeverPrinted plants a distinctive value in every input
// kind aksguard reads and in the error paths that could quote it — a
// service principal secret in az JSON and in an ARM REST body, a secure
// template parameter, a kubeconfig token and key, Secret data and
// stringData, an env value in a duplicate key, a Secret whose YAML is
// broken after its value, duplicate Azure keys holding secrets, a Terraform
// variable fed to client_secret, Helm values quoted by a failing template —
// and greps every report format, --output-file and standard error (issue
// #9). The other tests of this kind cover one reader each; this one keeps
// the whole list in one place.
func TestPlantedSecretsNeverPrinted(t *testing.T) {
	example, err := os.ReadFile("../../examples/insecure/aks-shop-prod.json")
	must(t, err)
	kubeconfig, err := os.ReadFile("../checks/testdata/kubeconfig/admin.kubeconfig.yaml")
	must(t, err)
	cluster := func(old, new string) string {
		if !strings.Contains(string(example), old) {
			t.Fatalf("the example lacks %q", old)
		}
		return strings.Replace(string(example), old, new, 1)
	}
	files := map[string]string{
		// Judged inputs: the value is read past, never kept.
		"az/cluster.json": cluster(`"clientId": "msi"`, `"clientId": "11111111-2222-3333-4444-555555555555", "secret": "Pl4ntedAzSpSecret"`),
		"template/azuredeploy.json": `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
 "parameters": {"spSecret": {"type": "securestring", "defaultValue": "Pl4ntedSecureParam"}},
 "resources": [{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2024-05-01", "name": "tpl", "location": "westeurope",
   "properties": {"dnsPrefix": "tpl", "kubernetesVersion": "1.33.2", "enableRBAC": true,
     "servicePrincipalProfile": {"clientId": "11111111-2222-3333-4444-555555555555", "secret": "[parameters('spSecret')]"},
     "agentPoolProfiles": [{"name": "sys", "count": 1, "vmSize": "Standard_D4s_v5", "mode": "System"}]}}]}`,
		"kube/admin.kubeconfig.yaml": string(kubeconfig),
		"kube/secret.yaml": `apiVersion: v1
kind: Secret
metadata: {name: db, namespace: app}
type: Opaque
stringData:
  password: Pl4ntedStringData
data:
  token: UGw0bnRlZERhdGFCYXNlNjQ=
`,
		"kube/pod.yaml": `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: app}
spec:
  containers:
  - name: c
    image: nginx:1.27
    env:
    - name: DB_PASSWORD
      value: Pl4ntedEnvPassword
`,
		"tf/main.tf": `variable "sp_secret" {
  default = "Pl4ntedTfSecret"
}
resource "azurerm_kubernetes_cluster" "tf" {
  name                = "tf"
  location            = "westeurope"
  resource_group_name = "rg"
  dns_prefix          = "tf"
  default_node_pool {
    name       = "sys"
    node_count = 1
    vm_size    = "Standard_D4s_v5"
  }
  service_principal {
    client_id     = "11111111-2222-3333-4444-555555555555"
    client_secret = var.sp_secret
  }
  tags = { note = var.sp_secret }
}
`,
		// Error paths: the input is refused; the message must not quote it.
		"bad/dup-env.yaml": `apiVersion: v1
kind: Pod
metadata: {name: dup, namespace: app}
spec:
  containers:
  - name: c
    image: nginx:1.27
    env:
    - name: API_KEY
      value: Pl4ntedDupEnvA
      value: Pl4ntedDupEnvB
`,
		"bad/broken-secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: broken, namespace: app}\nstringData:\n  password: \"Pl4ntedBrokenSecret\n  other: [\n",
		"bad/dup-azure.json":     cluster(`"clientId": "msi"`, `"clientId": "11111111-2222-3333-4444-555555555555", "secret": "Pl4ntedAzDupA", "Secret": "Pl4ntedAzDupB"`),
		"chart/Chart.yaml":       "apiVersion: v2\nname: leaky\nversion: 0.1.0\n",
		"chart/values.yaml":      "auth:\n  adminPassword: Pl4ntedHelmValue\n",
		"chart/templates/x.yaml": `{{ fail (printf "cannot use %s" .Values.auth.adminPassword) }}`,
	}
	dir := t.TempDir()
	for name, data := range files {
		write(t, dir, name, data)
	}
	planted := []string{"Pl4ntedAzSpSecret", "Pl4ntedSecureParam", "planted-kubeconfig-token", "PLANTEDKUBECONFIGKEY",
		"Pl4ntedStringData", "UGw0bnRlZERhdGFCYXNlNjQ", "Pl4ntedDataBase64", "Pl4ntedEnvPassword", "Pl4ntedTfSecret",
		"Pl4ntedDupEnv", "Pl4ntedBrokenSecret", "Pl4ntedAzDup", "Pl4ntedHelmValue"}
	for _, format := range reportFormats {
		outFile := filepath.Join(t.TempDir(), "report")
		for _, extra := range [][]string{{"--include-passed", "--include-system"}, {"--output-file", outFile, "--include-passed"}} {
			args := append([]string{"scan", "-o", format, today, "--no-config", dir}, extra...)
			code, out, errOut := runCLI(t, "", args...)
			if code != ExitError {
				t.Errorf("%s %v: exit %d, want %d (the bad inputs are input errors)\n%s", format, extra, code, ExitError, clip(errOut))
			}
			written := ""
			if extra[0] == "--output-file" {
				b, err := os.ReadFile(outFile)
				must(t, err)
				written = string(b)
			}
			for _, p := range planted {
				for where, text := range map[string]string{"stdout": out, "stderr": errOut, "--output-file": written} {
					if strings.Contains(text, p) {
						i := strings.Index(text, p)
						t.Errorf("%s %v: %s holds the planted %q: …%s…", format, extra, where, p, text[max(0, i-120):min(len(text), i+40)])
					}
				}
			}
			for _, bad := range []string{"dup-env.yaml", "broken-secret.yaml", "dup-azure.json", "chart"} {
				if !strings.Contains(out+errOut+written, bad) {
					t.Errorf("%s %v: the run does not name the refused input %s", format, extra, bad)
				}
			}
		}
	}
}
