package checks

import "testing"

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
		want cover
		err  bool
	}{
		{sel: "", want: covYes},
		{sel: "all()", want: covYes},
		{sel: "global()", want: covNo},
		{sel: "app == 'web'", want: covYes},
		{sel: `app == "api"`, want: covNo},
		{sel: "app != 'api'", want: covYes},
		{sel: "has(tier)", want: covYes},
		{sel: "!has(tier)", want: covNo},
		{sel: "app in {'api', 'web'}", want: covYes},
		{sel: "app not in {'api', 'web'}", want: covNo},
		{sel: "version starts with 'v1' && version contains '.2'", want: covYes},
		{sel: "app == 'api' || (tier == 'front' && version ends with '2')", want: covYes},
		{sel: "pcns.team == 'a'", want: covUnknown},
		{sel: "app == 'api' && pcns.team == 'a'", want: covNo},
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
		want        cover
	}{
		{"empty rule: Cilium's default deny", map[string]any{}, false, covNo},
		{"ports without from", map[string]any{"toPorts": []any{}}, false, covYes},
		{"fromEntities world", map[string]any{"fromEntities": []any{"world"}}, false, covYes},
		{"fromEntities cluster", map[string]any{"fromEntities": []any{"cluster"}}, false, covYes},
		{"fromEntities host", map[string]any{"fromEntities": []any{"host"}}, false, covNo},
		{"fromCIDR ::/0", map[string]any{"fromCIDR": []any{"::/0"}}, false, covYes},
		{"fromCIDR private", map[string]any{"fromCIDR": []any{"10.0.0.0/8"}}, false, covNo},
		{"fromCIDRSet group", map[string]any{"fromCIDRSet": []any{map[string]any{"cidrGroupRef": "g"}}}, false, covUnknown},
		{"fromEndpoints {} namespaced: its namespace", map[string]any{"fromEndpoints": []any{map[string]any{}}}, false, covNo},
		{"fromEndpoints {} clusterwide", map[string]any{"fromEndpoints": []any{map[string]any{}}}, true, covYes},
		{"fromEndpoints by namespace expression", map[string]any{"fromEndpoints": []any{map[string]any{"matchExpressions": []any{map[string]any{"key": "k8s:io.kubernetes.pod.namespace", "operator": "Exists"}}}}}, false, covUnknown},
		{"fromRequires is not read", map[string]any{"fromRequires": []any{}}, false, covUnknown},
		{"an unknown field", map[string]any{"fromSomething": []any{}}, false, covUnknown},
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
		want   cover
	}{
		{"allow without source", map[string]any{"action": "Allow"}, false, covYes},
		{"pass without source", map[string]any{"action": "Pass"}, false, covYes},
		{"deny", map[string]any{"action": "Deny"}, false, covNo},
		{"allow from a selector: its namespace", map[string]any{"action": "Allow", "source": map[string]any{"selector": "app == 'x'"}}, false, covNo},
		{"allow from all() of its namespace", map[string]any{"action": "Allow", "source": map[string]any{"selector": "all()"}}, false, covNo},
		{"allow from all() in a global policy", map[string]any{"action": "Allow", "source": map[string]any{"selector": "all()"}}, true, covYes},
		{"allow from every namespace", map[string]any{"action": "Allow", "source": map[string]any{"namespaceSelector": "all()"}}, false, covYes},
		{"allow from one namespace", map[string]any{"action": "Allow", "source": map[string]any{"namespaceSelector": "name == 'a'"}}, false, covNo},
		{"allow from 0.0.0.0/0", map[string]any{"action": "Allow", "source": map[string]any{"nets": []any{"0.0.0.0/0"}}}, false, covYes},
		{"allow from a private net", map[string]any{"action": "Allow", "source": map[string]any{"nets": []any{"10.0.0.0/8"}}}, false, covNo},
		{"allow from service accounts", map[string]any{"action": "Allow", "source": map[string]any{"serviceAccounts": map[string]any{}}}, false, covNo},
		{"a source selector that does not parse", map[string]any{"action": "Allow", "source": map[string]any{"selector": "app =="}}, false, covUnknown},
		{"an unknown action", map[string]any{"action": "Maybe"}, false, covUnknown},
		{"an unknown field", map[string]any{"action": "Allow", "sourceX": map[string]any{}}, false, covUnknown},
	}
	for _, tt := range calico {
		t.Run("calico/"+tt.name, func(t *testing.T) {
			if got, _, why := calicoRuleOpen(tt.rule, tt.global); got != tt.want {
				t.Errorf("%v (%s), want %v", got, why, tt.want)
			}
		})
	}
}
