package manifest

import (
	"fmt"
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
