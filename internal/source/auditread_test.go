package source

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// countObserver counts the events it sees by input. The sources call it
// from the goroutines reading several logs at once.
type countObserver struct {
	mu      sync.Mutex
	byInput map[string]int
}

func (c *countObserver) Observe(ev *inventory.AuditEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byInput == nil {
		c.byInput = map[string]int{}
	}
	c.byInput[filepath.Base(ev.Input)]++
}

const auditEvents = "auditlog/testdata/events.jsonl"

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A directory with a cluster, audit logs plain and gzip and files that
// only look like logs: the logs stream to the observer and give their
// coverage, the cluster is read beside them, the others are skipped and
// counted.
func TestLoadAuditLogDirectory(t *testing.T) {
	events, err := os.ReadFile(auditEvents)
	if err != nil {
		t.Fatal(err)
	}
	cluster, err := os.ReadFile("../checks/access/testdata/AKS-ACC-005/pass-disabled.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string][]byte{
		"cluster.json":                           cluster,
		"kube-apiserver/audit.log":               events,
		"kube-apiserver/audit-1.log.gz":          gzipped(t, events),
		"notes.log":                              []byte("2026-11-30 10:00 deployed v2\n"),
		"export.csv":                             []byte("name,size\na,1\n"),
		"backup.tar.gz":                          gzipped(t, []byte("not a log")),
		"insights-logs-kube-apiserver/PT1H.json": []byte(`{"category":"kube-apiserver","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-DEMO","time":"2026-11-30T10:00:00Z","properties":{"log":"I1130 10:00:00.000000 1 controller.go:624] started","stream":"stderr","pod":"kube-apiserver-7b9c8d-abcde"}}` + "\n"),
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	obs := &countObserver{}
	inv := Load([]string{dir}, Options{Audit: obs})
	if len(inv.Errors) > 0 {
		t.Fatalf("errors: %+v", inv.Errors)
	}
	if len(inv.Clusters) != 1 {
		t.Errorf("%d clusters, want 1", len(inv.Clusters))
	}
	if inv.Audit == nil || len(inv.Audit.Inputs) != 2 {
		t.Fatalf("audit coverage %+v", inv.Audit)
	}
	for _, in := range inv.Audit.Inputs {
		if in.Form != inventory.AuditFormJSONLines || in.Events != 7 || in.Incomplete != "" || in.Line != 1 || in.First.IsZero() || !in.Last.After(in.First) {
			t.Errorf("coverage of %s: %+v", in.Input, in)
		}
	}
	if obs.byInput["audit.log"] != 7 || obs.byInput["audit-1.log.gz"] != 7 {
		t.Errorf("observed %v", obs.byInput)
	}
	if inv.Skipped[NotAuditLog] != 3 || inv.Skipped[OtherCategories] != 1 {
		t.Errorf("skipped %v, want 3 %q and 1 %q", inv.Skipped, NotAuditLog, OtherCategories)
	}
}

// Standard input is sniffed like a file: a gzip audit log is streamed.
func TestLoadAuditLogStdin(t *testing.T) {
	events, err := os.ReadFile(auditEvents)
	if err != nil {
		t.Fatal(err)
	}
	obs := &countObserver{}
	inv := Load([]string{"-"}, Options{Stdin: bytes.NewReader(gzipped(t, events)), Audit: obs})
	if len(inv.Errors) > 0 || inv.Audit == nil || len(inv.Audit.Inputs) != 1 || inv.Audit.Inputs[0].Events != 7 || obs.byInput["-"] != 7 {
		t.Fatalf("errors %+v, audit %+v, observed %v", inv.Errors, inv.Audit, obs.byInput)
	}
}

// repeatReader yields n bytes of b, repeated, without holding them.
type repeatReader struct {
	b    []byte
	n, i int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.n > 0 {
		p[k] = r.b[r.i%int64(len(r.b))]
		k++
		r.i++
		r.n--
	}
	return k, nil
}

// Hostile audit logs are bounded by the caps the reader enforces, counted
// in bytes, never held: a 100 MB line is one error at its line and the
// next line is still read; a gzip bomb stops at the scan's byte cap; a
// stream whose total passes the per-input cap is still read (a log is not
// held) up to the scan's cap.
func TestLoadAuditLogHostile(t *testing.T) {
	events, err := os.ReadFile(auditEvents)
	if err != nil {
		t.Fatal(err)
	}
	first, rest, _ := bytes.Cut(events, []byte("\n"))
	first = append(first, '\n')
	long := io.MultiReader(bytes.NewReader(first), strings.NewReader(`{"kind":"Event","apiVersion":"audit.k8s.io/v1","requestObject":"`),
		&repeatReader{b: []byte("A"), n: 100 << 20}, strings.NewReader("\"}\n"), bytes.NewReader(rest))

	// 64 MiB of events in a gzip stream of well under 1 MiB.
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	if _, err := io.Copy(zw, &repeatReader{b: first, n: 64 << 20}); err != nil {
		t.Fatal(err)
	}
	_ = zw.Close()

	gz := gzipped(t, events)
	truncated := gz[:len(gz)-200]

	tests := []struct {
		name       string
		stdin      io.Reader
		opts       Options
		events     int64    // -1: any
		errs       []string // parts of the input errors, in order
		incomplete string
		maxAlloc   uint64
	}{
		{name: "a 100 MB line", stdin: long, events: 7,
			errs: []string{"line 2", "longer than 8 MiB"}, incomplete: "1 record(s) could not be read, the first at line 2", maxAlloc: 48 << 20},
		{name: "a gzip bomb", stdin: bytes.NewReader(bomb.Bytes()), opts: Options{MaxScanBytes: 4 << 20}, events: int64((4 << 20) / len(first)),
			errs: []string{"not read to its end", "decompresses to more than 4 MiB (--max-scan-mb): a gzip bomb"}, incomplete: "not read past line", maxAlloc: 48 << 20},
		{name: "a truncated gzip stream", stdin: bytes.NewReader(truncated), events: -1,
			errs: []string{"not read to its end: the input ends inside a record (a truncated file or gzip stream)"}, incomplete: "not read past line", maxAlloc: 48 << 20},
		{name: "past the per-input cap, within the scan's", stdin: &repeatReader{b: first, n: int64(len(first)) * 4096}, opts: Options{MaxInputBytes: 1 << 20},
			events: 4096, maxAlloc: 48 << 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.Stdin = tc.stdin
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			inv := Load([]string{"-"}, opts)
			runtime.ReadMemStats(&after)
			if inv.Audit == nil || len(inv.Audit.Inputs) != 1 {
				t.Fatalf("audit %+v, errors %+v", inv.Audit, inv.Errors)
			}
			in := inv.Audit.Inputs[0]
			if tc.events >= 0 && in.Events != tc.events {
				t.Errorf("%d events, want %d", in.Events, tc.events)
			}
			var msgs []string
			for _, e := range inv.Errors {
				msgs = append(msgs, "line "+strconv.Itoa(e.Line)+": "+e.Message)
			}
			got := strings.Join(msgs, "\n")
			pos := 0
			for _, w := range tc.errs {
				i := strings.Index(got[pos:], w)
				if i < 0 {
					t.Errorf("errors %q lack %q (in order)", got, w)
					break
				}
				pos += i
			}
			if len(tc.errs) == 0 && got != "" {
				t.Errorf("errors %q", got)
			}
			if !strings.Contains(in.Incomplete, tc.incomplete) || (tc.incomplete == "") != (in.Incomplete == "") {
				t.Errorf("incomplete %q, want %q", in.Incomplete, tc.incomplete)
			}
			if a := after.TotalAlloc - before.TotalAlloc; a > tc.maxAlloc {
				t.Errorf("allocated %d MiB reading it, want at most %d MiB", a>>20, tc.maxAlloc>>20)
			}
		})
	}
}
