package scan

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/aksguard/aksguard/internal/inventory"
)

func TestAzureHalfMissing(t *testing.T) {
	node := &inventory.Node{ProviderID: "azure:///subscriptions/1111-2222/resourceGroups/MC_rg-prod_aks-prod_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/aks-sys-1/virtualMachines/0"}
	live := &inventory.Kube{API: &inventory.APIServer{Server: "https://x"}, Nodes: []*inventory.Node{node}}
	cases := []struct {
		name string
		inv  *inventory.Inventory
		want []string
	}{
		{"live, no Azure input", &inventory.Inventory{Kube: live}, []string{"--azure-cluster", "subscription 1111-2222", "MC_rg-prod_aks-prod_westeurope"}},
		{"live with the cluster", &inventory.Inventory{Kube: live, Clusters: []*inventory.Cluster{{Name: "aks-prod"}}}, nil},
		{"manifests only", &inventory.Inventory{Kube: &inventory.Kube{}}, nil},
	}
	for _, tc := range cases {
		got := azureHalfMissing(tc.inv)
		if (got == "") != (tc.want == nil) {
			t.Errorf("%s: %q", tc.name, got)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tc.name, got, w)
			}
		}
	}
	if got := imageHosts(&inventory.Kube{Workloads: []*inventory.Workload{{Spec: podSpec("Contoso.azurecr.io/shop:1", "nginx:1.27", "mcr.microsoft.com/oss/kured:1")}}}); strings.Join(got, ",") != "contoso.azurecr.io,docker.io,mcr.microsoft.com" {
		t.Errorf("imageHosts = %v", got)
	}
}

func podSpec(images ...string) *corev1.PodSpec {
	s := &corev1.PodSpec{}
	for _, im := range images {
		s.Containers = append(s.Containers, corev1.Container{Name: "c", Image: im})
	}
	return s
}
