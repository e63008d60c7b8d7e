package loganalytics

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/loganalytics/lawtest"
)

type workspace = lawtest.Workspace

const testCluster = lawtest.Cluster

var (
	aksAuditRow    = lawtest.AKSAuditRow
	diagnosticsRow = lawtest.DiagnosticsRow
)

// start serves w and returns a Client pointed at it through the SDK's
// client options.
func start(t *testing.T, w *workspace) *Client {
	t.Helper()
	cred, opts := lawtest.Start(t, w)
	c, err := NewClient(cred, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// realEvents are the events the real kube-apiserver wrote in
// TestAuditLogLive (internal/e2e/testdata/auditlog).
func realEvents(t *testing.T, name string) []map[string]any {
	t.Helper()
	f, err := os.Open("../../e2e/testdata/auditlog/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 8<<20)
	for sc.Scan() {
		var ev map[string]any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

type recorder struct {
	ids   []string
	users []string
}

func (r *recorder) Observe(ev *inventory.AuditEvent) {
	r.ids = append(r.ids, ev.AuditID)
	r.users = append(r.users, ev.User.Username)
}

func ioNopCloser(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }

func readAll(r io.Reader) ([]byte, error) { return io.ReadAll(r) }
