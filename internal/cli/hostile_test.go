package cli

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aksguard/aksguard/internal/testproc"
)

// hostileRSS is the peak resident memory every hostile input must stay
// under, child process and all.
const hostileRSS = 512 << 20

// canaryPod sits beside every hostile input: it must still be judged (a
// result on Pod canary/canary in the JSON report).
const canaryPod = `apiVersion: v1
kind: Pod
metadata:
  name: canary
  namespace: canary
spec:
  containers:
  - name: c
    image: nginx
    securityContext:
      privileged: true
`

// hostileCase is one crafted input. The test makes a directory holding
// canary.yaml (unless noCanary), lets setup add the hostile files to it,
// and runs `aksguard scan --no-config -o json --fail-on none ARGS` in a child
// process, with $DIR in ARGS replaced by the directory. --fail-on none makes
// the exit code 0 for a clean scan and 2 for any input error.
type hostileCase struct {
	name  string
	setup func(t *testing.T, dir string)
	args  []string
	// stdin, if set, is standard input.
	stdin func() io.Reader
	// cwd: run in the directory (for .aksguard.yaml); --no-config is then
	// left out.
	cwd      bool
	code     int
	stderr   []string // each must appear in standard error
	skipped  string   // a reason the JSON report's skipped counts must hold
	noCanary bool     // the run stops before any input is judged
	// check, if set, makes further assertions on the run.
	check func(t *testing.T, r testproc.Result)
	// rss overrides hostileRSS for this row (0: hostileRSS).
	rss int64
}

// hostileCases are the reproducers of issue #9's hostile inputs. Add a row
// for each new one: a name, the files it needs (setup), the arguments, and
// what the run must end in.
var hostileCases = []hostileCase{
	{
		name:   "3 GB of zeros on stdin",
		args:   []string{"-", "$DIR"},
		stdin:  func() io.Reader { return io.LimitReader(zeros{}, 3<<30) },
		code:   2,
		stderr: []string{"-:1: reading: line 1 is longer than 8 MiB"},
	},
	{
		name: "symlinks to /dev/zero named main.tf, x.yaml, .aksguard.yaml in a scanned dir",
		setup: func(t *testing.T, dir string) {
			for _, n := range []string{"main.tf", "x.yaml", ".aksguard.yaml"} {
				must(t, os.Symlink("/dev/zero", filepath.Join(dir, n)))
			}
		},
		args:    []string{"$DIR"},
		code:    0,
		skipped: "not a regular file (a symbolic link)",
	},
	{
		name:   "/dev/zero given as a path",
		args:   []string{"/dev/zero", "$DIR"},
		code:   2,
		stderr: []string{"/dev/zero: not a regular file (a device)"},
	},
	{
		name:     ".aksguard.yaml in the working directory a symlink to /dev/zero",
		setup:    func(t *testing.T, dir string) { must(t, os.Symlink("/dev/zero", filepath.Join(dir, ".aksguard.yaml"))) },
		cwd:      true,
		args:     []string{"$DIR"},
		code:     2,
		stderr:   []string{".aksguard.yaml: not a regular file (a device)"},
		noCanary: true,
	},
	{
		name:    "a FIFO in a scanned dir",
		setup:   func(t *testing.T, dir string) { must(t, syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644)) },
		args:    []string{"$DIR"},
		code:    0,
		skipped: "not a regular file (a named pipe)",
	},
	{
		name: "a FIFO given as a path",
		setup: func(t *testing.T, dir string) {
			must(t, os.Mkdir(filepath.Join(dir, "p"), 0o755))
			must(t, syscall.Mkfifo(filepath.Join(dir, "p", "pipe.yaml"), 0o644))
		},
		args:   []string{"$DIR/p/pipe.yaml", "$DIR"},
		code:   2,
		stderr: []string{"pipe.yaml: not a regular file (a named pipe)"},
	},
	{
		name: "HCL nested 60,000 levels",
		setup: func(t *testing.T, dir string) {
			must(t, os.Mkdir(filepath.Join(dir, "tf"), 0o755))
			hcl := "locals {\n  x = " + strings.Repeat("[", 60000) + strings.Repeat("]", 60000) + "\n}\n"
			must(t, os.WriteFile(filepath.Join(dir, "tf", "main.tf"), []byte(hcl), 0o644))
		},
		args:   []string{"$DIR"},
		code:   2,
		stderr: []string{"main.tf:2: brackets nest more than"},
	},
	{
		name: "an input over --max-input-mb",
		setup: func(t *testing.T, dir string) {
			must(t, os.WriteFile(filepath.Join(dir, "big.yaml"), []byte(canaryPod+"# "+strings.Repeat("x", 3<<20)+"\n"), 0o644))
		},
		args:   []string{"--max-input-mb", "2", "$DIR"},
		code:   2,
		stderr: []string{"big.yaml: larger than 2 MiB", "raise --max-input-mb"},
	},
	{
		name: "inputs over --max-scan-mb",
		setup: func(t *testing.T, dir string) {
			for _, n := range []string{"pad1.yaml", "pad2.yaml", "pad3.yaml"} {
				must(t, os.WriteFile(filepath.Join(dir, n), []byte("# "+strings.Repeat("x", 700<<10)+"\n"), 0o644))
			}
		},
		args:   []string{"--max-scan-mb", "1", "$DIR"},
		code:   2,
		stderr: []string{"pad2.yaml: not read: its", "--max-scan-mb 1", "pad3.yaml: not read: the scan's byte cap (--max-scan-mb 1) was reached at"},
	},
}

