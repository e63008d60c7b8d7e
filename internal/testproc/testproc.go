// Package testproc runs a command's main function in a child copy of the
// test binary, with a memory cap the test sets, and returns its exit code,
// output and peak resident memory. It is how tests feed aksguard hostile
// input (3 GB on stdin, a symlink to /dev/zero, a FIFO, deep nesting)
// without risking the test process, and assert that memory stayed bounded,
// with no wall-clock bound.
//
// A test package calls Serve first thing in its TestMain:
//
//	func TestMain(m *testing.M) {
//		testproc.Serve(func(args []string) int { return cli.Main(args, os.Stdin, os.Stdout, os.Stderr) })
//		os.Exit(m.Run())
//	}
//
// and its tests call Run.
package testproc

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strconv"
	"testing"
)

const (
	argsEnv  = "AKSGUARD_TESTPROC_ARGS"  // the child's arguments, as a JSON array
	limitEnv = "AKSGUARD_TESTPROC_LIMIT" // the child's address-space limit in bytes
)

// Serve runs main with the arguments Run passed and exits with its code
// when this process is a child started by Run; otherwise it returns at
// once. It must be called before anything else in TestMain (before test
// servers are started).
func Serve(main func(args []string) int) {
	raw, ok := os.LookupEnv(argsEnv)
	if !ok {
		return
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		os.Stderr.WriteString("testproc: bad " + argsEnv + ": " + err.Error() + "\n")
		os.Exit(125)
	}
	if l, err := strconv.ParseInt(os.Getenv(limitEnv), 10, 64); err == nil && l > 0 {
		if err := limitAddressSpace(l); err != nil {
			os.Stderr.WriteString("testproc: " + err.Error() + "\n")
			os.Exit(125)
		}
	}
	os.Exit(main(args))
}

// Cmd is one run of the child.
type Cmd struct {
	Args  []string
	Dir   string    // working directory ("" for the test's)
	Stdin io.Reader // nil for none
	Env   []string  // added to the test's environment
	// AddressSpace is the hard limit on the child's virtual memory
	// (RLIMIT_AS, Linux only; 0 for DefaultAddressSpace): a runaway
	// allocation fails there instead of taking the machine. The Go runtime
	// reserves more address space than it touches, so it is well above the
	// resident memory a test asserts.
	AddressSpace int64
}

// DefaultAddressSpace is the child's virtual memory limit unless
// Cmd.AddressSpace says otherwise.
const DefaultAddressSpace = 4 << 30

// Result is how the child ended.
type Result struct {
	Code           int // exit code; -1 when killed by a signal
	Stdout, Stderr string
	// PeakRSS is the child's peak resident memory in bytes (0 where the
	// system does not report it).
	PeakRSS int64
}

// Run starts the test binary as a child running the main function given to
// Serve with c.Args, waits for it and returns how it ended. The child's
// exit code is never a test failure; a child that cannot be started is.
func Run(t testing.TB, c Cmd) Result {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	args, err := json.Marshal(c.Args)
	if err != nil {
		t.Fatal(err)
	}
	limit := c.AddressSpace
	if limit == 0 {
		limit = DefaultAddressSpace
	}
	cmd := exec.Command(exe)
	cmd.Dir = c.Dir
	cmd.Env = append(append(os.Environ(), c.Env...), argsEnv+"="+string(args), limitEnv+"="+strconv.FormatInt(limit, 10))
	cmd.Stdin = c.Stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) && cmd.ProcessState == nil {
		t.Fatalf("starting the child: %v", err)
	}
	// An error copying stdin (the child stopped reading: EPIPE) is how a
	// capped read of an endless input ends, not a failure.
	return Result{Code: cmd.ProcessState.ExitCode(), Stdout: stdout.String(), Stderr: stderr.String(), PeakRSS: peakRSS(cmd.ProcessState)}
}
