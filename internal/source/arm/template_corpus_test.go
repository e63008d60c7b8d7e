package arm

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/testcorpus"
)

// corpusDir is the shared IaC corpus the copies in testdata/corpus come
// from; TestCorpusCopiesComplete runs only where it is present.
var corpusDir = testcorpus.IaCDir()

// corpusCopies maps each compiled template that clusters.tsv lists as
// defining a managed cluster to its copy in testdata/corpus.
var corpusCopies = map[string]string{
	"Azure__bicep-registry-modules/avm/res/container-service/managed-cluster/main.json": "avm-managed-cluster.main.json",
}

// TestCorpusCopiesComplete: where the shared corpus is present, every
// arm-json definition row of its clusters.tsv has a byte-identical copy in
// testdata/corpus, so TestDecodeTemplateCorpus covers them all.
func TestCorpusCopiesComplete(t *testing.T) {
	tsv, err := os.Open(filepath.Join(corpusDir, "clusters.tsv"))
	if err != nil {
		t.Skipf("the shared IaC corpus is not here: %v", err)
	}
	defer tsv.Close()
	seen := 0
	sc := bufio.NewScanner(tsv)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 4 || f[0] != "definition" || f[3] != "arm-json" {
			continue
		}
		seen++
		cp, ok := corpusCopies[f[1]]
		if !ok {
			t.Errorf("%s defines a cluster (clusters.tsv) but has no copy in testdata/corpus", f[1])
			continue
		}
		orig, err1 := os.ReadFile(filepath.Join(corpusDir, f[1]))
		mine, err2 := os.ReadFile(filepath.Join("testdata/corpus", cp))
		if err1 != nil || err2 != nil || !bytes.Equal(orig, mine) {
			t.Errorf("testdata/corpus/%s is not a byte-identical copy of %s (%v %v)", cp, f[1], err1, err2)
		}
	}
	if seen != len(corpusCopies) {
		t.Errorf("clusters.tsv lists %d compiled templates defining a cluster, testdata/corpus holds %d", seen, len(corpusCopies))
	}
}

// TestDecodeTemplateCorpus reads every compiled ARM template (main.json)
// that the IaC corpus's clusters.tsv lists as defining a managed cluster
// (copied into testdata/corpus, see its README.md): each yields at least
// that cluster and no input error. Rows of clusters.tsv that only reference
// a cluster (`existing: true`: agent-pool/, maintenance-configuration/,
// kubernetes-configuration/ main.json) define none and are not listed.
// The template builds its agent pools, diagnostic settings and maintenance
// configurations with copy loops over its parameters.
func TestDecodeTemplateCorpus(t *testing.T) {
	cases := []struct {
		name, file, params string
		cluster            string // the cluster's name
		pools              string // agent pool resources, in order
		diagnostics        int
	}{
		// Without parameters: the name is a placeholder; the loops run over
		// nullable parameters (languageVersion 2.0), which are null when not
		// given, so coalesce() makes them empty: no pool, no setting.
		{"avm managed-cluster, no parameters", "../corpus/avm-managed-cluster.main.json", "",
			"{parameters('name')}", "", 0},
		{"avm managed-cluster, parameters", "../corpus/avm-managed-cluster.main.json", "../corpus/avm-managed-cluster.parameters.json",
			"aks-avm", "user1,user2", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := loadFixture(t, tc.file)
			b := f.decode(nil)
			if tc.params != "" {
				b = f.decode(loadParams(t, tc.params))
			}
			if len(b.Errors) != 0 {
				t.Fatalf("input errors: %v", b.Errors)
			}
			if len(b.Clusters) != 1 || b.Clusters[0].Name != tc.cluster {
				t.Fatalf("clusters %d, want %q", len(b.Clusters), tc.cluster)
			}
			id := b.Clusters[0].ID
			var pools []string
			for _, p := range b.Pools {
				pools = append(pools, p.Pool.Name)
				if p.ClusterID != id {
					t.Errorf("pool %q joins %q, not %q", p.Pool.Name, p.ClusterID, id)
				}
			}
			if strings.Join(pools, ",") != tc.pools {
				t.Errorf("pools %q, want %q", strings.Join(pools, ","), tc.pools)
			}
			if len(b.Diagnostics) != tc.diagnostics {
				t.Fatalf("diagnostic settings %d, want %d", len(b.Diagnostics), tc.diagnostics)
			}
			for _, d := range b.Diagnostics {
				if d.TargetID != id {
					t.Errorf("diagnostic setting joins %q, not %q", d.TargetID, id)
				}
				// Never a pass resting on what was not read.
				for _, l := range d.Setting.Logs {
					if l.Enabled.State == known && l.Enabled.Val && tc.params == "" {
						t.Errorf("a log category enabled from a loop of unknown count")
					}
				}
			}
		})
	}
}
