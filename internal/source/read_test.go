package source

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadSizeChanged: a small file is read to its end whatever size it
// was stat'ed with (the reader stops without a last read only when a read
// ends short exactly at that size): a file that grew or shrank since is
// read whole.
func TestReadSizeChanged(t *testing.T) {
	var b strings.Builder
	const n = 200
	for i := range n {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\ndata:\n  k: v\n", i)
	}
	path := filepath.Join(t.TempDir(), "many.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	size := int64(b.Len())
	for _, stat := range []int64{0, 10, size - 1, size, size + 1, 2 * size} {
		in := &input{path: path, reserved: stat}
		var scratch []byte
		readInput(in, &Options{}, 1, &scratch)
		if in.batch == nil || in.batch.Kube == nil {
			t.Fatalf("stat'ed at %d of %d bytes: no objects read", stat, size)
		}
		cms := in.batch.Kube.ConfigMaps
		if len(cms) != n || cms[n-1].Name != fmt.Sprintf("cm-%d", n-1) {
			t.Errorf("stat'ed at %d of %d bytes: %d ConfigMaps read, want %d ending with cm-%d", stat, size, len(cms), n, n-1)
		}
	}
}
