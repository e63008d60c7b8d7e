package source

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const canary = `apiVersion: v1
kind: Namespace
metadata:
  name: canary
`

// TestOnlyRegularFiles: a walked directory's symlink to /dev/zero and its
// FIFO are skipped with a reason instead of hanging or growing the scan;
// an explicit path to a device is an input error; the canary beside them
// is still read.
func TestOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "canary.yaml"), []byte(canary), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "main.tf")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	inv := Load([]string{dir, "/dev/zero"}, Options{})
	if got := inv.Skipped["not a regular file (a symbolic link)"]; got != 2 {
		t.Errorf("skipped symlinks: %d (%v)", got, inv.Skipped)
	}
	if got := inv.Skipped["not a regular file (a named pipe)"]; got != 1 {
		t.Errorf("skipped FIFOs: %d (%v)", got, inv.Skipped)
	}
	if len(inv.Errors) != 1 || inv.Errors[0].Input != "/dev/zero" || !strings.Contains(inv.Errors[0].Message, "not a regular file (a device)") {
		t.Errorf("errors: %v", inv.Errors)
	}
	if inv.Kube == nil || len(inv.Kube.Namespaces) != 1 {
		t.Fatalf("the canary was not read")
	}
}

// TestInputByteCap: stdin and a file larger than the cap are input errors
// naming them; nothing past the cap is read, and the other inputs are.
func TestInputByteCap(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, append([]byte(canary+"---\n# "), bytes.Repeat([]byte("x"), 2<<20)...), 0o644); err != nil {
		t.Fatal(err)
	}
	ok := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(ok, []byte(canary), 0o644); err != nil {
		t.Fatal(err)
	}
	// An endless stdin: a reader that never ends would hang or exhaust
	// memory without the cap.
	inv := Load([]string{"-", big, ok}, Options{Stdin: endless{}, MaxInputBytes: 1 << 20})
	msgs := map[string]string{}
	for _, e := range inv.Errors {
		msgs[e.Input] = e.Message
	}
	if !strings.Contains(msgs["-"], "larger than 1 MiB") || !strings.Contains(msgs[big], "larger than 1 MiB") || len(msgs) != 2 {
		t.Errorf("errors: %v", inv.Errors)
	}
	if inv.Kube == nil || len(inv.Kube.Namespaces) != 1 {
		t.Fatalf("the canary was not read")
	}
}

// endless is standard input that never ends (3 GB of zeros, or worse).
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}
