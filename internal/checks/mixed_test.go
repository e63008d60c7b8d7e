package checks_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
)

// The Kubernetes halves of the mixed controls (AKS-DSH-001, IDN-004,
// UPG-008, UPG-009, NOD-004, IMG-004), alone and combined with the shipped
// cluster files: hardened (dashboard off, workload identity on, Defender on,
// NodeImage channel, no virtual nodes) and insecure (workload identity off,
// Defender off, Unmanaged channel).

const (
	ccPayments = "ManagedCluster//aks-payments-prod"
	ccShop     = "ManagedCluster//aks-shop-prod"
	ccKubeOnly = "Cluster//kubernetes"
)

func TestDashboardDeployed(t *testing.T) {
	ccRunCases(t, []ccCase{
		{name: "add-on off, no dashboard", files: []string{ccHardenedJSON, "mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-DSH-001", ref: ccPayments, status: check.Pass}}, only: []string{"AKS-DSH-001"}},
		{name: "add-on off, dashboard deployment", files: []string{ccHardenedJSON, "mixed/dashboard.yaml"}, want: []ccWant{
			{control: "AKS-DSH-001", ref: ccPayments, status: check.Fail, msg: "Deployment/kubernetes-dashboard/kubernetes-dashboard", src: "dashboard.yaml:3"}}, only: []string{"AKS-DSH-001"}},
		{name: "add-on off, dashboard waived by annotation", files: []string{ccHardenedJSON, "mixed/dashboard-waived.yaml"}, want: []ccWant{
			{control: "AKS-DSH-001", ref: ccPayments, status: check.Waived, msg: "SEC-311"}}, only: []string{"AKS-DSH-001"}},
		{name: "kubernetes only, no dashboard", files: []string{"mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-DSH-001", ref: ccKubeOnly, status: check.NotAssessed, msg: "add-on cannot be ruled out"}}, only: []string{"AKS-DSH-001"}},
		{name: "kubernetes only, dashboard", files: []string{"dashboard/blocked.yaml"}, want: []ccWant{
			{control: "AKS-DSH-001", ref: ccKubeOnly, status: check.Fail, msg: "Deployment/kubernetes-dashboard/kubernetes-dashboard", src: "blocked.yaml:3"}}, only: []string{"AKS-DSH-001"}},
	})
}

func TestWorkloadIdentityKubernetesHalf(t *testing.T) {
	ccRunCases(t, []ccCase{
		{name: "workload identity on, no aad-pod-identity", files: []string{ccHardenedJSON, "mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-IDN-004", ref: ccPayments, status: check.Pass}}, only: []string{"AKS-IDN-004"}},
		{name: "workload identity on, aad-pod-identity objects", files: []string{ccHardenedJSON, "mixed/aad-pod-identity.yaml"}, want: []ccWant{
			{control: "AKS-IDN-004", ref: ccPayments, status: check.Fail, msg: "2 aad-pod-identity object(s)", src: "aad-pod-identity.yaml:3"}}, only: []string{"AKS-IDN-004"}},
		{name: "both halves fail", files: []string{ccInsecureJSON, "mixed/aad-pod-identity.yaml"}, want: []ccWant{
			{control: "AKS-IDN-004", ref: ccShop, status: check.Fail, msg: "workload identity is not enabled"}}, only: []string{"AKS-IDN-004"}},
		{name: "kubernetes only, objects", files: []string{"mixed/aad-pod-identity.yaml"}, want: []ccWant{
			{control: "AKS-IDN-004", ref: ccKubeOnly, status: check.Fail, msg: "pod-managed identity"}}, only: []string{"AKS-IDN-004"}},
		{name: "kubernetes only, none", files: []string{"mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-IDN-004", ref: ccKubeOnly, status: check.NotAssessed, msg: "cluster setting"}}, only: []string{"AKS-IDN-004"}},
	})
}

