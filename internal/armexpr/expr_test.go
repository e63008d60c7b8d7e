package armexpr

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// exprTemplate is the template the expression tests evaluate against.
const exprTemplate = `{
  "parameters": {
    "name": {"type": "string", "defaultValue": "aks1"},
    "env": {"type": "string", "defaultValue": "[toUpper('prod')]"},
    "flag": {"type": "bool", "defaultValue": true},
    "count": {"type": "int", "defaultValue": 3},
    "cfg": {"type": "object", "defaultValue": {"enabled": true, "nested": {"list": ["a", "b"]}, "ref": "[parameters('name')]"}},
    "list": {"type": "array", "defaultValue": ["x", "y"]},
    "secret": {"type": "securestring", "defaultValue": "hunter2-secret"},
    "secretObj": {"type": "secureObject", "defaultValue": {"k": "hunter2-obj"}},
    "noDefault": {"type": "string"},
    "nullableNoDefault": {"type": "string", "nullable": true},
    "loc": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "selfRef": {"type": "string", "defaultValue": "[parameters('selfRef')]"},
    "given": {"type": "string", "defaultValue": "from-default"},
    "vault": {"type": "string"}
  },
  "variables": {
    "prefix": "[concat(parameters('name'), '-', parameters('env'))]",
    "obj": {"a": 1, "b": {"c": "[variables('prefix')]"}},
    "c1": "[variables('c2')]",
    "c2": "[variables('c1')]",
    "self": "[variables('self')]",
    "escaped": "[[not an expression]",
    "arr": "[createArray(1, 2, 3)]",
    "copy": [
      {"name": "looped", "count": 2, "input": "[copyIndex('looped')]"},
      {"name": "pools", "count": "[length(parameters('list'))]", "input": {"name": "[concat('p', parameters('list')[copyIndex('pools')])]", "n": "[copyIndex('pools', 1)]"}},
      {"name": "unknownCount", "count": "[parameters('noDefault')]", "input": "[copyIndex('unknownCount')]"},
      {"name": "huge", "count": 801, "input": 1},
      {"name": "noInput", "count": 1}
    ]
  }
}`

func testScope(t testing.TB, tmpl string) *scope {
	t.Helper()
	root, err := jsontree.Parse([]byte(tmpl))
	if err != nil {
		t.Fatal(err)
	}
	sc := newScope(newShared(), root)
	given, _ := jsontree.Parse([]byte(`"[from-the-parameters-file]"`))
	sc.give("GIVEN", given, true)
	sc.given["vault"] = givenParam{} // a Key Vault reference
	return sc
}

// evalJSON evaluates one template string and renders the result as JSON.
func evalJSON(sc *scope, text string, mode evalMode) (string, string) {
	n := &jsontree.Node{Kind: jsontree.String, Str: text, Line: 7}
	v, err := sc.force(n, mode)
	if err != nil {
		return "", err.why
	}
	d, err := sc.deep(v, mode, 0)
	if err != nil {
		return "", err.why
	}
	js, jerr := json.Marshal(d.Interface())
	if jerr != nil {
		return "", jerr.Error()
	}
	return string(js), ""
}

