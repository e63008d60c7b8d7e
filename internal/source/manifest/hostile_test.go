package manifest

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// judged lists what a batch holds: workloads and namespaces as Ref@line,
// sorted, then its errors, then its skip counts.
func judged(b *inventory.Batch) string {
	var out []string
	if k := b.Kube; k != nil {
		for _, w := range k.Workloads {
			out = append(out, fmt.Sprintf("%s@%d", w.Ref(), w.Source.Line))
		}
		for _, n := range k.Namespaces {
			out = append(out, fmt.Sprintf("%s@%d", n.Ref(), n.Source.Line))
		}
		for _, r := range sortedKeys(k.Skipped) {
			out = append(out, "skipped "+r)
		}
	}
	sort.Strings(out)
	for _, e := range b.Errors {
		out = append(out, "error "+e.Error())
	}
	if b.Skipped != "" {
		out = append(out, "skipped: "+b.Skipped)
	}
	return strings.Join(out, "\n")
}

func podJSON(name string) string {
	return `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"` + name + `","namespace":"ns"},"spec":{"containers":[{"name":"c","image":"i","securityContext":{"privileged":true}}]}}`
}

// nestJSON wraps inner in depth Lists (of the kind given), each with a
// canary Pod after it.
func nestJSON(inner string, depth int, kind string) string {
	for i := range depth {
		inner = `{"apiVersion":"v1","kind":"` + kind + `","items":[` + inner + `,` + podJSON(fmt.Sprintf("canary%d", i)) + `]}`
	}
	return inner
}

// nestYAML wraps a Pod in depth Lists in block YAML, a canary after each.
func nestYAML(depth int) string {
	var b strings.Builder
	var rec func(level int, ind string)
	pod := func(ind, name string) {
		fmt.Fprintf(&b, "%s- apiVersion: v1\n%s  kind: Pod\n%s  metadata:\n%s    name: %s\n%s    namespace: ns\n", ind, ind, ind, ind, name, ind)
	}
	rec = func(level int, ind string) {
		if level == 0 {
			pod(ind, "deep")
			return
		}
		fmt.Fprintf(&b, "%s- apiVersion: v1\n%s  kind: PodList\n%s  items:\n", ind, ind, ind)
		rec(level-1, ind+"  ")
		pod(ind, fmt.Sprintf("canary%d", level))
	}
	b.WriteString("apiVersion: v1\nkind: List\nitems:\n")
	rec(depth-1, "")
	return b.String()
}

