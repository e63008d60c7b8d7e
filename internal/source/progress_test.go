package source

import (
	"fmt"
	"testing"
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
