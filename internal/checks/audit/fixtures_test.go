package audit_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks" // registers the controls
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
	"github.com/aksguard/aksguard/internal/source/auditlog"
)

// TestFixtures judges every entry of testdata/<ID>/ as a scan does: the
// audit logs streamed through the control's observer by the audit-log
// reader, the other files (a cluster's az aks show output) through
// source.Load, then the engine. pass-* entries give only passes, fail-* at
// least one fail, not-assessed-* at least one not-assessed and no pass.
func TestFixtures(t *testing.T) {
	ids, err := filepath.Glob("testdata/AKS-AUD-*")
	if err != nil || len(ids) != 10 {
		t.Fatalf("want the fixtures of 10 controls, got %v (%v)", ids, err)
	}
	for _, dir := range ids {
		id := filepath.Base(dir)
		c, ok := check.Lookup(id)
		if !ok {
			t.Fatalf("%s: no control", id)
		}
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if e.Name() == "README" {
				continue
			}
			path := filepath.Join(dir, e.Name())
			t.Run(id+"/"+e.Name(), func(t *testing.T) {
				rs := scanEntry(t, c, path)
				count := map[check.Status]int{}
				var got []string
				for _, r := range rs {
					if r.Control == id {
						count[r.Status]++
						got = append(got, string(r.Status)+": "+r.Message)
					}
				}
				var ok bool
				switch {
				case strings.HasPrefix(e.Name(), "pass-"):
					ok = count[check.Pass] > 0 && count[check.Pass] == len(got)
				case strings.HasPrefix(e.Name(), "fail-"):
					ok = count[check.Fail] > 0
				case strings.HasPrefix(e.Name(), "not-assessed-"):
					ok = count[check.NotAssessed] > 0 && count[check.Pass] == 0
				default:
					t.Fatalf("entry name starts with pass-, fail- or not-assessed-")
				}
				if !ok {
					t.Errorf("got:\n  %s", strings.Join(got, "\n  "))
				}
			})
		}
	}
}

// scanEntry reads one entry (a file or a directory).
func scanEntry(t *testing.T, c *check.Control, path string) []check.Result {
	var logs, others []string
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	files := []string{path}
	if st.IsDir() {
		files, _ = filepath.Glob(filepath.Join(path, "*"))
	}
	for _, f := range files {
		if strings.HasSuffix(f, ".jsonl") {
			logs = append(logs, f)
		} else {
			others = append(others, f)
		}
	}
	inv := &inventory.Inventory{}
	if len(others) > 0 {
		inv = source.Load(others, source.Options{})
		if len(inv.Errors) > 0 {
			t.Fatalf("input errors %v", inv.Errors)
		}
	}
	obs := c.Audit(check.DefaultSettings())
	inv.Audit = &inventory.AuditLog{States: map[string]inventory.AuditObserver{c.ID: obs}}
	for _, l := range logs {
		f, err := os.Open(l)
		if err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(f)
		head, _ := br.Peek(auditlog.SniffBytes)
		res := auditlog.Read(br, auditlog.Sniff(head), auditlog.Options{Input: l, Observer: obs})
		f.Close()
		if len(res.Errors) > 0 {
			t.Fatalf("%s: %v", l, res.Errors)
		}
		inv.Audit.Inputs = append(inv.Audit.Inputs, res.Input)
	}
	return engine.Run(inv, engine.Options{Settings: check.DefaultSettings(), Now: time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)})
}