// Lists inside Lists are flattened at any depth, as kubectl does: every
// item is judged at its own line, beside the canaries.
func TestNestedListsFlattened(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"json list in list", nestJSON(podJSON("deep"), 2, "List"),
			"Pod/ns/canary0@1\nPod/ns/canary1@1\nPod/ns/deep@1"},
		{"json PodList three deep", nestJSON(podJSON("deep"), 3, "PodList"),
			"Pod/ns/canary0@1\nPod/ns/canary1@1\nPod/ns/canary2@1\nPod/ns/deep@1"},
		{"json list on lines", "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n" + podJSON("deep") + "\n]},\n" + podJSON("canary") + "\n]}\n",
			"Pod/ns/canary@5\nPod/ns/deep@3"},
		{"yaml list in list", nestYAML(2),
			"Pod/ns/canary1@12\nPod/ns/deep@7"},
		{"yaml four deep", nestYAML(4),
			"Pod/ns/canary1@18\nPod/ns/canary2@23\nPod/ns/canary3@28\nPod/ns/deep@13"},
		{"yaml flow list inside block list", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: List, items: [{apiVersion: v1, kind: Namespace, metadata: {name: deep}}]}\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: canary\n",
			"Namespace/canary@5\nNamespace/deep@4"},
		{"too deep", nestJSON(podJSON("deep"), MaxListDepth+1, "List"),
			"error x.yaml:1: List: Lists nested more than 32 deep; the items of this one are not read: flatten the Lists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judged(Decode([]byte(tt.in), "x.yaml"))
			if tt.name == "too deep" {
				// The canaries of the outer Lists are still judged.
				if !strings.Contains(got, "Pod/ns/canary31@1") {
					t.Errorf("outer canary not judged:\n%s", got)
				}
				got = got[strings.Index(got, "error "):]
			}
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func nsJSON(name string) string {
	return `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"` + name + `"}}`
}

// A file that starts with JSON is read as kubectl reads it (a stream of
// JSON objects, or one JSON object and then YAML); whatever cannot be read
// so is an error at its line, and the objects before it are still judged.
func TestJSONStreams(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"two objects", nsJSON("a") + nsJSON("b"), "Namespace/a@1\nNamespace/b@1"},
		{"two objects on lines", nsJSON("a") + "\n\n" + nsJSON("b") + "\n", "Namespace/a@1\nNamespace/b@3"},
		{"json then yaml", nsJSON("a") + "\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: c\n",
			"Namespace/a@1\nNamespace/b@3\nNamespace/c@8"},
		{"json then yaml without marker", nsJSON("a") + "\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n", "Namespace/a@1\nNamespace/b@2"},
		{"trailing NUL", nsJSON("a") + "\x00", "Namespace/a@1\nerror x.yaml:1: text after the JSON object of line 1: " + PlainText + "; remove it (kubectl rejects the file)"},
		{"trailing character", nsJSON("a") + "\n\nx\n", "Namespace/a@1\nerror x.yaml:3: text after the JSON object of line 1: " + PlainText + "; remove it (kubectl rejects the file)"},
		{"third value broken", nsJSON("a") + "\n" + nsJSON("b") + "\n{\"x\": }\n",
			"Namespace/a@1\nNamespace/b@2\nerror x.yaml:3: after 2 JSON objects, what follows is not a JSON object; fix or remove it (kubectl stops here)"},
		{"array after two objects", nsJSON("a") + nsJSON("b") + "\n[1]",
			"Namespace/a@1\nNamespace/b@1\nerror x.yaml:2: after 2 JSON objects, what follows is not a JSON object; fix or remove it (kubectl stops here)"},
		{"yaml flow document", "{apiVersion: v1, kind: Namespace, metadata: {name: a}}\n", "Namespace/a@1"},
		{"yaml flow documents without marker", "apiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n---\n{apiVersion: v1, kind: Namespace, metadata: {name: a}}\n{apiVersion: v1, kind: Namespace, metadata: {name: b}}\n",
			"Namespace/c@1\nerror x.yaml:5: more text follows the document's value, which ends on this line; kubectl ignores that text: remove it, or start a document of its own with ---"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judged(Decode([]byte(tt.in), "x.yaml"))
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if !strings.HasPrefix(tt.in, "{") {
				return
			}
			if got := judged(DecodeJSON([]byte(tt.in), "x.yaml")); got != tt.want {
				t.Errorf("DecodeJSON: got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// A key given twice with different values is an error naming both lines,
// in YAML (fast and slow paths) and JSON, in List items too; the other
// objects are still judged. The same value twice is accepted, and keys
// differing in case are different keys.
func TestDuplicateKeys(t *testing.T) {
	const dupMsg = "key %q is given twice (lines %d and %d) with different values; keep one (kubectl would silently use the last)"
	e := func(line int, key string, a, b int) string {
		return fmt.Sprintf("error x.yaml:%d: "+dupMsg, line, key, a, b)
	}
	pod := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ns\nspec:\n  containers:\n  - name: c\n    image: i\n    securityContext:\n      privileged: true\n"
	canary := "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: canary\n"
	tests := []struct {
		name, in, want string
	}{
		{"yaml block", pod + "      privileged: false\n" + canary, "Namespace/canary@14\n" + e(12, "privileged", 11, 12)},
		{"yaml top level", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\nkind: Pod\n" + canary, "Namespace/canary@7\n" + e(5, "kind", 2, 5)},
		{"yaml flow", "{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: ns}, spec: {hostNetwork: true, hostNetwork: false}}\n" + canary,
			"Namespace/canary@3\n" + e(1, "hostNetwork", 1, 1)},
		{"yaml same value twice", pod + "      privileged: true\n" + canary, "Namespace/canary@14\nPod/ns/p@1"},
		{"yaml keys YAML 1.1 reads alike", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n  on: a\n  \"on\": b\n  true: c\n" + canary,
			"Namespace/canary@10\n" + e(8, "true", 6, 8)},
		{"yaml case differs", pod + "      Privileged: false\n" + canary, "Namespace/canary@14\nPod/ns/p@1"},
		{"yaml in list item", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: a\n    name: b\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: canary\n",
			"Namespace/canary@9\n" + e(8, "name", 7, 8)},
		{"yaml many keys", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n" + manyKeys("  k%d: v\n", 40) + "  k3: w\n" + canary,
			"Namespace/canary@48\n" + e(46, "k3", 9, 46)},
		{"yaml list items twice", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: a\nmetadata: {}\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: b\n",
			"Namespace/a@4\nNamespace/b@10\n" + e(9, "items", 3, 9)},
		{"json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\n\"spec\":{\"hostNetwork\":true,\n\"hostNetwork\":false}}\n" + nsJSON("canary"),
			"Namespace/canary@4\n" + e(3, "hostNetwork", 2, 3)},
		{"json escaped key", `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns"},"spec":{"hostNetwork":true,"host\u004eetwork":false}}`,
			e(1, "hostNetwork", 1, 1)},
		{"json same value", `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a","labels":{"x":"y"},"labels":{ "x" : "y" }}}`, "Namespace/a@1"},
		{"json case differs", `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a","Name":"b"}}`, "Namespace/a@1"},
		{"json list item", "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n" + nsJSON("canary") + ",\n{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\",\n\"name\":\"b\"}}]}",
			"Namespace/canary@2\n" + e(4, "name", 3, 4)},
		{"json list items twice", "{\"apiVersion\":\"v1\",\"kind\":\"List\",\n\"items\":[" + nsJSON("hidden") + "],\n\"items\":[]}\n" + nsJSON("canary"),
			"Namespace/canary@4\n" + e(3, "items", 2, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judged(Decode([]byte(tt.in), "x.yaml"))
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func manyKeys(format string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

// aliasBomb is a document of about kib KiB whose aliases copy a 16 KiB
// scalar, fan to a line (2 MiB expand past 5 GiB), or (laughs) the
// classic nested billion laughs.
func aliasBomb(header string, kib, fan int, laughs bool) string {
	var b strings.Builder
	b.WriteString(header)
	if laughs {
		b.WriteString("  l0: &l0 [\"" + strings.Repeat("x", 64) + "\"]\n")
		for i := 1; i <= 30; i++ {
			fmt.Fprintf(&b, "  l%d: &l%d [*l%d, *l%d, *l%d, *l%d]\n", i, i, i-1, i-1, i-1, i-1)
		}
		return b.String()
	}
	b.WriteString("  big: &big \"" + strings.Repeat("x", 16<<10) + "\"\n")
	for i := 0; b.Len() < kib<<10; i++ {
		fmt.Fprintf(&b, "  k%d: [%s]\n", i, strings.TrimSuffix(strings.Repeat("*big, ", fan), ", "))
	}
	return b.String()
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Aliases are bounded by the bytes they expand to, not by their count: a
// 2 MB document that would expand past 5 GB is an error at its line, read
// with a bounded amount of memory, and the canary beside it is judged.
func TestAliasExpansionBounded(t *testing.T) {
	const header = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n"
	canary := "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: canary\n"
	tests := []struct {
		name string
		doc  string
		want string // in the error; "" for none
	}{
		{"scalar aliases 2 MB", aliasBomb(header, 2048, 2500, false), "its aliases expand to more than 32 MiB"},
		{"billion laughs", aliasBomb(header, 0, 0, true), "its aliases expand to more than 32 MiB"},
		{"self reference", header + "  a: &a [1, *a]\n", "" /* yaml.v3 rejects it as unknown anchor, or checkYAML as used inside itself */},
		{"a few aliases", header + "  a: &a \"x\"\n  b: *a\n", ""},
		{"deep nesting", header + "  a: " + strings.Repeat("[", 600) + strings.Repeat("]", 600) + "\n", "nested more than 512 levels deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.doc + canary)
			var b *inventory.Batch
			alloc := allocated(func() { b = Decode(data, "x.yaml") })
			t.Logf("allocated %d KiB for %d KiB", alloc>>10, len(data)>>10)
			if alloc > 200<<20 {
				t.Errorf("allocated %d MiB reading a %d KiB input", alloc>>20, len(data)>>10)
			}
			got := judged(b)
			if !strings.HasPrefix(got, "Namespace/canary@") {
				t.Errorf("canary not judged:\n%s", got)
			}
			if tt.want == "" {
				if tt.name != "self reference" && len(b.Errors) > 0 {
					t.Errorf("errors: %v", b.Errors)
				}
				return
			}
			if len(b.Errors) != 1 || b.Errors[0].Line < 1 || !strings.Contains(b.Errors[0].Message, tt.want) {
				t.Errorf("got\n%s\nwant an error with %q", got, tt.want)
			}
			if err := CheckYAML([]byte(tt.doc)); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("CheckYAML: %v", err)
			}
		})
	}
}

// Comparing the values of a key given twice is bounded too: two aliases
// of equal billion-laughs trees built from different anchors (4^20 nodes
// to compare) end in an error, not in a hang.
func TestDuplicateAliasComparisonBounded(t *testing.T) {
	var b strings.Builder
	// The anchors sit in the mapping whose key is given twice: the keys
	// are compared before the aliases are measured.
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n  a0: &a0 [\"x\"]\n  b0: &b0 [\"x\"]\n")
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&b, "  a%d: &a%d [*a%d, *a%d, *a%d, *a%d]\n  b%d: &b%d [*b%d, *b%d, *b%d, *b%d]\n", i, i, i-1, i-1, i-1, i-1, i, i, i-1, i-1, i-1, i-1)
	}
	b.WriteString("  k: *a20\n  k: *b20\n")
	var got *inventory.Batch
	alloc := allocated(func() { got = Decode([]byte(b.String()), "x.yaml") })
	if len(got.Errors) != 1 || !strings.Contains(got.Errors[0].Message, `key "k" is given twice (lines 48 and 49) with values too large to compare`) {
		t.Errorf("errors: %v", got.Errors)
	}
	if alloc > 50<<20 {
		t.Errorf("allocated %d MiB", alloc>>20)
	}
}
