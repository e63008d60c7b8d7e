package source

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// TestLoadReportsProgress: Load tells Options.Progress how many inputs it
// has read, one call at a time, in order, ending with all of them.
func TestLoadReportsProgress(t *testing.T) {
	var calls []string
	opts := Options{Progress: func(what string, done, total int) {
		calls = append(calls, fmt.Sprintf("%s %d/%d", what, done, total))
	}}
	inv := Load([]string{"../../examples/insecure"}, opts)
	if len(inv.Clusters) == 0 {
		t.Fatal("examples/insecure read no cluster")
	}
	if len(calls) < 2 {
		t.Fatalf("progress calls %q", calls)
	}
	var total int
	if _, err := fmt.Sscanf(calls[0], "reading inputs 1/%d", &total); err != nil {
		t.Fatalf("first call %q: %v", calls[0], err)
	}
	for i := 0; i < total; i++ {
		if want := fmt.Sprintf("reading inputs %d/%d", i+1, total); calls[i] != want {
			t.Fatalf("call %d = %q, want %q", i, calls[i], want)
		}
	}
	// The Terraform directories come after the inputs, counted from 0.
	for _, c := range calls[total:] {
		var d, n int
		if _, err := fmt.Sscanf(c, "reading Terraform modules %d/%d", &d, &n); err != nil || d >= n {
			t.Errorf("call after the inputs %q", c)
		}
	}
}

type countEvents struct {
	mu sync.Mutex
	n  int
}

func (c *countEvents) Observe(*inventory.AuditEvent) { c.mu.Lock(); c.n++; c.mu.Unlock() }

// TestAuditLogReportsProgress: a long audit log reports its events read
// every auditProgressEvery events while every event still reaches the
// scan's observer.
func TestAuditLogReportsProgress(t *testing.T) {
	// One event of examples/insecure/audit/kube-audit.log (MIT, this
	// repository), repeated.
	const event = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"00000000-0000-4000-8000-000000000001","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/shop/configmaps","verb":"list","user":{"username":"system:anonymous","groups":["system:unauthenticated"]},"sourceIPs":["203.0.113.24"],"objectRef":{"resource":"configmaps","namespace":"shop","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2026-11-23T09:30:00.565361Z","stageTimestamp":"2026-11-23T09:30:00.572363Z"}`
	const n = 2*auditProgressEvery + 10
	path := filepath.Join(t.TempDir(), "kube-audit.log")
	if err := os.WriteFile(path, []byte(strings.Repeat(event+"\n", n)), 0o644); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var events []string
	obs := &countEvents{}
	Load([]string{path}, Options{Audit: obs, Progress: func(what string, done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if what == "reading audit log events" {
			events = append(events, fmt.Sprintf("%d/%d", done, total))
		}
	}})
	if obs.n != n {
		t.Errorf("the observer saw %d events, want %d", obs.n, n)
	}
	if want := []string{fmt.Sprintf("%d/0", auditProgressEvery), fmt.Sprintf("%d/0", 2*auditProgressEvery)}; strings.Join(events, " ") != strings.Join(want, " ") {
		t.Errorf("progress %q, want %q", events, want)
	}
}
