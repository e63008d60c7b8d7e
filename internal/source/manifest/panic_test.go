package manifest

import (
	"strings"
	"testing"
)

// TestDecoderPanicIsInternal: a panic while decoding one document on a
// worker goroutine is that document's internal error; the documents
// beside it are still decoded, and the process goes on.
func TestDecoderPanicIsInternal(t *testing.T) {
	ns := func(name string) string {
		return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n"
	}
	stream := ns("a") + "---\n" + ns("boom") + "---\n" + ns("c")
	processHook = func(d *doc) {
		if strings.Contains(string(d.data), "boom") {
			panic("a decoder bug")
		}
	}
	defer func() { processHook = nil }()
	b := DecodeReader(strings.NewReader(stream), "x.yaml", 2)
	if len(b.Errors) != 1 || !b.Errors[0].Internal || b.Errors[0].Line != 6 || !strings.Contains(b.Errors[0].Message, "panic: a decoder bug") {
		t.Errorf("errors: %+v", b.Errors)
	}
	var names []string
	if b.Kube != nil {
		for _, n := range b.Kube.Namespaces {
			names = append(names, n.Name)
		}
	}
	if strings.Join(names, ",") != "a,c" {
		t.Errorf("namespaces read: %v, want a and c", names)
	}
}
