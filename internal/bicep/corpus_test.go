package bicep

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/testcorpus"
)

// corpusIaC is the real public infrastructure code the repository's
// ../shared sibling holds (its README lists every cluster definition in
// clusters.tsv); "" when it is not there.
var corpusIaC = testcorpus.IaCDir()

// corpusRow is one Bicep row of clusters.tsv.
type corpusRow struct {
	role, file, name, how, detail string
	line                          int
}

func readCorpusRows(t *testing.T) []corpusRow {
	t.Helper()
	_, all := testcorpus.Rows(t)
	var rows []corpusRow
	for _, r := range all {
		if r.Lang == "bicep" {
			rows = append(rows, corpusRow{role: r.Role, file: r.File, line: r.Line, name: r.Name, how: r.How, detail: r.Detail})
		}
	}
	return rows
}

// corpusMissing are files the corpus subset does not hold (they are
// outside the copied folders): each call of one is reported where it is
// made, with the reason, and nothing else is an input error.
var corpusMissing = []string{
	"utilities/e2e-template-assets/", // AVM shared test assets (modules, scripts)
}

// otherRegistry are the registry modules the corpus calls that deploy no
// cluster (an identity, a script, a registry, Flux configurations): aksguard
// cannot know that without downloading them, so each is reported at its
// call like the others (file:line → the reference).
var otherRegistry = map[string]string{
	"Azure-Samples__aks-store-demo/infra/bicep/kubernetes.bicep:96":                                                                       "br/public:avm/res/container-registry/registry:0.9.1",
	"Azure__bicep-registry-modules/avm/res/kubernetes-configuration/extension/tests/e2e/connected-cluster/dependencies.bicep:38":          "br/public:avm/res/managed-identity/user-assigned-identity:0.4.1",
	"Azure__bicep-registry-modules/avm/res/kubernetes-configuration/extension/tests/e2e/connected-cluster/dependencies.bicep:89":          "br/public:avm/res/resources/deployment-script:0.5.1",
	"Azure__bicep-registry-modules/avm/res/kubernetes-configuration/extension/main.bicep:114":                                             "br/public:avm/res/kubernetes-configuration/flux-configuration:0.3.8",
	"Azure__bicep-registry-modules/avm/res/kubernetes-configuration/flux-configuration/tests/e2e/connected-cluster/dependencies.bicep:38": "br/public:avm/res/managed-identity/user-assigned-identity:0.4.1",
	"Azure__bicep-registry-modules/avm/res/kubernetes-configuration/flux-configuration/tests/e2e/connected-cluster/dependencies.bicep:89": "br/public:avm/res/resources/deployment-script:0.5.1",
}

// expectation is what compiling one root file must give.
type expectation struct {
	clusters map[string]int // "address @ file:line" of the cluster resource → count
	registry map[string]int // "file:line" of a registry module call → count
}

// expect adds what row r of a root promises, following local modules
// through the rows of their target files; times multiplies loops.
func expect(t *testing.T, rows []corpusRow, r corpusRow, times int, e *expectation, depth int, addr string) {
	t.Helper()
	if depth > 8 {
		t.Fatalf("module chain through %s does not end", r.file)
	}
	switch {
	case strings.HasPrefix(r.how, "Bicep, direct"):
		e.clusters[addr+"resource "+r.name+" @ "+r.file+":"+strconv.Itoa(r.line)] += times
	case strings.HasPrefix(r.how, "Bicep, via registry module"):
		e.registry[r.file+":"+strconv.Itoa(r.line)] += times
	case strings.HasPrefix(r.how, "Bicep, via local module"):
		_, target, ok := strings.Cut(r.detail, "-> ")
		if !ok {
			t.Fatalf("%s: no module target in %q", r.file, r.detail)
		}
		target, _, _ = strings.Cut(target, ";")
		target = strings.TrimSpace(target)
		n := times
		if strings.Contains(r.detail, "2 iterations") {
			n *= 2
		}
		found := false
		for _, tr := range rows {
			if tr.role == "definition" && tr.file == target {
				expect(t, rows, tr, n, e, depth+1, addr+"module "+r.name+" > ")
				found = true
			}
		}
		if !found {
			t.Fatalf("%s: module target %s has no definition row", r.file, target)
		}
	default:
		t.Fatalf("%s: unknown form %q", r.file, r.how)
	}
}

