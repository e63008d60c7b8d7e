package terraform

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/testcorpus"
)

// TestAzAPICorpus: every azapi_resource cluster the corpus lists
// (clusters.tsv) is found in its directory, under its address, with its
// API version, and the directory reads without an input error.
func TestAzAPICorpus(t *testing.T) {
	root, rows := testcorpus.Rows(t)
	n := 0
	for _, r := range rows {
		if r.Role != "definition" || !strings.HasPrefix(r.Name, typeAzAPI+".") {
			continue
		}
		n++
		file, addr, line := r.File, r.Name, r.Line
		_, api, _ := strings.Cut(r.Detail, "@")
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
				if !c.IsAzAPI() || c.APIVersion != strings.TrimSpace(api) || filepath.Base(c.Source.File) != filepath.Base(file) || c.Source.Line != line {
					t.Errorf("%s: type %s api %s at %s:%d, want api %s at %s:%d", addr, c.AzAPIType, c.APIVersion, c.Source.File, c.Source.Line, api, file, line)
				}
			}
			if !found {
				t.Errorf("%s not found (%d clusters)", addr, len(b.Clusters))
			}
		})
	}
	if n < 10 {
		t.Errorf("%d azapi clusters listed, want the corpus's 10", n)
	}
}
