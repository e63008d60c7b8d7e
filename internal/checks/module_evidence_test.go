package checks_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/source"
)

// A result on a cluster declared in a Terraform module points at the line
// inside the module and names the module call in its evidence.
func TestModuleResultNamesTheCall(t *testing.T) {
	for _, tt := range []struct {
		variant, call, file, line string
	}{
		{"insecure", "module.aks[0]", filepath.Join("../../examples/insecure/terraform", "main.tf"), "3"},
		{"exposed", `module.aks["prod"]`, filepath.Join("testdata/forms/tfhcl/exposed", "main.tf"), "4"},
	} {
		t.Run(tt.variant, func(t *testing.T) {
			inv := source.Load(formPaths(t, "tfmodule", tt.variant), source.Options{})
			rs := engine.Run(inv, engine.Options{Settings: check.DefaultSettings(), Now: today})
			n := 0
			for _, r := range rs {
				if r.Status != check.Fail || r.Resource.Kind != "ManagedCluster" {
					continue
				}
				n++
				if !strings.HasPrefix(r.Resource.ID, "tf:"+tt.call+".azurerm_kubernetes_cluster.") || r.Source.File != tt.file {
					t.Errorf("%s: resource %+v at %+v, want %s… in %s", r.Control, r.Resource, r.Source, tt.call, tt.file)
				}
				want := check.Evidence{Path: tt.call, Value: "module call at " + filepath.Join("testdata/forms/tfmodule", tt.variant, "main.tf") + ":" + tt.line}
				found := false
				for _, e := range r.Evidence {
					found = found || e == want
				}
				if !found {
					t.Errorf("%s: evidence %v, want %v", r.Control, r.Evidence, want)
				}
			}
			if n == 0 {
				t.Fatal("no failing cluster result")
			}
		})
	}
}
