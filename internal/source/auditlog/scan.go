package auditlog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxRecordBytes bounds one record (a line of JSON lines, an element
// of an array, a CSV row): no audit event comes near it (the API server
// takes objects of a few MiB), and it is all a reader holds at once.
const DefaultMaxRecordBytes = 8 << 20

// errLong is a record past the record cap; the reader skipped to its end.
type errLong struct{ max int }

func (e errLong) Error() string {
	return fmt.Sprintf("a record longer than %d MiB: not read (no audit event is that long; a binary file or a log without newlines?)", e.max>>20)
}

// errSyntax is a break in the structure around the records (a missing
// comma between the elements of an array): the rest of the input cannot be
// cut into records.
type errSyntax struct{ what string }

func (e errSyntax) Error() string { return e.what }

// readErr wraps an error of the underlying reader (a truncated gzip
// stream, a byte cap), which ends the input.
type readErr struct{ err error }

func (e readErr) Error() string { return e.err.Error() }
func (e readErr) Unwrap() error { return e.err }

func wrapRead(err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	return readErr{err}
}

// lineReader cuts JSON lines: one record a line, blank lines skipped.
type lineReader struct {
	br   *bufio.Reader
	max  int
	line int
	buf  []byte
}

// next returns the next non-blank line and its number; the slice is valid
// until the next call. A line past max is errLong (its rest skipped).
func (l *lineReader) next() ([]byte, int, error) {
	for {
		l.line++
		l.buf = l.buf[:0]
		long := false
		var err error
		for {
			var frag []byte
			frag, err = l.br.ReadSlice('\n')
			if !long {
				if len(l.buf)+len(frag) > l.max+1 {
					long = true
					l.buf = l.buf[:0]
				} else if err == nil && len(l.buf) == 0 {
					// The whole line in the buffer: no copy.
					l.buf = nil
					line := bytes.TrimSpace(frag)
					if len(line) == 0 {
						break
					}
					return line, l.line, nil
				} else {
					l.buf = append(l.buf, frag...)
				}
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if long {
			if err != nil && err != io.EOF {
				return nil, l.line, wrapRead(err)
			}
			return nil, l.line, errLong{l.max}
		}
		line := bytes.TrimSpace(l.buf)
		if len(line) > 0 {
			if err != nil && err != io.EOF {
				// A line cut by a read error is not a record.
				return nil, l.line, wrapRead(err)
			}
			return line, l.line, nil
		}
		if err != nil {
			return nil, l.line, wrapRead(err)
		}
	}
}

// valueReader cuts a JSON text into records: each top-level value, and
// each element of a top-level array, whatever the line breaks.
type valueReader struct {
	br      *bufio.Reader
	max     int
	line    int // the line of the next byte, from 1
	buf     []byte
	inArray bool
	// pending is the error found after the record last returned (the
	// structure broken after it), returned by the next call.
	pending     error
	pendingLine int
}

func (v *valueReader) byte() (byte, error) {
	c, err := v.br.ReadByte()
	if err != nil {
		return 0, wrapRead(err)
	}
	if c == '\n' {
		v.line++
	}
	return c, nil
}

// space skips white space and returns the next byte, unread.
func (v *valueReader) space() (byte, error) {
	for {
		c, err := v.byte()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		if c == '\n' {
			v.line--
		}
		return c, v.br.UnreadByte()
	}
}

// next returns the next record and the line it starts on; io.EOF at the
// end of the text.
func (v *valueReader) next() ([]byte, int, error) {
	if v.pending != nil {
		return nil, v.pendingLine, v.pending
	}
	for {
		c, err := v.space()
		if err == io.EOF && v.inArray {
			return nil, v.line, readErr{io.ErrUnexpectedEOF}
		}
		if err != nil {
			return nil, v.line, err
		}
		if v.inArray {
			switch c {
			case ']':
				_, _ = v.byte()
				v.inArray = false
				continue
			case ',':
				_, _ = v.byte()
				if _, err = v.space(); err != nil {
					if err == io.EOF {
						err = readErr{io.ErrUnexpectedEOF}
					}
					return nil, v.line, err
				}
			}
		} else if c == '[' {
			_, _ = v.byte()
			v.inArray = true
			if c, err = v.space(); err != nil {
				if err == io.EOF {
					err = readErr{io.ErrUnexpectedEOF}
				}
				return nil, v.line, err
			}
			if c == ']' {
				continue
			}
		}
		line := v.line
		rec, err := v.value()
		if err == nil && v.inArray {
			// The element must be followed by , or ].
			// (An error here is the next call's: this record is whole.)
			c, err2 := v.space()
			if err2 == io.EOF {
				err2 = readErr{io.ErrUnexpectedEOF}
			}
			if err2 == nil && c != ',' && c != ']' {
				err2 = errSyntax{fmt.Sprintf("line %d: an array element is not followed by , or ]: the rest of the input is not read", v.line)}
			}
			if err2 != nil {
				v.pending, v.pendingLine = err2, v.line
			}
		}
		return rec, line, err
	}
}

// value reads one JSON value (an object or array to its matching end, a
// string, a scalar) into buf; past max it reads on to the value's end and
// returns errLong.
func (v *valueReader) value() ([]byte, error) {
	v.buf = v.buf[:0]
	long := false
	put := func(c byte) {
		if long {
			return
		}
		if len(v.buf) >= v.max {
			long = true
			v.buf = v.buf[:0]
			return
		}
		v.buf = append(v.buf, c)
	}
	depth := 0
	inString, escaped := false, false
	for {
		c, err := v.byte()
		if err == io.EOF {
			if depth == 0 && !inString && len(v.buf) > 0 {
				break // a scalar at the end
			}
			return nil, readErr{io.ErrUnexpectedEOF}
		}
		if err != nil {
			return nil, err
		}
		if inString {
			put(c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
				if depth == 0 {
					goto done
				}
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				// The end of the enclosing array: not part of a scalar.
				if c == '\n' {
					v.line--
				}
				_ = v.br.UnreadByte()
				goto done
			}
			depth--
			if depth == 0 {
				put(c)
				goto done
			}
		case ',', ' ', '\t', '\r', '\n':
			if depth == 0 {
				if c == '\n' {
					v.line--
				}
				_ = v.br.UnreadByte()
				goto done
			}
		}
		put(c)
	}
done:
	if long {
		return nil, errLong{v.max}
	}
	if len(v.buf) == 0 {
		return nil, errSyntax{fmt.Sprintf("line %d: a value was expected: the rest of the input is not read", v.line)}
	}
	return v.buf, nil
}

// fatal reports whether an error ends the input (the records after it
// cannot be found).
func fatal(err error) bool {
	var re readErr
	var se errSyntax
	return errors.As(err, &re) || errors.As(err, &se)
}

// IsGzip reports whether data starts with the gzip magic bytes.
func IsGzip(head []byte) bool {
	return len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b
}
