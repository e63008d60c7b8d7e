package terraform

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// expect is one field expectation: the named inventory.Field of a cluster
// or pool has a state, a value (checked when Known) and a path (checked when
// not empty). why, when set, must be contained in the field's Why.
type expect struct {
	field string
	state inventory.State
	val   any
	path  string
	why   string
}

func known(field string, val any, path string) expect {
	return expect{field: field, state: inventory.Known, val: val, path: path}
}

func absent(field, path string) expect {
	return expect{field: field, state: inventory.Absent, path: path}
}

func unknown(field, path, why string) expect {
	return expect{field: field, state: inventory.Unknown, path: path, why: why}
}

// checkFields checks expectations against the Field[T] members of obj (a
// pointer to a Cluster or an AgentPool) by name.
func checkFields(t *testing.T, label string, obj any, exps []expect) {
	t.Helper()
	v := reflect.ValueOf(obj).Elem()
	for _, e := range exps {
		f := v.FieldByName(e.field)
		if !f.IsValid() {
			t.Fatalf("%s: no field %s", label, e.field)
		}
		checkField(t, label+"."+e.field, f, e)
	}
}

func checkField(t *testing.T, label string, f reflect.Value, e expect) {
	t.Helper()
	state := inventory.State(f.FieldByName("State").Uint())
	val := f.FieldByName("Val").Interface()
	path := f.FieldByName("Path").String()
	why := f.FieldByName("Why").String()
	if state != e.state {
		t.Errorf("%s: state %d, want %d (val %v, why %q)", label, state, e.state, val, why)
		return
	}
	if e.state == inventory.Known && !reflect.DeepEqual(val, e.val) {
		t.Errorf("%s: value %#v, want %#v", label, val, e.val)
	}
	if e.path != "" && path != e.path {
		t.Errorf("%s: path %q, want %q", label, path, e.path)
	}
	if e.why != "" && !strings.Contains(why, e.why) {
		t.Errorf("%s: why %q, want it to contain %q", label, why, e.why)
	}
}

func checkAddon(t *testing.T, c *inventory.Cluster, name string, e expect) {
	t.Helper()
	a := c.Addon(name)
	if a == nil {
		t.Errorf("%s: add-on %s missing", c.TFAddress, name)
		return
	}
	checkField(t, c.TFAddress+" add-on "+name, reflect.ValueOf(a.Enabled), e)
}

func clusterByAddress(t *testing.T, b *inventory.Batch, addr string) *inventory.Cluster {
	t.Helper()
	for _, c := range b.Clusters {
		if c.TFAddress == addr {
			return c
		}
	}
	var have []string
	for _, c := range b.Clusters {
		have = append(have, c.TFAddress)
	}
	t.Fatalf("no cluster %s (have %v)", addr, have)
	return nil
}

func poolByName(t *testing.T, c *inventory.Cluster, name string) *inventory.AgentPool {
	t.Helper()
	for _, p := range c.AgentPools {
		if p.Name == name {
			return p
		}
	}
	var have []string
	for _, p := range c.AgentPools {
		have = append(have, p.Name)
	}
	t.Fatalf("%s: no pool %s (have %v)", c.TFAddress, name, have)
	return nil
}

func poolNames(c *inventory.Cluster) []string {
	var out []string
	for _, p := range c.AgentPools {
		out = append(out, p.Name)
	}
	return out
}

// logView is a compact form of a diagnostic setting's logs.
func logView(s inventory.DiagnosticSetting) []string {
	var out []string
	for _, l := range s.Logs {
		name := l.Category
		if l.CategoryGroup != "" {
			name = "group:" + l.CategoryGroup
		}
		switch l.Enabled.State {
		case inventory.Known:
			out = append(out, fmt.Sprintf("%s=%v", name, l.Enabled.Val))
		case inventory.Unknown:
			out = append(out, name+"=?")
		default:
			out = append(out, name+"=absent")
		}
	}
	return out
}

// assertNoLeak fails when a secret appears anywhere in the batch.
func assertNoLeak(t *testing.T, b *inventory.Batch, secrets ...string) {
	t.Helper()
	js, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	dump := string(js) + fmt.Sprintf("%+v", *b)
	for _, c := range b.Clusters {
		dump += fmt.Sprintf("%+v", *c)
		for _, p := range c.AgentPools {
			dump += fmt.Sprintf("%+v", *p)
		}
	}
	for _, s := range secrets {
		if strings.Contains(dump, s) {
			t.Errorf("secret %q leaked into the batch", s)
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
