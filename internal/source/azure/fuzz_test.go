package azure

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzResponseBodies feeds arbitrary bodies to what reads ARM envelopes
// itself (error bodies, empty-list detection): they must never panic, and
// an error message stays one line.
func FuzzResponseBodies(f *testing.F) {
	files, _ := filepath.Glob("armtest/testdata/*.json")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"error":{"code":"AuthorizationFailed","message":"The client does not have\nauthorization"}}`))
	f.Add([]byte(`{"value":[]}`))
	f.Add([]byte(`{"value":null,"nextLink":3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = emptyList([][]byte{data})
		e := newStatusError("/subscriptions/s", 403, data)
		if strings.ContainsAny(e.Error(), "\n\r") {
			t.Fatalf("multi-line error %q", e.Error())
		}
		_ = reason(PermCluster, e)
	})
}