func TestRebootsAutomated(t *testing.T) {
	ccRunCases(t, []ccCase{
		{name: "unmanaged channel with kured", files: []string{ccInsecureJSON, "mixed/kured.yaml"}, want: []ccWant{
			{control: "AKS-UPG-009", ref: ccShop, status: check.Pass, msg: "DaemonSet/kube-system/kured"}}, only: []string{"AKS-UPG-009"}},
		{name: "unmanaged channel without kured", files: []string{ccInsecureJSON, "mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-UPG-009", ref: ccShop, status: check.Fail, msg: "no kured DaemonSet"}}, only: []string{"AKS-UPG-009"}},
		{name: "node image channel", files: []string{ccHardenedJSON, "mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-UPG-009", ref: ccPayments, status: check.NotApplicable}}, only: []string{"AKS-UPG-009"}},
		{name: "kubernetes only, kured", files: []string{"mixed/kured-locked.yaml"}, want: []ccWant{
			{control: "AKS-UPG-009", ref: ccKubeOnly, status: check.Pass}}, only: []string{"AKS-UPG-009"}},
		{name: "kubernetes only, no kured", files: []string{"mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-UPG-009", ref: ccKubeOnly, status: check.NotAssessed}}, only: []string{"AKS-UPG-009"}},
	})
}

func TestNodesWaitingForReboot(t *testing.T) {
	ccRunCases(t, []ccCase{
		{name: "kured, no lock, no node waiting", files: []string{ccInsecureJSON, "mixed/kured.yaml", "mixed/nodes.yaml"}, want: []ccWant{
			{control: "AKS-UPG-008", ref: ccShop, status: check.Pass, msg: "no node has been waiting longer than 24 h"}}, only: []string{"AKS-UPG-008"}},
		{name: "kured lock held for days", files: []string{ccInsecureJSON, "mixed/kured-locked.yaml"}, want: []ccWant{
			{control: "AKS-UPG-008", ref: "DaemonSet/kured/kured", status: check.Fail, msg: "aks-apps-31415926-vmss000002 since 2026-11-20T03:14:07Z (4 days)", src: "kured-locked.yaml:3"}},
			only: []string{"AKS-UPG-008"}},
		{name: "fresh and expired locks", files: []string{"mixed/kured-fresh-lock.yaml"}, want: []ccWant{
			{control: "AKS-UPG-008", ref: ccKubeOnly, status: check.Pass}}, only: []string{"AKS-UPG-008"}},
		{name: "node rebooting for days", files: []string{ccHardenedJSON, "mixed/kured.yaml", "mixed/nodes-rebooting.yaml"}, want: []ccWant{
			{control: "AKS-UPG-008", ref: "Node//aks-apps-31415926-vmss000000", status: check.Fail, msg: "waiting for its reboot for 3 days"}},
			only: []string{"AKS-UPG-008"}},
		{name: "node image channel, no kured", files: []string{ccHardenedJSON, "mixed/nodes.yaml"}, want: []ccWant{
			{control: "AKS-UPG-008", ref: ccPayments, status: check.Pass, msg: "NodeImage"}}, only: []string{"AKS-UPG-008"}},
		{name: "unmanaged channel, no kured: no signal source", files: []string{ccInsecureJSON, "mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-UPG-008", ref: ccShop, status: check.NotAssessed, msg: "no reboot signal source"}}, only: []string{"AKS-UPG-008"}},
		{name: "node image channel without kubernetes input", files: []string{ccHardenedJSON}, want: []ccWant{
			{control: "AKS-UPG-008", ref: ccPayments, status: check.NotAssessed, msg: "no Kubernetes input"}}, only: []string{"AKS-UPG-008"}},
		// kured's node annotations alone are no signal source (catalog:
		// pass only with a kured DaemonSet or an auto-patching channel).
		{name: "kubernetes only, kured node annotations without kured", files: []string{"mixed/nodes.yaml"}, want: []ccWant{
			{control: "AKS-UPG-008", ref: ccKubeOnly, status: check.NotAssessed, msg: "1 kured node annotation(s) found, but without kured's DaemonSet"}}, only: []string{"AKS-UPG-008"}},
		{name: "unmanaged channel, in-progress annotation of an hour, no kured", files: []string{ccInsecureJSON, "mixed/nodes-annotated-no-kured.yaml"}, want: []ccWant{
			{control: "AKS-UPG-008", ref: ccShop, status: check.NotAssessed, msg: "without kured's DaemonSet its reboot lock cannot be read"}}, only: []string{"AKS-UPG-008"}},
		{name: "kubernetes only, nothing", files: []string{"mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-UPG-008", ref: ccKubeOnly, status: check.NotAssessed}}, only: []string{"AKS-UPG-008"}},
	})
}