func TestHostileInputs(t *testing.T) { runHostile(t, hostileCases) }

// runHostile runs each case in a memory-capped child process and checks
// its outcome, its peak RSS and the canary beside it.
func runHostile(t *testing.T, cases []hostileCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if !tc.noCanary || tc.cwd {
				must(t, os.WriteFile(filepath.Join(dir, "canary.yaml"), []byte(canaryPod), 0o644))
			}
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			args := []string{"scan", "-o", "json", "--fail-on", "none", "--today", "2026-11-24"}
			if !tc.cwd {
				args = append(args, "--no-config")
			}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "$DIR", dir))
			}
			c := testproc.Cmd{Args: args}
			if tc.cwd {
				c.Dir = dir
			}
			if tc.stdin != nil {
				c.Stdin = tc.stdin()
			}
			r := testproc.Run(t, c)
			if r.Code != tc.code {
				t.Errorf("exit %d, want %d\nstderr: %s", r.Code, tc.code, clip(r.Stderr))
			}
			for _, s := range tc.stderr {
				if !strings.Contains(r.Stderr, s) {
					t.Errorf("standard error lacks %q:\n%s", s, clip(r.Stderr))
				}
			}
			capRSS := int64(hostileRSS)
			if tc.rss > 0 {
				capRSS = tc.rss
			}
			if r.PeakRSS > capRSS {
				t.Errorf("peak RSS %d MiB, want under %d MiB", r.PeakRSS>>20, capRSS>>20)
			}
			t.Logf("peak RSS %d MiB", r.PeakRSS>>20)
			if tc.check != nil {
				tc.check(t, r)
			}
			if tc.noCanary {
				return
			}
			var rep struct {
				Results []struct {
					Resource struct{ Kind, Namespace, Name string }
				}
				Summary struct{ Skipped map[string]int }
			}
			if err := json.Unmarshal([]byte(r.Stdout), &rep); err != nil {
				t.Fatalf("no JSON report: %v\nstdout: %s\nstderr: %s", err, clip(r.Stdout), clip(r.Stderr))
			}
			judged := false
			for _, res := range rep.Results {
				judged = judged || res.Resource.Kind == "Pod" && res.Resource.Namespace == "canary" && res.Resource.Name == "canary"
			}
			if !judged {
				t.Errorf("the canary Pod beside the hostile input was not judged")
			}
			if tc.skipped != "" && rep.Summary.Skipped[tc.skipped] == 0 {
				t.Errorf("skipped %v, want %q counted", rep.Summary.Skipped, tc.skipped)
			}
		})
	}
}

// zeros is an endless reader of NUL bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

// TestScanCapFlags: --max-scan-mb below 1 is a usage error naming the flag.
func TestScanCapFlags(t *testing.T) {
	for _, arg := range []string{"--max-scan-mb=0", "--max-scan-mb=-5", "--max-input-mb=0"} {
		code, _, stderr := runCLI(t, "", "scan", "--no-config", arg, "../../examples/insecure")
		flag, _, _ := strings.Cut(arg, "=")
		if code != ExitError || !strings.Contains(stderr, flag) || !strings.Contains(stderr, "want at least 1") {
			t.Errorf("%s: exit %d, stderr %q", arg, code, stderr)
		}
	}
}
