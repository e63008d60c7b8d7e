package terraform

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/testcorpus"
)

// corpusRow is one Terraform definition of clusters.tsv.
type corpusRow struct {
	file, name, how, detail string
	line                    int
}

// readCorpusRows returns the corpus directory and its Terraform cluster
// definitions.
func readCorpusRows(t *testing.T) (string, []corpusRow) {
	t.Helper()
	dir, all := testcorpus.Rows(t)
	var rows []corpusRow
	for _, r := range all {
		if r.Role == "definition" && r.Lang == "terraform" {
			rows = append(rows, corpusRow{file: r.File, line: r.Line, name: r.Name, how: r.How, detail: r.Detail})
		}
	}
	return dir, rows
}

// TestCorpusTerraform scans every Terraform folder of the corpus that
// declares a cluster and finds each cluster clusters.tsv lists there, at
// its address and line, with no input error beyond the expected ones.
func TestCorpusTerraform(t *testing.T) {
	corpusIaC, rows := readCorpusRows(t)
	// Forms other parts of issue #11 read. An entry here must fail to be
	// found: the test fails once it is found, so that the list is kept
	// short.
	notYet := map[string]string{}
	// Calls to registry modules the corpus does not hold (it has no
	// .terraform directory): each is reported at its call. folder → the
	// calls, in the order reported.
	notDownloaded := map[string][]string{
		// The other registry modules here have count = 0 by default (the
		// deploy_* variables), so they read nothing and need no source.
		"Azure-Samples__aks-store-demo/infra/terraform":         {"kubernetes.tf:12: module.aks"},
		"Azure__terraform-azurerm-aks/examples/without_monitor": {"disk_encryption_set.tf:10: module.public_ip"},
		"Azure__terraform-azurerm-aks/examples/named_cluster":   {"key_vault.tf:10: module.public_ip"},
		"Azure__terraform-azurerm-aks/examples/startup":         {"disk_encryption_set.tf:10: module.public_ip"},
	}
	// definitions: the clusters each module root declares directly, to
	// expect them under a call of that module.
	direct := map[string][]corpusRow{}
	for _, r := range rows {
		if r.how == "direct" || strings.HasPrefix(r.how, "direct,") {
			direct[filepath.Dir(r.file)] = append(direct[filepath.Dir(r.file)], r)
		}
	}
	byDir := map[string][]corpusRow{}
	var dirs []string
	for _, r := range rows {
		d := filepath.Dir(r.file)
		if byDir[d] == nil {
			dirs = append(dirs, d)
		}
		byDir[d] = append(byDir[d], r)
	}
	// Folders the README names as holding no cluster.
	negative := []string{"Azure__terraform/quickstart/101-aks-fleet-hubless"}
	for _, d := range negative {
		if b := DecodeHCLDir(filepath.Join(corpusIaC, d), nil, nil); len(b.Clusters)+len(b.Errors) != 0 {
			t.Errorf("%s: want no cluster and no error, got %d clusters, errors %v", d, len(b.Clusters), b.Errors)
		}
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		t.Run(d, func(t *testing.T) {
			b := DecodeHCLDir(filepath.Join(corpusIaC, d), nil, nil)
			found := map[string][]string{} // address without instance keys → file:line
			for _, c := range b.Clusters {
				rel, _ := filepath.Rel(corpusIaC, c.Source.File)
				found[stripKeys(c.TFAddress)] = append(found[stripKeys(c.TFAddress)], rel+":"+strconv.Itoa(c.Source.Line))
			}
			type want struct {
				addr, at, why string
				n             int // instances, 1 unless the row says "N instances"
			}
			var wants []want
			for _, r := range byDir[d] {
				switch {
				case notYet[r.how] != "":
					wants = append(wants, want{addr: r.name, why: notYet[r.how]})
				case r.how == "via local module":
					_, target, ok := strings.Cut(r.detail, "-> ")
					if !ok || len(direct[target]) == 0 {
						t.Fatalf("%s: module target %q declares no cluster in clusters.tsv", r.file, r.detail)
					}
					for _, def := range direct[target] {
						wants = append(wants, want{addr: r.name + "." + def.name, at: def.file + ":" + strconv.Itoa(def.line)})
					}
				case strings.HasPrefix(r.how, "via registry module"):
					// Reported as an input error at its call (notDownloaded).
				default:
					wants = append(wants, want{addr: r.name, at: r.file + ":" + strconv.Itoa(r.line), n: instancesOf(r.detail)})
				}
			}
			for _, w := range wants {
				at := found[w.addr]
				switch {
				case w.why != "" && len(at) > 0:
					t.Errorf("%s is found now: remove %q from notYet (%s)", w.addr, w.why, strings.Join(at, ", "))
				case w.why != "":
				case len(at) == 0:
					t.Errorf("%s not found (found %v)", w.addr, found)
				default:
					if n := max(w.n, 1); len(at) != n {
						t.Errorf("%s: %d clusters, want %d (one per instance)", w.addr, len(at), n)
					}
					for _, a := range at {
						if a != w.at {
							t.Errorf("%s at %s, want %s", w.addr, a, w.at)
						}
					}
				}
				delete(found, w.addr)
			}
			for addr, at := range found {
				t.Errorf("%s found at %v, which clusters.tsv does not list", addr, at)
			}
			expected := notDownloaded[d]
			var errs []string
			for _, e := range b.Errors {
				errs = append(errs, e.Error())
			}
			if len(errs) != len(expected) {
				t.Fatalf("errors:\n%s\nwant %d (not downloaded: %v)", strings.Join(errs, "\n"), len(expected), expected)
			}
			for i, e := range errs {
				if !strings.HasPrefix(e, filepath.Join(corpusIaC, d, expected[i])) || !strings.Contains(e, "is not available locally") || !strings.Contains(e, "run `terraform init`") {
					t.Errorf("error %q, want %s: … is not available locally … run `terraform init`", e, expected[i])
				}
			}
		})
	}
}

// instancesOf reads "N instances" in a clusters.tsv detail, 0 when it says
// none.
func instancesOf(detail string) int {
	f := strings.Fields(strings.ReplaceAll(detail, ";", " "))
	for i := 1; i < len(f); i++ {
		if f[i] == "instances" {
			if n, err := strconv.Atoi(f[i-1]); err == nil {
				return n
			}
		}
	}
	return 0
}