func TestRebootWaitSetting(t *testing.T) {
	inv := ccLoad(t, "mixed/kured.yaml", "mixed/nodes-rebooting.yaml")
	rs := ccRun(inv, func(o *engine.Options) { o.Settings.RebootWait = 100 * time.Hour })
	for _, r := range rs {
		if r.Control == "AKS-UPG-008" && (r.Status != check.Pass || ccRef(r) != ccKubeOnly) {
			t.Errorf("with a 100 h wait: %s %s (%s)", ccRef(r), r.Status, r.Message)
		}
	}
}

func TestVirtualNodesKubernetesHalf(t *testing.T) {
	ccRunCases(t, []ccCase{
		{name: "add-on off, plain nodes", files: []string{ccHardenedJSON, "mixed/nodes.yaml", "mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-NOD-004", ref: ccPayments, status: check.Pass}}, only: []string{"AKS-NOD-004"}},
		{name: "add-on off, pods on the virtual node", files: []string{ccHardenedJSON, "mixed/virtual-node.yaml"}, want: []ccWant{
			{control: "AKS-NOD-004", ref: ccPayments, status: check.Fail, msg: "Deployment/shop/aci-helloworld"}}, only: []string{"AKS-NOD-004"}},
		{name: "kubernetes only, nodes listed", files: []string{"mixed/nodes.yaml"}, want: []ccWant{
			{control: "AKS-NOD-004", ref: ccKubeOnly, status: check.Pass}}, only: []string{"AKS-NOD-004"}},
		{name: "kubernetes only, virtual node", files: []string{"mixed/virtual-node.yaml"}, want: []ccWant{
			{control: "AKS-NOD-004", ref: ccKubeOnly, status: check.Fail, msg: "Node/virtual-node-aci-linux"}}, only: []string{"AKS-NOD-004"}},
		{name: "kubernetes only, no nodes", files: []string{"mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-NOD-004", ref: ccKubeOnly, status: check.NotAssessed}}, only: []string{"AKS-NOD-004"}},
	})
}

func TestImagesScannedKubernetesHalf(t *testing.T) {
	ccRunCases(t, []ccCase{
		{name: "defender on, no reports", files: []string{ccHardenedJSON, "mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-IMG-004", ref: ccPayments, status: check.Pass, msg: "Defender"}}, only: []string{"AKS-IMG-004"}},
		{name: "defender off, no reports", files: []string{ccInsecureJSON, "mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-IMG-004", ref: ccShop, status: check.Fail, msg: "images are not scanned"}}, only: []string{"AKS-IMG-004"}},
		{name: "defender off, clean reports", files: []string{ccInsecureJSON, "mixed/vuln-clean.yaml"}, want: []ccWant{
			{control: "AKS-IMG-004", ref: ccShop, status: check.Pass, msg: "1 Trivy vulnerability reports"}}, only: []string{"AKS-IMG-004"}},
		{name: "fixable critical CVE on a deployment", files: []string{ccHardenedJSON, "mixed/vuln-critical.yaml", "mixed/vuln-clean.yaml"}, want: []ccWant{
			{control: "AKS-IMG-004", ref: "Deployment/shop/web", status: check.Fail, msg: "CVE-2024-45337", src: "vuln-critical.yaml:3"}}, only: []string{"AKS-IMG-004"}},
		{name: "kubernetes only, critical", files: []string{"mixed/vuln-critical.yaml"}, want: []ccWant{
			{control: "AKS-IMG-004", ref: "Deployment/shop/web", status: check.Fail}}, only: []string{"AKS-IMG-004"}},
		{name: "kubernetes only, clean", files: []string{"mixed/vuln-clean.yaml"}, want: []ccWant{
			{control: "AKS-IMG-004", ref: ccKubeOnly, status: check.Pass}}, only: []string{"AKS-IMG-004"}},
		{name: "kubernetes only, no reports", files: []string{"mixed/app.yaml"}, want: []ccWant{
			{control: "AKS-IMG-004", ref: ccKubeOnly, status: check.NotAssessed}}, only: []string{"AKS-IMG-004"}},
	})
}

