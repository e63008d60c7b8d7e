package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// The tests run this test binary as aksguard: with runMainEnv set, TestMain
// calls main(), whose supervisor starts the test binary again as its child.
// crashEnv makes the child fail in the way named, before the command runs:
// a trigger that exists only in this test binary.
const (
	runMainEnv = "AKSGUARD_TEST_RUN_MAIN"
	crashEnv   = "AKSGUARD_TEST_CRASH"
)

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) != "" {
		if os.Getenv(childEnv) != "" {
			testHook = crashHooks[os.Getenv(crashEnv)]
		}
		main()
	}
	os.Exit(m.Run())
}

var crashHooks = map[string]func(){
	"stack": func() {
		debug.SetMaxStack(1 << 20) // overflow at 1 MiB, not the default 1 GiB
		recurse(0)
	},
	"panic": func() {
		done := make(chan struct{})
		go func() { panic("a goroutine aksguard did not guard") }()
		<-done
	},
	"kill": func() {
		p, _ := os.FindProcess(os.Getpid())
		_ = p.Kill()
		select {}
	},
	"block": func() {
		os.Stdout.WriteString("ready\n")
		select {}
	},
}

// recurse overflows the stack unless n reaches the (unreachable) limit.
//
//go:noinline
func recurse(n int) int {
	if n < 0 {
		return 0
	}
	var pad [64]byte
	pad[n%64] = byte(n)
	return recurse(n+1) + int(pad[0])
}

func aksguard(t *testing.T, crash string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1", crashEnv+"="+crash)
	return cmd
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"id": `), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, crash string
		args        []string
		code        int
		stderr      string // must appear in standard error
		noStderr    string // must not
	}{
		{name: "clean run", args: []string{"version"}, code: 0, noStderr: "internal error"},
		{name: "findings", args: []string{"scan", "--no-config", "../../examples/insecure"}, code: 1, noStderr: "internal error"},
		{name: "bad input is exit 2, not a crash", args: []string{"scan", "--no-config", "-o", "json", bad}, code: 2, stderr: "invalid JSON", noStderr: "internal error"},
		{name: "bad flag is exit 2", args: []string{"scan", "--no-such-flag"}, code: 2, noStderr: "internal error"},
		{name: "stack overflow is exit 3", crash: "stack", args: []string{"scan", "--no-config", bad}, code: 3, stderr: "internal error: the scan process crashed"},
		{name: "panic in a goroutine is exit 3", crash: "panic", args: []string{"version"}, code: 3, stderr: "This is a bug in aksguard"},
		{name: "killed is exit 3", crash: "kill", args: []string{"version"}, code: 3, stderr: "was killed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := aksguard(t, tc.crash, tc.args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			_ = cmd.Run()
			if got := cmd.ProcessState.ExitCode(); got != tc.code {
				t.Fatalf("exit %d, want %d\n%s", got, tc.code, stderr.String())
			}
			if tc.stderr != "" && !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("standard error lacks %q:\n%s", tc.stderr, stderr.String())
			}
			if tc.noStderr != "" && strings.Contains(stderr.String(), tc.noStderr) {
				t.Errorf("standard error has %q:\n%s", tc.noStderr, stderr.String())
			}
		})
	}
}

// TestInterruptForwarded: an interrupt sent to aksguard reaches the child
// doing the work, and aksguard then exits 130, not with an internal error.
func TestInterruptForwarded(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no interrupt signal to send on Windows")
	}
	cmd := aksguard(t, "block", "version")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
		t.Fatalf("child said %q", line)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if got := cmd.ProcessState.ExitCode(); got != 130 {
		t.Fatalf("exit %d, want 130\n%s", got, stderr.String())
	}
	if strings.Contains(stderr.String(), "internal error") {
		t.Errorf("an interrupt reported as an internal error:\n%s", stderr.String())
	}
}

func TestParseCgroupLimit(t *testing.T) {
	for in, want := range map[string]int64{
		"max\n":                 0,
		"9223372036854771712\n": 0, // cgroup v1's "unlimited"
		"2147483648\n":          2 << 30,
		"":                      0,
		"-1":                    0,
		"12abc":                 0,
	} {
		if got := parseCgroupLimit(in); got != want {
			t.Errorf("parseCgroupLimit(%q) = %d, want %d", in, got, want)
		}
	}
}
