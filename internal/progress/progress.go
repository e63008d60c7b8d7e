// Package progress draws one progress line on a terminal while a scan does
// long work (many files, charts, live reads, audit logs, fleets): a
// spinner, what is being done and a count, redrawn at most every
// Interval, and cleared at the end so that nothing of it stays on the
// screen. It draws only on a terminal and never when CI is set: a CI log
// or a pipe gets nothing. It writes to the writer it is given (standard
// error), never to the report's.
package progress

import (
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/term"
)

// Interval is the least time between two redraws.
const Interval = 100 * time.Millisecond

// spinner frames, ASCII so that every terminal font has them.
var frames = [...]string{"|", "/", "-", "\\"}

// Line is a progress line. A nil *Line does nothing, so callers need not
// check whether progress is shown. Its methods may be called from several
// goroutines.
type Line struct {
	mu    sync.Mutex
	w     io.Writer
	width int              // the terminal's columns: a line never wraps
	now   func() time.Time // the clock (tests set it)
	last  time.Time
	frame int
	drawn bool
}

// New returns a line drawing on w when w is a terminal and CI is not set in
// the environment; otherwise nil.
func New(w io.Writer) *Line {
	f, ok := w.(*os.File)
	if !ok || f == nil || os.Getenv("CI") != "" || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width <= 0 {
		width = 80
	}
	return newLine(w, width, time.Now)
}

func newLine(w io.Writer, width int, now func() time.Time) *Line {
	return &Line{w: w, width: width, now: now}
}

// Update says what is being done and how far along it is: "reading inputs",
// done of total (total 0: unknown). It redraws at most every Interval, and
// always when done reaches total.
func (l *Line) Update(what string, done, total int) {
	if l == nil {
		return
	}
	text := what + " " + strconv.Itoa(done)
	if total > 0 {
		text += "/" + strconv.Itoa(total)
	}
	l.draw(text, total > 0 && done >= total)
}

// draw redraws the line with text, unless the last redraw was less than an
// Interval ago and force is unset.
func (l *Line) draw(text string, force bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.now()
	if l.drawn && t.Sub(l.last) < Interval && !force {
		return
	}
	l.last = t
	l.frame = (l.frame + 1) % len(frames)
	text = fit(frames[l.frame]+" aksguard: "+text, l.width-1)
	// Carriage return, the text, then clear what a longer line before
	// left on the right.
	io.WriteString(l.w, "\r"+text+"\x1b[K")
	l.drawn = true
}

// Say draws what is being done when there is nothing to count ("judging
// the controls"): a new phase, drawn at once.
func (l *Line) Say(what string) {
	if l == nil {
		return
	}
	l.draw(what, true)
}

// Done clears the line, leaving the cursor at the start of the now empty
// line for what is written next. Update after Done draws again.
func (l *Line) Done() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.drawn {
		io.WriteString(l.w, "\r\x1b[K")
		l.drawn = false
	}
}

// Func returns Update as a callback (nil for a nil line, so a source can
// tell "no progress" apart cheaply).
func (l *Line) Func() func(what string, done, total int) {
	if l == nil {
		return nil
	}
	return l.Update
}

// fit cuts text to n columns (a progress line must never wrap, or
// clearing it would leave its first part behind) and keeps it on one line.
func fit(text string, n int) string {
	text = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, text)
	if n < 1 {
		return ""
	}
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	return string([]rune(text)[:n])
}
