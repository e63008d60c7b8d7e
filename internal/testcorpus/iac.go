// Package testcorpus is test support: it finds the shared folder beside the
// repository (../shared, in the developers' and CI's layout: fixtures and
// corpora) and reads the table of cluster definitions of its corpus of real
// public AKS infrastructure code, corpus/iac/clusters.tsv, for the readers'
// corpus tests.
package testcorpus

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Row is one row of clusters.tsv: a place where the corpus defines an AKS
// cluster (Role "definition") or refers to one ("reference").
type Row struct {
	Role string // definition, reference
	File string // relative to the corpus directory
	// Line is the row's line; 0 when the row gives a JSON pointer.
	Line    int
	Pointer string // the JSON pointer of a compiled-JSON row
	Lang    string // terraform, bicep, arm-json
	Name    string // address or symbolic name
	How     string
	Detail  string
}

// SharedDir is the shared/ folder beside the repository (the developers'
// and CI's layout), found by walking up from the working directory, or ""
// when it is not there.
func SharedDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "shared")
		if st, err := os.Stat(filepath.Join(p, "corpus")); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// IaCDir is shared/corpus/iac beside the repository, or "" when it is not
// there.
func IaCDir() string {
	sh := SharedDir()
	if sh == "" {
		return ""
	}
	p := filepath.Join(sh, "corpus", "iac")
	if st, err := os.Stat(filepath.Join(p, "clusters.tsv")); err != nil || st.IsDir() {
		return ""
	}
	return p
}

// Rows returns the corpus directory and the rows of clusters.tsv (a row the
// table lists twice, once), skipping the test when the corpus is absent.
func Rows(t testing.TB) (string, []Row) {
	t.Helper()
	dir := IaCDir()
	if dir == "" && os.Getenv("CI") != "" {
		t.Fatal("the IaC corpus (shared/corpus/iac beside the repository) is missing: CI must check it out")
	}
	if dir == "" {
		t.Skip("the IaC corpus is not here: clone the repository beside ../shared (shared/corpus/iac) to run this test")
	}
	f, err := os.Open(filepath.Join(dir, "clusters.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.FieldsPerRecord = '\t', 7
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("clusters.tsv: %v", err)
	}
	var rows []Row
	seen := map[string]bool{}
	for _, c := range recs[1:] {
		key := strings.Join(c, "\t")
		if seen[key] {
			continue
		}
		seen[key] = true
		row := Row{Role: c[0], File: c[1], Lang: c[3], Name: c[4], How: c[5], Detail: c[6]}
		if strings.HasPrefix(c[2], "/") {
			row.Pointer = c[2]
		} else if row.Line, err = strconv.Atoi(c[2]); err != nil {
			t.Fatalf("clusters.tsv: line %q of %s", c[2], c[1])
		}
		rows = append(rows, row)
	}
	return dir, rows
}