// TestCorpusBicep compiles every Bicep file that clusters.tsv lists a
// cluster definition in, as the root of a deployment, and finds each
// cluster: written directly, through local modules (transitive chains,
// loops over modules), or reported as an input error at a registry module
// call; no cluster more, no other input error, and no `existing`
// reference is ever a cluster.
func TestCorpusBicep(t *testing.T) {
	rows := readCorpusRows(t)
	byFile := map[string][]corpusRow{}
	var files []string
	for _, r := range rows {
		if r.role != "definition" || !strings.HasSuffix(r.file, ".bicep") {
			continue
		}
		if byFile[r.file] == nil {
			files = append(files, r.file)
		}
		byFile[r.file] = append(byFile[r.file], r)
	}
	refs := map[string]bool{}
	for _, r := range rows {
		if r.role == "reference" && strings.HasSuffix(r.file, ".bicep") {
			refs[r.file+":"+strconv.Itoa(r.line)] = true
		}
	}
	seenOther := map[string]bool{}
	defer func() {
		for at := range otherRegistry {
			if !seenOther[at] && !t.Failed() {
				t.Errorf("otherRegistry lists %s, which no compile reported: remove it", at)
			}
		}
	}()
	sort.Strings(files)
	if len(files) < 20 {
		t.Fatalf("only %d Bicep files with definitions in clusters.tsv", len(files))
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			e := &expectation{clusters: map[string]int{}, registry: map[string]int{}}
			for _, r := range byFile[file] {
				expect(t, rows, r, 1, e, 0, "")
			}
			path := filepath.Join(corpusIaC, file)
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := Decode(path, src, ReadFile, nil)
			got := map[string]int{}
			for _, c := range b.Clusters {
				if c.Format != inventory.FormatBicep {
					t.Errorf("cluster %s: format %q", c.Name, c.Format)
				}
				rel, _ := filepath.Rel(corpusIaC, c.Source.File)
				at := rel + ":" + strconv.Itoa(c.Source.Line)
				if refs[at] {
					t.Errorf("the existing reference at %s is read as a cluster", at)
				}
				if c.BicepFile != path {
					t.Errorf("cluster %s: BicepFile %q, want %q", c.Name, c.BicepFile, path)
				}
				got[c.BicepAddress+" @ "+at]++
			}
			if fmt.Sprint(got) != fmt.Sprint(e.clusters) {
				t.Errorf("clusters %v, want %v", got, e.clusters)
			}
			gotReg := map[string]int{}
			for _, er := range b.Errors {
				rel, _ := filepath.Rel(corpusIaC, er.Input)
				at := rel + ":" + strconv.Itoa(er.Line)
				switch {
				case strings.HasPrefix(er.Message, "registry module "):
					if ref, ok := otherRegistry[at]; ok {
						if !strings.Contains(er.Message, ref) {
							t.Errorf("%s: %s, want it to name %s", at, er.Message, ref)
						}
						seenOther[at] = true
						continue
					}
					gotReg[at]++
				case missing(er.Message):
				default:
					t.Errorf("input error %s: %s", at, er.Message)
				}
			}
			// A registry module in a loop is said once per call.
			for at := range e.registry {
				if gotReg[at] == 0 {
					t.Errorf("no registry-module error at %s (got %v)", at, gotReg)
				}
				delete(gotReg, at)
			}
			for at := range gotReg {
				t.Errorf("registry-module error at %s, which clusters.tsv does not list as a cluster's", at)
			}
		})
	}
}

// TestCorpusBicepExisting compiles every Bicep file that clusters.tsv
// lists an existing cluster reference in: none of them is read as a
// cluster.
func TestCorpusBicepExisting(t *testing.T) {
	rows := readCorpusRows(t)
	n := 0
	for _, r := range rows {
		if r.role != "reference" || !strings.HasSuffix(r.file, ".bicep") {
			continue
		}
		n++
		path := filepath.Join(corpusIaC, r.file)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Decode(path, src, ReadFile, nil)
		for _, c := range b.Clusters {
			if c.Source.File == path && c.Source.Line == r.line {
				t.Errorf("%s:%d: the existing cluster %s is read as a cluster", r.file, r.line, r.name)
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d existing references in clusters.tsv", n)
	}
}

// missing reports whether an error is about a file the corpus does not
// hold.
func missing(msg string) bool {
	for _, m := range corpusMissing {
		if strings.Contains(msg, m) && strings.Contains(msg, "no such file or directory") {
			return true
		}
	}
	return false
}
