package progress

import (
	"io"
	"os"
	"strconv"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal cols wide: the terminal (the end a
// program writes to) and the screen's side, which reads what was written.
func openPTY(t *testing.T, cols uint16) (tty, screen *os.File) {
	t.Helper()
	screen, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(screen.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(screen.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 24, Col: cols}); err != nil {
		t.Fatal(err)
	}
	return tty, screen
}

// TestOnATerminal: on a real pseudo-terminal the line is drawn, cut to the
// terminal's width, and cleared; with CI set nothing is drawn.
func TestOnATerminal(t *testing.T) {
	t.Setenv("CI", "")
	tty, screen := openPTY(t, 40)
	defer screen.Close()
	l := New(tty)
	if l == nil {
		t.Fatal("no progress on a terminal")
	}
	l.Update("reading inputs from a directory with a long name", 7, 9)
	l.Done()
	t.Setenv("CI", "true")
	if New(tty) != nil {
		t.Error("progress drawn with CI set")
	}
	tty.Close()
	// The screen side reads what was written until the terminal is
	// closed (then EIO).
	out, _ := io.ReadAll(screen)
	want := "\r/ aksguard: reading inputs from a direc\x1b[K\r\x1b[K" // 39 columns
	if string(out) != want {
		t.Errorf("the terminal got %q, want %q", out, want)
	}
}
