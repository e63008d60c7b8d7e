package progress

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// clock is a test clock advanced by hand: no test depends on real time.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestUpdateRateLimitedAndCleared(t *testing.T) {
	var b bytes.Buffer
	c := &clock{t: time.Unix(1000, 0)}
	l := newLine(&b, 80, c.now)
	type step struct {
		advance     time.Duration
		done, total int
		want        string // what this update draws ("" nothing)
	}
	for i, s := range []step{
		{0, 1, 10, "\r/ aksguard: reading inputs 1/10\x1b[K"},                   // the first update draws
		{Interval / 2, 2, 10, ""},                                               // too soon
		{Interval / 2, 3, 10, "\r- aksguard: reading inputs 3/10\x1b[K"},        // an interval later
		{time.Millisecond, 10, 10, "\r\\ aksguard: reading inputs 10/10\x1b[K"}, // the end always draws
		{time.Millisecond, 4, 0, ""},                                            // unknown total, too soon
		{Interval, 5, 0, "\r| aksguard: reading inputs 5\x1b[K"},                // unknown total: no "/"
	} {
		c.t = c.t.Add(s.advance)
		b.Reset()
		l.Update("reading inputs", s.done, s.total)
		if b.String() != s.want {
			t.Errorf("step %d: drew %q, want %q", i, b.String(), s.want)
		}
	}
	c.t = c.t.Add(time.Millisecond)
	b.Reset()
	l.Say("judging the controls") // a new phase draws at once
	if want := "\r/ aksguard: judging the controls\x1b[K"; b.String() != want {
		t.Errorf("Say drew %q, want %q", b.String(), want)
	}
	b.Reset()
	l.Done()
	if b.String() != "\r\x1b[K" {
		t.Errorf("Done wrote %q, want the line cleared", b.String())
	}
	b.Reset()
	l.Done()
	if b.Len() != 0 {
		t.Errorf("a second Done wrote %q", b.String())
	}
}

// TestNeverWraps: the line is cut to the terminal's width less one column
// and control characters in what is said cannot move the cursor.
func TestNeverWraps(t *testing.T) {
	var b bytes.Buffer
	l := newLine(&b, 30, (&clock{}).now)
	l.Update("reading charts/very-long-name/with\nnewline\x1b[2J", 1, 2)
	got := strings.TrimSuffix(strings.TrimPrefix(b.String(), "\r"), "\x1b[K")
	if len([]rune(got)) != 29 || strings.ContainsAny(got, "\n\x1b\r") {
		t.Errorf("line %q (%d columns), want 29 columns of plain text", got, len([]rune(got)))
	}
}

func TestNilLine(t *testing.T) {
	var l *Line
	l.Update("x", 1, 2)
	l.Done()
	if l.Func() != nil {
		t.Error("a nil line gives a callback")
	}
}

// TestNotATerminal: a buffer, a pipe and a regular file get no progress.
func TestNotATerminal(t *testing.T) {
	t.Setenv("CI", "")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	f, err := os.Create(t.TempDir() + "/log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for name, out := range map[string]any{"buffer": &bytes.Buffer{}, "pipe": w, "file": f} {
		var l *Line
		switch o := out.(type) {
		case *bytes.Buffer:
			l = New(o)
		case *os.File:
			l = New(o)
		}
		if l != nil {
			t.Errorf("%s: progress drawn on something that is not a terminal", name)
		}
	}
}
