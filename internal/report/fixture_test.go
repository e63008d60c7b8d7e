package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// fixedWorkDir pins the working directory used to relativise absolute paths.
const fixedWorkDir = "/work/repo"

func TestMain(m *testing.M) {
	workDir = func() (string, error) { return fixedWorkDir, nil }
	os.Exit(m.Run())
}

const (
	areaAccess  = "API server access and authentication"
	areaNetwork = "Network"
	areaNodes   = "Upgrades and nodes"
	areaImages  = "Governance and images"
	areaWork    = "Workloads"
)

// testControls are the rule descriptors; AKS-EXP-001 is deliberately
// missing so a rule has to be built from its result.
func testControls() []*check.Control {
	return []*check.Control{
		{ID: "AKS-UPG-003", Title: "Node pools run a supported Kubernetes version", Severity: check.Low, Area: areaNodes,
			Rationale: "Unsupported versions get no security patches.", FailsWhen: "a pool's version is out of support.",
			Remediation: "Upgrade the pool: az aks nodepool upgrade.", References: []string{"https://learn.microsoft.com/azure/aks/supported-kubernetes-versions"}},
		{ID: "AKS-ACC-001", Title: "API server not reachable from the whole internet", Severity: check.Critical, Area: areaAccess,
			Rationale: "A public API server with no IP allow-list is exposed to every attacker.", FailsWhen: "the cluster is public and authorized IP ranges are empty.",
			Remediation: "Set authorized IP ranges or make the cluster private.",
			References:  []string{"https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges", "CIS AKS 5.4.1"},
			Mappings:    check.Mappings{CIS17: []string{"5.4.1"}, CIS18: []string{"5.4.1"}, AzurePolicy: []string{"0e246bcf-5f6f-4f87-bc6f-775d4712c7ea"}}},
		{ID: "AKS-ACC-005", Title: "Local accounts disabled", Severity: check.High, Area: areaAccess,
			FailsWhen: "disableLocalAccounts is not true.", Remediation: "az aks update --disable-local-accounts",
			References: []string{"https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad"}},
		{ID: "AKS-NET-002", Title: "Network policy engine enabled (Calico/Cilium/Azure)", Severity: check.Medium, Area: areaNetwork,
			Rationale: "Without a policy engine every pod can reach every other.", FailsWhen: "networkPolicy is not set.",
			Remediation: "Create the cluster with --network-policy.", References: []string{"CIS AKS 5.4.4"}},
		{ID: "AKS-IMG-003", Title: "Container registry is private", Severity: check.High, Area: areaImages,
			FailsWhen: "the registry allows public network access or its admin user.", Remediation: "az acr update --public-network-enabled false",
			References: []string{"https://learn.microsoft.com/azure/container-registry/container-registry-private-link"}},
		{ID: "AKS-K8S-001", Title: "Containers do not run privileged", Severity: check.Medium, Area: areaWork,
			FailsWhen: "securityContext.privileged is true.", Remediation: "Remove privileged: true.",
			References: []string{"https://kubernetes.io/docs/concepts/security/pod-security-standards/"}},
		{ID: "AKS-K8S-002", Title: "No binding to cluster-admin", Severity: check.Low, Area: areaWork,
			FailsWhen: "a ClusterRoleBinding grants cluster-admin.", Remediation: "Bind a narrower role.",
			References: []string{"https://kubernetes.io/docs/reference/access-authn-authz/rbac/"}},
	}
}

var (
	prod    = check.Resource{Kind: "ManagedCluster", ID: "tf:azurerm_kubernetes_cluster.prod", Name: "aks-prod"}
	prodSys = check.Resource{Kind: "AgentPool", ID: "tf:azurerm_kubernetes_cluster.prod/agentPools/system", Name: "aks-prod/system"}
	prodUsr = check.Resource{Kind: "AgentPool", ID: "tf:azurerm_kubernetes_cluster.prod/agentPools/user", Name: "aks-prod/user"}
	dev     = check.Resource{Kind: "ManagedCluster", ID: "/subscriptions/0000/resourceGroups/rg-dev/providers/Microsoft.ContainerService/managedClusters/aks-dev", Name: "aks-dev"}
	acr     = check.Resource{Kind: "ContainerRegistry", ID: "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acrprod", Name: "acrprod"}
	pod     = check.Resource{Kind: "Deployment", Namespace: "payments", Name: "checkout-api"}
	crb     = check.Resource{Kind: "ClusterRoleBinding", Name: "ops-admins"}
)

func result(c check.Resource, id, title, area string, sev check.Severity, st check.Status, msg, file string, line int) check.Result {
	return check.Result{Control: id, Title: title, Area: area, Severity: sev, Status: st, Resource: c,
		Message: msg, Source: check.Location{File: file, Line: line}}
}

