package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestRunAsKubectlPlugin runs this executable the way kubectl runs a plugin
// (a link named kubectl-aksguard, argv[0] its path): the supervised child
// keeps that name, so the usage lines say `kubectl aksguard`.
func TestRunAsKubectlPlugin(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	link := filepath.Join(t.TempDir(), "kubectl-aksguard")
	if err := os.Symlink(os.Args[0], link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, argv0, want string
	}{
		{name: "as kubectl-aksguard", argv0: link, want: "  kubectl aksguard [command]"},
		{name: "as aksguard", argv0: os.Args[0], want: "  aksguard [command]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(tc.argv0, "--help")
			cmd.Env = append(os.Environ(), runMainEnv+"=1")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("%v\n%s", err, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.want) {
				t.Errorf("--help lacks %q:\n%s", tc.want, stdout.String())
			}
			if tc.argv0 != link && strings.Contains(stdout.String(), "kubectl") {
				t.Errorf("--help names kubectl:\n%s", stdout.String())
			}
		})
	}
}
