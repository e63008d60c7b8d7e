package checks_test

import (
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/source"
)

// BenchmarkEvaluate runs every control on the real corpora under testdata
// (workloads, namespaces and network objects, RBAC) and the Azure inputs of
// the verdict matrix, as a scan does after loading: the cost of the
// controls and the engine, not of reading. docs/performance.md has the
// figures.
func BenchmarkEvaluate(b *testing.B) {
	inv := source.Load([]string{"testdata/corpus", "testdata/corpus-net", "testdata/corpus-rbac", "testdata/forms"}, source.Options{})
	if len(inv.Clusters) == 0 || inv.Kube == nil {
		b.Fatalf("corpus not loaded: %d clusters, errors %v", len(inv.Clusters), inv.Errors)
	}
	opts := engine.Options{Settings: check.DefaultSettings(), Now: today}
	b.ReportAllocs()
	for b.Loop() {
		engine.Run(inv, opts)
	}
}
