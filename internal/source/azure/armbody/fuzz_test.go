package armbody

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzResponseBodies feeds arbitrary bodies to what reads ARM envelopes
// itself (error bodies, nextLink, empty-list detection): they must never
// panic, an error's code and message stay one line each, and a listing
// is empty only when its page parses as one.
func FuzzResponseBodies(f *testing.F) {
	files, _ := filepath.Glob("../armtest/testdata/*.json")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"error":{"code":"AuthorizationFailed","message":"The client does not have\nauthorization"}}`))
	f.Add([]byte(`{"value":[]}`))
	f.Add([]byte(`{"value":null,"nextLink":3}`))
	f.Add([]byte(`{"value":[{"id":"x"}],"value":[]}`))
	f.Add([]byte(`{"value":[` + strings.Repeat(`[`, 600) + strings.Repeat(`]`, 600) + `]}`))
	f.Add([]byte(`{"error":` + strings.Repeat(`{"error":`, 600) + `1` + strings.Repeat(`}`, 601)))
	f.Fuzz(func(t *testing.T, data []byte) {
		empty := EmptyList([][]byte{data})
		if empty && !strings.Contains(strings.ToLower(string(data)), "value") {
			t.Fatalf("a page without a value list is empty: %q", data)
		}
		code, msg := ErrorBody(data)
		if strings.ContainsAny(code+msg, "\n\r") || len(msg) > 303 {
			t.Fatalf("error code %q message %q: not one clipped line", code, msg)
		}
		_ = NextLink(data)
	})
}
