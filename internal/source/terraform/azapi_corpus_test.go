package terraform

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir finds shared/corpus/iac beside the repository (the developers'
// and CI's layout), or "".
func corpusDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "shared", "corpus", "iac")
		if st, err := os.Stat(filepath.Join(p, "clusters.tsv")); err == nil && !st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// TestAzAPICorpus: every azapi_resource cluster the corpus lists
// (clusters.tsv) is found in its directory, under its address, with its
// API version, and the directory reads without an input error.
func TestAzAPICorpus(t *testing.T) {
	root := corpusDir()
	if root == "" {
		t.Skip("no shared/corpus/iac beside the repository")
	}
	f, err := os.Open(filepath.Join(root, "clusters.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		col := strings.Split(sc.Text(), "\t")
		if len(col) < 7 || col[0] != "definition" || !strings.HasPrefix(col[4], typeAzAPI+".") {
			continue
		}
		n++
		file, addr := col[1], col[4]
		_, api, _ := strings.Cut(col[6], "@")
		api, _, _ = strings.Cut(api, ";")
		t.Run(file, func(t *testing.T) {
			b := DecodeHCLDir(filepath.Join(root, filepath.Dir(file)), nil, nil)
			for _, e := range b.Errors {
				t.Errorf("input error %s:%d: %s", e.Input, e.Line, e.Message)
			}
			found := false
			for _, c := range b.Clusters {
				if c.TFAddress != addr {
					continue
				}
				found = true
				if !c.IsAzAPI() || c.APIVersion != strings.TrimSpace(api) || filepath.Base(c.Source.File) != filepath.Base(file) || c.Source.Line != atoiOr(col[2]) {
					t.Errorf("%s: type %s api %s at %s:%d, want api %s at %s:%s", addr, c.AzAPIType, c.APIVersion, c.Source.File, c.Source.Line, api, file, col[2])
				}
			}
			if !found {
				t.Errorf("%s not found (%d clusters)", addr, len(b.Clusters))
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Errorf("%d azapi clusters listed, want the corpus's 10", n)
	}
}

func atoiOr(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return -1
		}
		n = n*10 + int(r-'0')
	}
	return n
}
