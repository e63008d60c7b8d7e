package report

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// lineWriter writes the table report line by line as it is laid out (no
// copy of the report is built): text is wrapped at word boundaries to
// width (0: the fixed layout, never wrapped), and labels are painted after
// layout so colour never counts as width. A word longer than the line is
// written whole on a line of its own: nothing is cut.
type lineWriter struct {
	w     *bufio.Writer
	width int
	p     painter
}

// minTableWidth is the narrowest layout: a narrower terminal gets this
// width and wraps the lines itself.
const minTableWidth = 40

// bufioWriter buffers the report's lines: written in 32 KiB pieces, never
// whole.
func bufioWriter(w io.Writer) *bufio.Writer { return bufio.NewWriterSize(w, 32<<10) }

func (l *lineWriter) str(s string) { l.w.WriteString(s) }

func (l *lineWriter) nl() { l.w.WriteByte('\n') }

func (l *lineWriter) spaces(n int) {
	for range n {
		l.w.WriteByte(' ')
	}
}

// item writes "<indent><label><padding>text", the label painted with style
// and padded to labelCols (at least one space after a non-empty label; an
// empty label is labelCols of spaces),
// then text wrapped with its continuation lines starting under its first
// word.
func (l *lineWriter) item(indent int, label, style string, labelCols int, text string) {
	l.spaces(indent)
	col := indent
	lw := utf8.RuneCountInString(label)
	pad := labelCols - lw
	if label != "" {
		l.str(l.p.paint(style, label))
		pad = max(pad, 1)
	}
	if text == "" {
		pad = 0
	}
	l.spaces(max(pad, 0))
	col += lw + max(pad, 0)
	l.text(col, text)
	l.nl()
}

// text writes text from column start (the cursor is there), wrapping at
// word boundaries; continuation lines are indented to start.
func (l *lineWriter) text(start int, text string) {
	if l.width <= 0 {
		l.str(text)
		return
	}
	col := start
	first := true
	for word := range strings.FieldsSeq(text) {
		n := utf8.RuneCountInString(word)
		switch {
		case first:
			first = false
		case col+1+n > l.width:
			l.nl()
			l.spaces(start)
			col = start
		default:
			l.w.WriteByte(' ')
			col++
		}
		l.str(word)
		col += n
	}
}

// fits reports whether a line of n columns fits the layout.
func (l *lineWriter) fits(n int) bool { return l.width <= 0 || n <= l.width }