func TestImagesScannedOwnerWithoutWorkload(t *testing.T) {
	inv := ccLoad(t, "mixed/vuln-critical.yaml")
	inv.Kube.Workloads = nil // the report alone: its owner is the ReplicaSet
	rs := ccRun(inv)
	for _, r := range rs {
		if r.Control != "AKS-IMG-004" {
			continue
		}
		if ccRef(r) != "ReplicaSet/shop/web-6b7c9d5f4" || r.Status != check.Fail || !strings.HasSuffix(r.Source.File, "vuln-critical.yaml") {
			t.Errorf("got %s %s at %s:%d", ccRef(r), r.Status, r.Source.File, r.Source.Line)
		}
	}
}

// TestKubernetesInputAttribution: with two clusters, Kubernetes input goes
// to the cluster its Nodes name, else to no cluster (the clusters' results
// say why, the Kubernetes half is judged alone on Cluster/kubernetes).
func TestKubernetesInputAttribution(t *testing.T) {
	ccRunCases(t, []ccCase{
		{name: "two clusters, unattributed", files: []string{ccHardenedJSON, ccInsecureJSON, "mixed/dashboard.yaml"}, want: []ccWant{
			{control: "AKS-DSH-001", ref: ccPayments, status: check.NotAssessed, msg: "cannot be attributed"},
			{control: "AKS-DSH-001", ref: ccShop, status: check.NotAssessed, msg: "cannot be attributed"},
			{control: "AKS-DSH-001", ref: ccKubeOnly, status: check.Fail},
			{control: "AKS-UPG-009", ref: ccShop, status: check.NotAssessed, msg: "cannot be attributed"},
			{control: "AKS-UPG-009", ref: ccPayments, status: check.NotApplicable},
			{control: "AKS-UPG-009", ref: ccKubeOnly, status: check.NotAssessed},
			{control: "AKS-IMG-004", ref: ccShop, status: check.NotAssessed, msg: "cannot be attributed"},
			{control: "AKS-GOV-002", ref: ccKubeOnly, status: check.Fail},
		}, only: []string{"AKS-DSH-001", "AKS-UPG-009"}},
		{name: "two clusters, nodes name one", files: []string{ccHardenedJSON, ccInsecureJSON, "mixed/dashboard.yaml", "mixed/nodes.yaml"}, want: []ccWant{
			{control: "AKS-DSH-001", ref: ccPayments, status: check.Fail, msg: "kubernetes-dashboard"},
			{control: "AKS-DSH-001", ref: ccShop, status: check.NotAssessed, msg: "belongs to cluster aks-payments-prod"},
			{control: "AKS-GOV-002", ref: "Cluster//aks-payments-prod", status: check.Fail},
			// The engine gives the other cluster a result instead of silence.
			{control: "AKS-GOV-002", ref: ccShop, status: check.NotAssessed, msg: "no Kubernetes input for this cluster (the scan's Kubernetes input belongs to aks-payments-prod)"},
		}, only: []string{"AKS-DSH-001", "AKS-GOV-002"}},
	})
}
