package armexpr

import (
	"strings"
	"testing"
)

// TestBuiltinTable: every function is in exactly one family, spelled in
// lower case, has one implementation, and is not also a deployment-time
// function (which call would never reach).
func TestBuiltinTable(t *testing.T) {
	seen := map[string]int{}
	for _, family := range []map[string]builtin{
		logicalFunctions(), comparisonFunctions(), stringFunctions(), arrayFunctions(),
		objectFunctions(), numericFunctions(), resourceFunctions(), deploymentValueFunctions(), lambdaFunctions(),
	} {
		for name, b := range family {
			seen[name]++
			if name != strings.ToLower(name) {
				t.Errorf("%s: table names are lower-case", name)
			}
			if (b.fn == nil) == (b.special == nil) {
				t.Errorf("%s: needs exactly one of fn and special", name)
			}
			if b.special != nil && (b.min != 0 || b.max != 0 || b.placeholders) {
				t.Errorf("%s: a special form checks its own arguments", name)
			}
			if b.fn != nil && (b.min < 0 || (b.max >= 0 && b.max < b.min)) {
				t.Errorf("%s: bad arity %d..%d", name, b.min, b.max)
			}
			if deploymentFunctions[name] || strings.HasPrefix(name, "list") {
				t.Errorf("%s: also a deployment-time function", name)
			}
		}
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s is in %d families", name, n)
		}
	}
	if len(seen) != len(builtins) {
		t.Errorf("the table has %d functions, the families %d", len(builtins), len(seen))
	}
}

// TestBuiltinArity: the table's bounds give the messages the evaluator
// always gave.
func TestBuiltinArity(t *testing.T) {
	for expr, want := range map[string]string{
		`[true(1)]`:                   "true() takes 0 argument(s)",
		`[toLower()]`:                 "toLower() takes 1 argument(s)",
		`[equals(1)]`:                 "equals() takes 2 argument(s)",
		`[format()]`:                  "format() takes at least 1 argument(s)",
		`[union()]`:                   "union() takes at least 1 argument(s)",
		`[if(true(), 1)]`:             "if() takes 3 arguments",
		`[and()]`:                     "and() needs arguments",
		`[parameters('a', 'b')]`:      "parameters() takes 1 argument",
		`[Contains('a', 'b', 'c')]`:   "Contains() takes 2 argument(s)",
		`[resourceId('a')]`:           "resourceId(): no resource type (Namespace/type) among the arguments",
		`[createObject('a', 1, 'b')]`: "createObject() takes key/value pairs",
	} {
		if _, why := evalJSON(testScope(t, exprTemplate), expr, modeValue); why != want {
			t.Errorf("%s: reason %q, want %q", expr, why, want)
		}
	}
}
