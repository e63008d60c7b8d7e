package testproc

import (
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// The child's main: "alloc N" touches N MiB and exits 7; "echo" copies
// standard input to standard output.
func TestMain(m *testing.M) {
	Serve(func(args []string) int {
		switch args[0] {
		case "alloc":
			n, _ := strconv.Atoi(args[1])
			b := make([]byte, n<<20)
			for i := range b {
				b[i] = 1
			}
			runtime.KeepAlive(b)
			return 7
		case "echo":
			_, _ = io.Copy(os.Stdout, os.Stdin)
			return 0
		}
		return 1
	})
	os.Exit(m.Run())
}

func TestRun(t *testing.T) {
	r := Run(t, Cmd{Args: []string{"echo"}, Stdin: strings.NewReader("hello")})
	if r.Code != 0 || r.Stdout != "hello" {
		t.Errorf("echo: %+v", r)
	}
	r = Run(t, Cmd{Args: []string{"alloc", "200"}})
	if r.Code != 7 {
		t.Errorf("alloc: exit %d: %s", r.Code, r.Stderr)
	}
	if runtime.GOOS == "linux" && r.PeakRSS < 200<<20 {
		t.Errorf("peak RSS %d MiB, want at least the 200 MiB touched", r.PeakRSS>>20)
	}
}

// TestAddressSpaceCap: a child that allocates past its address-space limit
// dies (the Go runtime's out-of-memory crash) instead of growing.
func TestAddressSpaceCap(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("RLIMIT_AS is set on Linux only")
	}
	r := Run(t, Cmd{Args: []string{"alloc", "2048"}, AddressSpace: 1 << 30})
	if r.Code == 7 || !strings.Contains(r.Stderr, "out of memory") {
		t.Errorf("exit %d, want an out-of-memory crash:\n%.500s", r.Code, r.Stderr)
	}
	if r.PeakRSS > 1<<30 {
		t.Errorf("peak RSS %d MiB over the 1 GiB limit", r.PeakRSS>>20)
	}
}