// testReport has results of every status and severity, a Terraform file,
// stdin, an absolute path inside and one outside the working directory, a
// path with a space, a result with no file, input errors and skipped inputs.
func testReport(includePassed bool) *Report {
	tfFail := result(prod, "AKS-ACC-001", "API server not reachable from the whole internet", areaAccess, check.Critical, check.Fail,
		"the API server is public and no authorized IP ranges are set, so it is reachable from any address on the internet",
		"infra/main.tf", 12)
	tfFail.Evidence = []check.Evidence{
		{Path: "api_server_access_profile.authorized_ip_ranges", Value: "not set (any address)"},
		{Path: "private_cluster_enabled", Value: "false"},
	}
	tfFail.Remediation = "In azurerm_kubernetes_cluster.prod set api_server_access_profile { authorized_ip_ranges = [\"203.0.113.0/24\"] }, then terraform apply."

	poolFail := result(prodSys, "AKS-UPG-003", "Node pools run a supported Kubernetes version", areaNodes, check.Low, check.Fail,
		"the pool runs 1.26.3, out of support since 2024-03-31", "infra/main.tf", 40)
	poolFail.Evidence = []check.Evidence{{Path: "default_node_pool.orchestrator_version", Value: "1.26.3"}}
	poolFail.Remediation = "In azurerm_kubernetes_cluster.prod set default_node_pool.orchestrator_version = \"1.30\", then terraform apply."

	waived := result(prod, "AKS-NET-002", "Network policy engine enabled (Calico/Cilium/Azure)", areaNetwork, check.Medium, check.Waived,
		"waived until 2025-06-30: migration to Cilium tracked in OPS-123 (approved by alice)", "infra/main.tf", 20)

	stdinFail := result(dev, "AKS-ACC-001", "API server not reachable from the whole internet", areaAccess, check.Critical, check.Fail,
		"the API server is public with no authorized IP ranges", "-", 5)
	stdinFail.Remediation = "az aks update -g rg-dev -n aks-dev --api-server-authorized-ip-ranges <your-ranges>"

	noFile := result(dev, "AKS-ACC-005", "Local accounts disabled", areaAccess, check.High, check.Fail,
		"local accounts are enabled", "", 0)
	noFile.Remediation = "az aks update -g rg-dev -n aks-dev --disable-local-accounts"

	acrFail := result(acr, "AKS-IMG-003", "Container registry is private", areaImages, check.High, check.Fail,
		"registry acrprod: public network access is enabled; the admin user is enabled", "/work/repo/registries/acr.json", 0)
	acrFail.Evidence = []check.Evidence{{Path: "properties.publicNetworkAccess", Value: "Enabled"}, {Path: "properties.adminUserEnabled", Value: "true"}}
	acrFail.Remediation = "az acr update -n acrprod --admin-enabled false --public-network-enabled false"

	podFail := result(pod, "AKS-K8S-001", "Containers do not run privileged", areaWork, check.Medium, check.Fail,
		"container api runs privileged", "k8s manifests/checkout.yaml", 31)
	podFail.Remediation = "Remove securityContext.privileged: true from container api."

	outside := result(prodUsr, "AKS-EXP-001", "Experimental: pool uses ephemeral OS disks", "", check.Low, check.Fail,
		"the pool uses managed OS disks", "/elsewhere/pools.json", 2)
	outside.Remediation = "az aks nodepool add --node-osdisk-type Ephemeral ..."

	results := []check.Result{
		acrFail,
		stdinFail,
		noFile,
		result(dev, "AKS-NET-002", "Network policy engine enabled (Calico/Cilium/Azure)", areaNetwork, check.Medium, check.NotApplicable,
			"the cluster uses kubenet with no pods to isolate", "-", 9),
		tfFail,
		result(prod, "AKS-ACC-005", "Local accounts disabled", areaAccess, check.High, check.Pass,
			"local accounts are disabled", "infra/main.tf", 15),
		waived,
		poolFail,
		result(prodUsr, "AKS-UPG-003", "Node pools run a supported Kubernetes version", areaNodes, check.Low, check.NotAssessed,
			"the pool's version cannot be determined from this input", "infra/main.tf", 52),
		outside,
		podFail,
		result(crb, "AKS-K8S-002", "No binding to cluster-admin", areaWork, check.Low, check.Pass,
			"ops-admins binds a namespaced role", "k8s manifests/rbac.yaml", 1),
	}
	s := Summarise(results)
	s.Clusters = 2
	s.Skipped = map[string]int{"not JSON": 2, "not an AKS document": 1}
	s.Excluded, s.ExcludedBy = 3, map[string]int{"AKS-managed or system object": 3}
	return &Report{
		Warnings:    []string{".aksguard.yaml:8: the waiver for AKS-NET-003 on \"*\" expired on 2026-01-31 and is no longer applied"},
		Tool:        Tool{Name: "aksguard", Version: "1.2.3"},
		GeneratedAt: time.Date(2025, 3, 1, 12, 30, 0, 0, time.UTC),
		Summary:     s,
		Results:     results,
		Errors: []inventory.InputError{
			{Input: "inputs/bad.json", Line: 3, Message: "invalid JSON: unexpected end of input; fix the file or regenerate it"},
			{Input: "-", Message: "no standard input to read"},
		},
		IncludePassed: includePassed,
	}
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report/ -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./internal/report/ -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

func stripANSI(s string) string { return ansiRE.ReplaceAllString(s, "") }
