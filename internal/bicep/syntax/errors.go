package syntax

import (
	"fmt"
	"strings"
)

// Error is one syntax error: where it is and what was expected there.
type Error struct {
	File string
	Pos
	Msg string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// ErrorList is the error Parse returns: one or more syntax errors in source
// order (at most maxErrors; the last one then says that more were dropped).
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}
