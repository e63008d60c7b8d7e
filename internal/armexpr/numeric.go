package armexpr

import (
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// numericFunctions: int.
func numericFunctions() map[string]builtin {
	return map[string]builtin{
		"int": {min: 1, max: 1, fn: fnInt},
	}
}

func fnInt(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	a := args[0]
	if a == nil || (a.Kind != jsontree.Number && a.Kind != jsontree.String) {
		return nil, failf("int() takes a string or an integer")
	}
	i, err := strconv.ParseInt(strings.TrimSpace(a.Str), 10, 64)
	if err != nil {
		return nil, failf("int() of text that is not an integer")
	}
	return newInt(i, c.line), nil
}