func TestEvalExpression(t *testing.T) {
	cases := []struct {
		expr string
		want string // JSON of the value
		err  string // substring of the reason
	}{
		// parameters and variables
		{expr: `[parameters('name')]`, want: `"aks1"`},
		{expr: `[PARAMETERS('Name')]`, want: `"aks1"`},
		{expr: `[parameters('env')]`, want: `"PROD"`},
		{expr: `[parameters('given')]`, want: `"[from-the-parameters-file]"`},
		{expr: `[variables('prefix')]`, want: `"aks1-PROD"`},
		{expr: `[variables('obj').b.c]`, want: `"aks1-PROD"`},
		{expr: `[variables('obj')['b']['c']]`, want: `"aks1-PROD"`},
		{expr: `[variables('obj')]`, want: `{"a":1,"b":{"c":"aks1-PROD"}}`},
		{expr: `[variables('escaped')]`, want: `"[not an expression]"`},
		{expr: `[variables('arr')[2]]`, want: `3`},
		{expr: `[parameters('cfg').enabled]`, want: `true`},
		{expr: `[parameters('cfg').ENABLED]`, want: `true`},
		{expr: `[parameters('cfg').nested.list[1]]`, want: `"b"`},
		{expr: `[parameters('cfg').ref]`, want: `"aks1"`},
		{expr: `[parameters('list')[0]]`, want: `"x"`},
		{expr: `[ parameters( 'list' ) [ 1 ] ]`, want: `"y"`},
		// literals
		{expr: `['it''s']`, want: `"it's"`},
		{expr: `[-5]`, want: `-5`},
		{expr: `[true()]`, want: `true`},
		{expr: `[false()]`, want: `false`},
		{expr: `[null()]`, want: `null`},
		// strings
		{expr: `[concat('a', 'b', 1, true())]`, want: `"ab1True"`},
		{expr: `[concat(createArray(1), parameters('list'))]`, want: `[1,"x","y"]`},
		{expr: `[format('{0}-{1}-{0}', 'a', 2)]`, want: `"a-2-a"`},
		{expr: `[format('{{literal}} {0}', 'x')]`, want: `"{literal} x"`},
		{expr: `[toLower('ABC')]`, want: `"abc"`},
		{expr: `[toUpper('abc')]`, want: `"ABC"`},
		{expr: `[string(parameters('cfg').nested)]`, want: `"{\"list\":[\"a\",\"b\"]}"`},
		{expr: `[string(false())]`, want: `"False"`},
		{expr: `[int('42')]`, want: `42`},
		{expr: `[length(parameters('list'))]`, want: `2`},
		{expr: `[length('héllo')]`, want: `5`},
		// functions Bicep compiles to
		{expr: `[tryGet(parameters('cfg'), 'nested', 'list', 1)]`, want: `"b"`},
		{expr: `[tryGet(parameters('cfg'), 'missing', 'x')]`, want: `null`},
		{expr: `[tryGet(null(), 'x')]`, want: `null`},
		{expr: `[tryGet(parameters('list'), 5)]`, want: `null`},
		{expr: `[map(parameters('list'), lambda('v', toUpper(lambdaVariables('v'))))]`, want: `["X","Y"]`},
		{expr: `[map(createArray(1, 2), lambda('v', 'i', add(lambdaVariables('v'), lambdaVariables('i'))))]`, want: `[1,3]`},
		{expr: `[filter(createArray(1, 2, 3), lambda('v', greater(lambdaVariables('v'), 1)))]`, want: `[2,3]`},
		{expr: `[reduce(createArray(1, 2, 3), 0, lambda('a', 'v', add(lambdaVariables('a'), lambdaVariables('v'))))]`, want: `6`},
		{expr: `[toObject(parameters('list'), lambda('v', lambdaVariables('v')), lambda('v', true()))]`, want: `{"x":true,"y":true}`},
		{expr: `[map(createArray(createArray(1)), lambda('a', map(lambdaVariables('a'), lambda('b', mul(lambdaVariables('b'), 10)))))]`, want: `[[10]]`},
		{expr: `[shallowMerge(createArray(createObject('a', 1, 'b', 1), null(), createObject('b', 2)))]`, want: `{"a":1,"b":2}`},
		{expr: `[flatten(createArray(createArray(1), createArray(2, 3)))]`, want: `[1,2,3]`},
		{expr: `[items(createObject('b', 2, 'a', 1))]`, want: `[{"key":"a","value":1},{"key":"b","value":2}]`},
		{expr: `[objectKeys(createObject('b', 2, 'a', 1))]`, want: `["b","a"]`},
		{expr: `[range(2, 3)]`, want: `[2,3,4]`},
		{expr: `[first(parameters('list'))]`, want: `"x"`},
		{expr: `[last(split('a/b/c', '/'))]`, want: `"c"`},
		{expr: `[take(parameters('list'), 1)]`, want: `["x"]`},
		{expr: `[skip('abc', 1)]`, want: `"bc"`},
		{expr: `[replace('a-b-c', '-', '.')]`, want: `"a.b.c"`},
		{expr: `[startsWith('Standard_D2', 'standard')]`, want: `true`},
		{expr: `[endsWith('abc', 'x')]`, want: `false`},
		{expr: `[join(createArray('a', 1), ',')]`, want: `"a,1"`},
		{expr: `[less(1, 2)]`, want: `true`},
		{expr: `[greaterOrEquals('b', 'a')]`, want: `true`},
		{expr: `[lessOrEquals(2, 2)]`, want: `true`},
		{expr: `[sub(mul(3, 4), div(mod(7, 4), 1))]`, want: `9`},
		{expr: `[max(createArray(1, 5), 3)]`, want: `5`},
		{expr: `[min(4, 2)]`, want: `2`},
		// createObject keeps a member it cannot evaluate as its expression:
		// the others stay known, and reading it is unresolved.
		{expr: `[createObject('a', 1, 'b', parameters('noDefault')).a]`, want: `1`},
		{expr: `[tryGet(union(createObject('b', parameters('noDefault')), createObject('c', 2)), 'c')]`, want: `2`},
		{expr: `[array('a')]`, want: `["a"]`},
		{expr: `[array(createArray(1))]`, want: `[1]`},
		{expr: `[json('{"a": [1, "[x]"]}')]`, want: `{"a":[1,"[x]"]}`},
		{expr: `[json('null')]`, want: `null`},
		// logic
		{expr: `[not(true())]`, want: `false`},
		{expr: `[bool('TRUE')]`, want: `true`},
		{expr: `[bool(0)]`, want: `false`},
		{expr: `[bool(1)]`, want: `true`},
		{expr: `[if(parameters('flag'), 'yes', reference('x'))]`, want: `"yes"`},
		{expr: `[if(equals(parameters('env'), 'PROD'), 1, 2)]`, want: `1`},
		{expr: `[equals('a', 'A')]`, want: `false`},
		{expr: `[equals(parameters('count'), 3)]`, want: `true`},
		{expr: `[equals(createObject('A', 1), createObject('a', 1))]`, want: `true`},
		{expr: `[equals(parameters('list'), createArray('x', 'y'))]`, want: `true`},
		{expr: `[and(true(), false())]`, want: `false`},
		{expr: `[or(false(), true())]`, want: `true`},
		{expr: `[or(true(), reference('x').y)]`, want: `true`},
		{expr: `[and(false(), reference('x').y)]`, want: `false`},
		{expr: `[empty('')]`, want: `true`},
		{expr: `[empty(createArray())]`, want: `true`},
		{expr: `[empty(createObject())]`, want: `true`},
		{expr: `[empty(null())]`, want: `true`},
		{expr: `[empty(parameters('list'))]`, want: `false`},
		{expr: `[coalesce(null(), null(), 'c')]`, want: `"c"`},
		{expr: `[coalesce(null())]`, want: `null`},
		{expr: `[contains(parameters('list'), 'y')]`, want: `true`},
		{expr: `[contains('abc', 'b')]`, want: `true`},
		{expr: `[contains(parameters('cfg'), 'ENABLED')]`, want: `true`},
		// objects and arrays
		{expr: `[createObject('a', 1, 'b', createArray('x'))]`, want: `{"a":1,"b":["x"]}`},
		{expr: `[union(createObject('a', 1, 'n', createObject('x', 1)), createObject('b', 2, 'n', createObject('y', 2)))]`, want: `{"a":1,"b":2,"n":{"x":1,"y":2}}`},
		{expr: `[union(createArray(1, 2), createArray(2, 3))]`, want: `[1,2,3]`},
		// variable copy loops
		{expr: `[variables('looped')]`, want: `[0,1]`},
		{expr: `[variables('pools')]`, want: `[{"n":1,"name":"px"},{"n":2,"name":"py"}]`},
		{expr: `[length(variables('pools'))]`, want: `2`},
		{expr: `[union(variables('obj'), createObject('a', 5)).a]`, want: `5`},
		// resource IDs
		{expr: `[resourceId('Microsoft.ContainerService/managedClusters', 'aks1')]`, want: `"Microsoft.ContainerService/managedClusters/aks1"`},
		{expr: `[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'snet')]`, want: `"Microsoft.Network/virtualNetworks/vnet/subnets/snet"`},
		{expr: `[resourceId('sub-1', 'rg-1', 'Microsoft.ContainerService/managedClusters', 'aks1')]`, want: `"/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.ContainerService/managedClusters/aks1"`},
		{expr: `[resourceId('rg-1', 'Microsoft.ContainerService/managedClusters', 'aks1')]`, want: `"/resourceGroups/rg-1/providers/Microsoft.ContainerService/managedClusters/aks1"`},
		{expr: `[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'rg')]`, want: `"Microsoft.Resources/resourceGroups/rg"`},
		{expr: `[tenantResourceId('Microsoft.Management/managementGroups', 'mg')]`, want: `"/providers/Microsoft.Management/managementGroups/mg"`},
		{expr: `[extensionResourceId(resourceId('Microsoft.ContainerService/managedClusters', 'aks1'), 'Microsoft.Insights/diagnosticSettings', 'd')]`, want: `"Microsoft.ContainerService/managedClusters/aks1/providers/Microsoft.Insights/diagnosticSettings/d"`},

		// languageVersion 2.0: a nullable parameter not given is null
		{expr: `[parameters('nullableNoDefault')]`, want: `null`},
		{expr: `[coalesce(parameters('nullableNoDefault'), 'd')]`, want: `"d"`},

		{expr: `[createObject('a', 1, 'b', parameters('noDefault')).b]`, err: "parameter 'noDefault' has no default value"},
		{expr: `[union(createObject('b', parameters('noDefault')), createObject('b', createObject('x', 1))).b.x]`, err: "parameter 'noDefault' has no default value"},
		{expr: `[string(createObject('b', parameters('noDefault')))]`, err: "parameter 'noDefault' has no default value"},
		{expr: `[createObject(parameters('noDefault'), 1)]`, err: "parameter 'noDefault' has no default value"},
		{expr: `[lambda('x', 1)]`, err: "lambda() is only an argument"},
		{expr: `[lambdaVariables('x')]`, err: "outside a lambda"},
		{expr: `[map(createArray(1), 1)]`, err: "takes a lambda"},
		{expr: `[div(1, 0)]`, err: "by zero"},
		{expr: `[range(0, 100000)]`, err: "more than 10000"},
		// unresolved
		{expr: `[parameters('noDefault')]`, err: "parameter 'noDefault' has no default value and none was given"},
		{expr: `[parameters('undeclared')]`, err: "parameter 'undeclared' is not declared"},
		{expr: `[parameters('vault')]`, err: "Key Vault reference"},
		{expr: `[parameters('loc')]`, err: "default value of parameter 'loc': resourceGroup() is known only when the template is deployed"},
		{expr: `[parameters('selfRef')]`, err: "parameter 'selfRef' refers to itself"},
		{expr: `[variables('c1')]`, err: "refers to itself"},
		{expr: `[variables('self')]`, err: "variable 'self' refers to itself"},
		{expr: `[variables('nope')]`, err: "variable 'nope' is not defined"},
		{expr: `[copyIndex()]`, err: "copyIndex() is used outside a resource copy loop"},
		{expr: `[copyIndex('x', 2)]`, err: "copyIndex('x') is used outside the copy loop of that name"},
		{expr: `[variables('unknownCount')]`, err: "variable 'unknownCount': the number of copies is unknown (unresolved ARM expression [parameters('noDefault')]"},
		{expr: `[variables('huge')]`, err: "more than ARM's limit of 800 copies"},
		{expr: `[variables('noInput')]`, err: "its copy loop has no input"},
		{expr: `[reference('x').outputs]`, err: "reference() is known only when the template is deployed"},
		{expr: `[uniqueString('a')]`, err: "uniqueString() is known only"},
		{expr: `[subscription().subscriptionId]`, err: "subscription() is known only"},
		{expr: `[listKeys('x', '2020-01-01').keys[0].value]`, err: "listKeys() is known only"},
		{expr: `[mystery('x')]`, err: "function mystery() is not evaluated by aksguard"},
		{expr: `[ns.fn('x')]`, err: "function ns.fn() is not evaluated"},
		{expr: `[parameters('list')[2]]`, err: "index 2 is out of range"},
		{expr: `[parameters('cfg').missing]`, err: "property 'missing' does not exist"},
		{expr: `[parameters('name').x]`, err: ".x is read from a string"},
		{expr: `[format('{0:N2}', 1)]`, err: "format specifiers are not supported"},
		{expr: `[format('{3}', 'a')]`, err: "placeholder {3} has no argument"},
		{expr: `[format('{x}', 'a')]`, err: "bad placeholder"},
		{expr: `[bool('nope')]`, err: "bool() takes"},
		{expr: `[if('yes', 1, 2)]`, err: "not a boolean"},
		{expr: `[concat(createObject())]`, err: "concat() of an object"},
		{expr: `[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]`, err: "number of names"},
		{expr: `[createObject('a')]`, err: "key/value pairs"},
		// parse errors
		{expr: `[concat('a']`, err: "not a valid expression"},
		{expr: `['unterminated]`, err: "unterminated string"},
		{expr: `[foo]`, err: "expected '(' after \"foo\""},
		{expr: `[1 2]`, err: "not a valid expression"},
		{expr: `[parameters('cfg').]`, err: "expected a property name"},
		{expr: `[99999999999999999999]`, err: "bad integer"},
		{expr: `[]`, err: "expected a value"},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			got, why := evalJSON(testScope(t, exprTemplate), tc.expr, modeValue)
			if tc.err != "" {
				if why == "" || !strings.Contains(why, tc.err) {
					t.Fatalf("got %s (reason %q), want reason containing %q", got, why, tc.err)
				}
				return
			}
			if why != "" {
				t.Fatalf("unresolved: %s", why)
			}
			if got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// Secure parameters are never evaluated, so their values cannot reach a
// field, a reason or evidence.
func TestEvalSecureParameters(t *testing.T) {
	for _, expr := range []string{
		`[parameters('secret')]`,
		`[concat(parameters('secret'), '-x')]`,
		`[parameters('secretObj').k]`,
		`[empty(parameters('secret'))]`,
		`[equals(parameters('secret'), 'hunter2-secret')]`,
		`[string(parameters('secretObj'))]`,
	} {
		got, why := evalJSON(testScope(t, exprTemplate), expr, modeValue)
		if why == "" || !strings.Contains(why, "is secure") {
			t.Errorf("%s: got %s (reason %q), want unresolved as secure", expr, got, why)
		}
		if strings.Contains(why, "hunter2") {
			t.Errorf("%s: reason leaks the value: %q", expr, why)
		}
	}
}

// In name mode, deployment-time values become placeholders that spell the
// expression, so equal expressions give equal names.
func TestEvalNameMode(t *testing.T) {
	cases := []struct{ expr, want string }{
		{`[parameters('name')]`, `aks1`},
		{`[parameters('noDefault')]`, `{parameters('noDefault')}`},
		{`[concat(parameters('noDefault'), '/pool')]`, `{parameters('noDefault')}/pool`},
		{`[resourceGroup().location]`, `{resourceGroup().location}`},
		{`[parameters('loc')]`, `{resourceGroup().location}`},
		{`[format('aks-{0}', uniqueString(resourceGroup().id))]`, `aks-{uniqueString(resourceGroup().id)}`},
		{`[parameters('secret')]`, `{parameters('secret')}`},
		{`[parameters('vault')]`, `{parameters('vault')}`},
		{`[toLower(parameters('noDefault'))]`, `{toLower(parameters('noDefault'))}`},
		{`[parameters('list')[copyIndex()]]`, `{parameters('list')[copyIndex()]}`},
		{`[if(equals(parameters('noDefault'), 'a'), 'x', 'y')]`, `{if(equals(parameters('noDefault'), 'a'), 'x', 'y')}`},
		{`[resourceId('Microsoft.ContainerService/managedClusters', parameters('noDefault'))]`, `Microsoft.ContainerService/managedClusters/{parameters('noDefault')}`},
		{`[mystery()]`, `{mystery()}`},
	}
	for _, tc := range cases {
		sc := testScope(t, exprTemplate)
		text, ok := sc.nameOf(&jsontree.Node{Kind: jsontree.String, Str: tc.expr, Line: 3})
		if !ok || text != tc.want {
			t.Errorf("%s: got %q (ok %v), want %q", tc.expr, text, ok, tc.want)
		}
	}
	sc := testScope(t, exprTemplate)
	if text, ok := sc.nameOf(&jsontree.Node{Kind: jsontree.String, Str: "[concat('a']", Line: 3}); ok || text != "[concat('a']" {
		t.Errorf("broken expression: got %q, %v; want the raw text, false", text, ok)
	}
}

func TestResolver(t *testing.T) {
	sc := testScope(t, exprTemplate)
	resolve := sc.resolver()
	str := func(s string) *jsontree.Node { return &jsontree.Node{Kind: jsontree.String, Str: s, Line: 42} }

	plain := str("plain")
	if got, why := resolve(plain); got != plain || why != "" {
		t.Errorf("a literal must pass through unchanged")
	}
	for in, want := range map[string]string{"[[x]": "[x]", "[": "[", "[[": "[[", "x]": "x]", "[x": "[x"} {
		got, why := resolve(str(in))
		if why != "" || got.Str != want {
			t.Errorf("%q: got %q (%q), want %q", in, got.Str, why, want)
		}
	}
	got, why := resolve(str("[parameters('given')]"))
	if why != "" || got.Str != "[from-the-parameters-file]" || got.Line != 42 {
		t.Fatalf("given value: got %+v %q, want the value with the expression's line", got, why)
	}
	// A resolved value is never evaluated again, even when it looks like an
	// expression.
	if again, why := resolve(got); again != got || why != "" {
		t.Errorf("a resolved value was evaluated again")
	}
	_, why = resolve(str("[reference(resourceId('Microsoft.Network/privateDnsZones', 'z'), '2020-06-01').id]"))
	if !strings.HasPrefix(why, "unresolved ARM expression [reference(resourceId(") {
		t.Errorf("reason %q does not name the expression", why)
	}
	long := "[concat('" + strings.Repeat("x", 400) + "', reference('y'))]"
	if _, why := resolve(str(long)); len(why) > 700 || !strings.Contains(why, "…]") {
		t.Errorf("long expression not clipped in reason (%d bytes)", len(why))
	}
}

// Values read from another file are copied with the line of the
// expression, so no line of the parameters file is reported against the
// template.
func TestResolverRelocatesForeignValues(t *testing.T) {
	sc := testScope(t, exprTemplate)
	obj, _ := jsontree.Parse([]byte("{\n\"a\": {\n\"b\": [\n\"[not-evaluated]\"\n]\n}\n}"))
	sc.give("cfg", obj, true)
	got, why := sc.resolver()(&jsontree.Node{Kind: jsontree.String, Str: "[parameters('cfg')]", Line: 99})
	if why != "" {
		t.Fatal(why)
	}
	var walk func(n *jsontree.Node)
	walk = func(n *jsontree.Node) {
		if n.Line != 99 {
			t.Errorf("node %s at line %d, want 99", n.Scalar(), n.Line)
		}
		for _, m := range n.Members {
			walk(m.Value)
		}
		for _, it := range n.Items {
			walk(it)
		}
	}
	walk(got)
	leaf := got.Get("a", "b", "0")
	if v, why := sc.resolver()(leaf); why != "" || v.Str != "[not-evaluated]" {
		t.Errorf("a string of a given value was evaluated: %q %q", v.Str, why)
	}
}

func TestEvalLimits(t *testing.T) {
	// Strings doubling through variables stop at maxStringLen.
	var vars []string
	vars = append(vars, `"v0": "0123456789abcdef"`)
	for i := 1; i <= 24; i++ {
		vars = append(vars, fmt.Sprintf(`"v%d": "[concat(variables('v%d'), variables('v%d'))]"`, i, i-1, i-1))
	}
	sc := testScope(t, `{"variables": {`+strings.Join(vars, ",")+`}}`)
	if _, why := evalJSON(sc, "[variables('v24')]", modeValue); !strings.Contains(why, "longer than") {
		t.Errorf("doubling strings: reason %q", why)
	}
	sc = testScope(t, `{"variables": {`+strings.Join(vars, ",")+`}}`)
	if _, why := evalJSON(sc, "[format('{0}{0}{0}{0}', variables('v16'))]", modeValue); !strings.Contains(why, "longer than") {
		t.Errorf("format blow-up: reason %q", why)
	}

	// A long chain of variables stops at maxEvalDepth.
	vars = vars[:0]
	for i := 0; i < 200; i++ {
		vars = append(vars, fmt.Sprintf(`"c%d": "[variables('c%d')]"`, i, i+1))
	}
	vars = append(vars, `"c200": "end"`)
	sc = testScope(t, `{"variables": {`+strings.Join(vars, ",")+`}}`)
	if _, why := evalJSON(sc, "[variables('c0')]", modeValue); !strings.Contains(why, "nested more than") {
		t.Errorf("deep chain: reason %q", why)
	}

	// A deeply nested expression is refused by the parser.
	sc = testScope(t, exprTemplate)
	if _, why := evalJSON(sc, "[parameters('cfg')"+strings.Repeat(".a", 100)+"]", modeValue); !strings.Contains(why, "nested too deeply") {
		t.Errorf("deep accessors: reason %q", why)
	}
	if _, why := evalJSON(sc, "["+strings.Repeat("not(", 100)+"true()"+strings.Repeat(")", 100)+"]", modeValue); !strings.Contains(why, "nested too deeply") {
		t.Errorf("deep calls: reason %q", why)
	}

	// Quadratic work (union of large arrays) stops at the step budget, and
	// the budget stays spent for the rest of the file.
	items := make([]string, 1500)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	sc = testScope(t, `{"variables": {"big": "[createArray(`+strings.Join(items, ",")+`)]"}}`)
	if _, why := evalJSON(sc, "[union(variables('big'), variables('big'))]", modeValue); why != errBudget.why {
		t.Errorf("budget: reason %q", why)
	}
	if _, why := evalJSON(sc, "[concat('a', 'b')]", modeValue); why != errBudget.why {
		t.Errorf("budget not kept: reason %q", why)
	}
}

func TestNetFormat(t *testing.T) {
	for _, tc := range []struct {
		f    string
		args []string
		want string
		err  bool
	}{
		{"{0}", []string{"a"}, "a", false},
		{"{ 1 }-{0}", []string{"a", "b"}, "b-a", false},
		{"{{}}", nil, "{}", false},
		{"}", nil, "", true},
		{"{", nil, "", true},
		{"{0,5}", []string{"a"}, "", true},
		{"{-1}", []string{"a"}, "", true},
	} {
		got, err := netFormat(tc.f, tc.args, maxStringLen)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("netFormat(%q): got %q, %v", tc.f, got, err)
		}
	}
}

func FuzzEvalExpression(f *testing.F) {
	for _, s := range []string{
		"parameters('name')", "concat(variables('prefix'), '/x')", "format('{0}-{1}', 'a', parameters('count'))",
		"if(parameters('flag'), createObject('a', 1), null())", "union(parameters('cfg'), createObject('b', 2)).nested.list[0]",
		"resourceId('Microsoft.ContainerService/managedClusters', parameters('name'))", "variables('c1')",
		"parameters('secret')", "resourceGroup().location", "string(parameters('secretObj'))", "'it''s'",
		"ns.f(1)", "coalesce(null(), parameters('noDefault'))", "equals(variables('obj'), variables('obj'))",
		// The functions Bicep compiles to: lambdas (nested, over big ranges), tryGet, json.
		"map(range(0, 10000), lambda('i', map(range(0, 10000), lambda('j', add(lambdaVariables('i'), lambdaVariables('j'))))))",
		"reduce(parameters('list'), '', lambda('a', 'v', concat(lambdaVariables('a'), lambdaVariables('v'))))",
		"toObject(parameters('list'), lambda('v', lambdaVariables('v')))", "tryGet(parameters('secretObj'), 'k')",
		"filter(items(parameters('cfg')), lambda('e', not(empty(lambdaVariables('e').value))))",
		"json(string(parameters('cfg')))", "shallowMerge(createArray(parameters('cfg'), createObject('x', 1)))",
		"split(replace(parameters('name'), 'a', 'bb'), 'b')", "flatten(createArray(parameters('list'), array(1)))",
		// Deep nesting: calls, properties and indexes past maxExprDepth.
		strings.Repeat("not(", maxExprDepth+2) + "true()" + strings.Repeat(")", maxExprDepth+2),
		"parameters('cfg')" + strings.Repeat(".a", maxExprDepth+2),
		"variables('list')" + strings.Repeat("[0]", maxExprDepth+2),
	} {
		f.Add(s)
	}
	root, err := jsontree.Parse([]byte(exprTemplate))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, mode := range []evalMode{modeValue, modeName} {
			sc := newScope(newShared(), root)
			n := &jsontree.Node{Kind: jsontree.String, Str: "[" + s + "]", Line: 1}
			v, err := sc.force(n, mode)
			if err != nil {
				if strings.Contains(err.why, "hunter2") {
					t.Fatalf("reason leaks a secure value: %q", err.why)
				}
				continue
			}
			if mode == modeValue {
				if d, err := sc.deep(v, mode, 0); err == nil {
					if js, _ := json.Marshal(d.Interface()); strings.Contains(string(js), "hunter2") {
						t.Fatalf("a secure value was resolved: %s", js)
					}
				}
			}
			sc.nameOf(n)
		}
	})
}
