package netpols

import (
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/checks/kit"
)

// Calico selectors are read, never guessed: what does not parse is an
// error, and a namespace label of an undeclared namespace is unknown.
func TestCalicoSelector(t *testing.T) {
	pod := map[string]string{"app": "web", "tier": "front", "version": "v1.2"}
	labels := func(k string) (string, bool, bool) {
		if k == "pcns.team" {
			return "", false, false // an undeclared namespace's label
		}
		v, ok := pod[k]
		return v, ok, true
	}
	tests := []struct {
		sel  string
		want kit.Cover
		err  bool
	}{
		{sel: "", want: kit.CovYes},
		{sel: "all()", want: kit.CovYes},
		{sel: "global()", want: kit.CovNo},
		{sel: "app == 'web'", want: kit.CovYes},
		{sel: `app == "api"`, want: kit.CovNo},
		{sel: "app != 'api'", want: kit.CovYes},
		{sel: "has(tier)", want: kit.CovYes},
		{sel: "!has(tier)", want: kit.CovNo},
		{sel: "app in {'api', 'web'}", want: kit.CovYes},
		{sel: "app not in {'api', 'web'}", want: kit.CovNo},
		{sel: "version starts with 'v1' && version contains '.2'", want: kit.CovYes},
		{sel: "app == 'api' || (tier == 'front' && version ends with '2')", want: kit.CovYes},
		{sel: "pcns.team == 'a'", want: kit.CovUnknown},
		{sel: "app == 'api' && pcns.team == 'a'", want: kit.CovNo},
		{sel: "app == 'web' ||", err: true},
		{sel: "app = 'web'", err: true},
		{sel: "app == web", err: true},
		{sel: "has(app", err: true},
		{sel: "app in {'web'", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.sel, func(t *testing.T) {
			s, err := parseCalicoSel(tt.sel)
			if tt.err {
				if err == nil {
					t.Fatalf("parsed %q, want an error", tt.sel)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s(labels); got != tt.want {
				t.Errorf("%q = %v, want %v", tt.sel, got, tt.want)
			}
		})
	}
}

// What makes one Cilium or Calico ingress rule admit any source.
func TestEngineRuleOpen(t *testing.T) {
	cilium := []struct {
		name        string
		rule        map[string]any
		clusterwide bool
		want        kit.Cover
	}{
		{"empty rule: Cilium's default deny", map[string]any{}, false, kit.CovNo},
		{"ports without from", map[string]any{"toPorts": []any{}}, false, kit.CovYes},
		{"fromEntities world", map[string]any{"fromEntities": []any{"world"}}, false, kit.CovYes},
		{"fromEntities cluster", map[string]any{"fromEntities": []any{"cluster"}}, false, kit.CovYes},
		{"fromEntities host", map[string]any{"fromEntities": []any{"host"}}, false, kit.CovNo},
		{"fromCIDR ::/0", map[string]any{"fromCIDR": []any{"::/0"}}, false, kit.CovYes},
		{"fromCIDR private", map[string]any{"fromCIDR": []any{"10.0.0.0/8"}}, false, kit.CovNo},
		{"fromCIDRSet group", map[string]any{"fromCIDRSet": []any{map[string]any{"cidrGroupRef": "g"}}}, false, kit.CovUnknown},
		{"fromEndpoints {} namespaced: its namespace", map[string]any{"fromEndpoints": []any{map[string]any{}}}, false, kit.CovNo},
		{"fromEndpoints {} clusterwide", map[string]any{"fromEndpoints": []any{map[string]any{}}}, true, kit.CovYes},
		{"fromEndpoints by namespace expression", map[string]any{"fromEndpoints": []any{map[string]any{"matchExpressions": []any{map[string]any{"key": "k8s:io.kubernetes.pod.namespace", "operator": "Exists"}}}}}, false, kit.CovUnknown},
		{"fromRequires is not read", map[string]any{"fromRequires": []any{}}, false, kit.CovUnknown},
		{"an unknown field", map[string]any{"fromSomething": []any{}}, false, kit.CovUnknown},
	}
	for _, tt := range cilium {
		t.Run("cilium/"+tt.name, func(t *testing.T) {
			if got, why := ciliumRuleOpen(tt.rule, tt.clusterwide); got != tt.want {
				t.Errorf("%v (%s), want %v", got, why, tt.want)
			}
		})
	}
	calico := []struct {
		name   string
		rule   map[string]any
		global bool
		want   kit.Cover
	}{
		{"allow without source", map[string]any{"action": "Allow"}, false, kit.CovYes},
		{"pass without source", map[string]any{"action": "Pass"}, false, kit.CovYes},
		{"deny", map[string]any{"action": "Deny"}, false, kit.CovNo},
		{"allow from a selector: its namespace", map[string]any{"action": "Allow", "source": map[string]any{"selector": "app == 'x'"}}, false, kit.CovNo},
		{"allow from all() of its namespace", map[string]any{"action": "Allow", "source": map[string]any{"selector": "all()"}}, false, kit.CovNo},
		{"allow from all() in a global policy", map[string]any{"action": "Allow", "source": map[string]any{"selector": "all()"}}, true, kit.CovYes},
		{"allow from every namespace", map[string]any{"action": "Allow", "source": map[string]any{"namespaceSelector": "all()"}}, false, kit.CovYes},
		{"allow from one namespace", map[string]any{"action": "Allow", "source": map[string]any{"namespaceSelector": "name == 'a'"}}, false, kit.CovNo},
		{"allow from 0.0.0.0/0", map[string]any{"action": "Allow", "source": map[string]any{"nets": []any{"0.0.0.0/0"}}}, false, kit.CovYes},
		{"allow from a private net", map[string]any{"action": "Allow", "source": map[string]any{"nets": []any{"10.0.0.0/8"}}}, false, kit.CovNo},
		{"allow from service accounts", map[string]any{"action": "Allow", "source": map[string]any{"serviceAccounts": map[string]any{}}}, false, kit.CovNo},
		{"a source selector that does not parse", map[string]any{"action": "Allow", "source": map[string]any{"selector": "app =="}}, false, kit.CovUnknown},
		{"an unknown action", map[string]any{"action": "Maybe"}, false, kit.CovUnknown},
		{"an unknown field", map[string]any{"action": "Allow", "sourceX": map[string]any{}}, false, kit.CovUnknown},
	}
	for _, tt := range calico {
		t.Run("calico/"+tt.name, func(t *testing.T) {
			if got, _, why := calicoRuleOpen(tt.rule, tt.global); got != tt.want {
				t.Errorf("%v (%s), want %v", got, why, tt.want)
			}
		})
	}
}

// TestCalicoSelectorBounds: a selector nested or chained past the bounds
// is an error before the parser's recursion or the evaluation's closures
// could exhaust the stack (5 million parentheses used to kill the process);
// one just inside them still evaluates.
func TestCalicoSelectorBounds(t *testing.T) {
	labels := func(string) (string, bool, bool) { return "api", true, true }
	tests := []struct {
		name, sel string
		err       string
	}{
		{"parentheses", strings.Repeat("(", 5_000_000) + "all()" + strings.Repeat(")", 5_000_000), "nested more than 100 levels"},
		{"negations", strings.Repeat("!", 5_000_000) + "all()", "nested more than 100 levels"},
		{"chain", strings.Repeat("has(a) || ", 200_000) + "all()", "more than 10000 terms"},
		{"deep but within", strings.Repeat("(", 99) + "has(a)" + strings.Repeat(")", 99), ""},
		{"long but within", strings.Repeat("has(a) && ", 2_000) + "has(a)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseCalicoSel(tt.sel)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s(labels); got != kit.CovYes {
				t.Errorf("got %v, want yes", got)
			}
		})
	}
}

// FuzzCalicoSelector: any selector parses or fails with an error; a parsed
// one evaluates without panicking.
func FuzzCalicoSelector(f *testing.F) {
	for _, s := range []string{"", "all()", "app == 'api' || (tier == 'front' && version ends with '2')",
		"app not in {'a', 'b'}", "!has(x)", strings.Repeat("(", 200) + "all()" + strings.Repeat(")", 200),
		strings.Repeat("!", 300) + "global()", "pcns.team == 'a'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sel, err := parseCalicoSel(s)
		if err != nil {
			return
		}
		sel(func(k string) (string, bool, bool) { return k, len(k)%2 == 0, len(k)%3 != 0 })
	})
}
