package manifest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// seeds are the hand-written inputs, a few real objects and snippets that
// sit on the edges of the fast YAML subset.
func seeds(f *testing.F) {
	for _, glob := range []string{"testdata/manifests/*", "testdata/corpus/*/0000[1-3]-*"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil && len(data) < 64<<10 {
				f.Add(data)
			}
		}
	}
	for _, s := range []string{
		"a: |\n  x\n\n  y\n\nb: >-\n  p\n  q\n\n  r\n",
		"a: |+\n  x\n\n",
		"a: \"x\\ty \\\n  z\"\nb: 'it''s\n  folded\n\n  twice'\n",
		"a: plain\n  continued\n\n  again\nb: [1, \"2\", x, 0x1F, 0644, 1_000, .5, 1e3, -0, +7, 2001-12-14]\n",
		"- a: 1\n  b:\n  - x\n  - y: yes\n    z: on\n- - nested\n",
		"k: :8080\nj: -c\nn: ~\nm: null\no: 'a: b'\np: \"\\u00e9\\x41\"\n",
		"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n-\n  apiVersion: v1\n  kind: Pod\n",
		"a:\n- 1\n-\n- 3\nb: {}\nc: []\nd: { }\n",
		"a: b # c\n# d\ne: 'f' # g\n",
		"? complex\n: key\n",
		"a: &x 1\nb: *x\n",
		"a: !!str 1\n",
		// Hostile input (issue 9): duplicate keys, JSON streams, trailing
		// bytes, aliases.
		"apiVersion: v1\nkind: Pod\nspec:\n  hostNetwork: true\n  hostNetwork: false\n",
		`{"apiVersion":"v1","kind":"Pod","spec":{"hostNetwork":true,"host\u004eetwork":false}}`,
		nsJSON("a") + nsJSON("b") + "\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n",
		nsJSON("a") + "\x00",
		"{apiVersion: v1, kind: Namespace}\n{apiVersion: v1, kind: Pod}\n",
		aliasBomb("apiVersion: v1\nkind: ConfigMap\ndata:\n", 0, 0, true),
		"a: &a [1, *a]\n",
		// Depth: each recursive path of the reader, past its bound.
		nestJSON(podJSON("deep"), MaxListDepth+2, "List"),
		nestYAML(4),
		"apiVersion: v1\nkind: ConfigMap\ndata: " + strings.Repeat("[", MaxNesting+10) + strings.Repeat("]", MaxNesting+10) + "\n",
		"apiVersion: v1\nkind: ConfigMap\ndata:\n" + deepBlock(MaxNesting+10),
		`{"apiVersion":"v1","kind":"Pod","spec":` + strings.Repeat(`{"a":`, 10_001) + "1" + strings.Repeat("}", 10_001) + "}",
	} {
		f.Add([]byte(s))
	}
}

// deepBlock is a block mapping nested n levels by indentation.
func deepBlock(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i+1) + "a:\n")
	}
	b.WriteString(strings.Repeat(" ", n+1) + "b: 1\n")
	return b.String()
}

// lineCount counts lines as YAML (and an editor) does: "\r\n", a lone "\r"
// and "\n" each end one, so a file with old Mac line ends has as many
// lines as its errors may name.
func lineCount(data []byte) int {
	n := 1
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\n':
			n++
		case '\r':
			if i+1 == len(data) || data[i+1] != '\n' {
				n++
			}
		}
	}
	return n
}

// FuzzDecodeManifest: the decoder never panics, its errors point into the
// input, and streaming with several workers gives the same result.
func FuzzDecodeManifest(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := lineCount(data)
		b := Decode(bytes.Clone(data), "f.yaml")
		for _, e := range b.Errors {
			if e.Input != "f.yaml" || e.Line < 0 || e.Line > lines {
				t.Errorf("error %v outside the input (%d lines)", e, lines)
			}
		}
		if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
			return // JSON first: DecodeReader reads YAML streams only
		}
		s := DecodeReader(bytes.NewReader(data), "f.yaml", 2)
		if !reflect.DeepEqual(b, s) {
			t.Errorf("DecodeReader differs from Decode:\n%#v\n%#v", b, s)
		}
	})
}

// FuzzFastJSON: whenever the fast converter answers, sigs.k8s.io/yaml (what
// kubectl uses) accepts the document and means the same.
func FuzzFastJSON(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := fastJSON(data)
		if !ok {
			return
		}
		want, err := yaml.YAMLToJSON(data)
		if err != nil {
			t.Fatalf("fast path accepted what sigs.k8s.io/yaml rejects (%v): %q -> %s", err, data, got)
		}
		var a, b any
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("fast path wrote invalid JSON %s: %v", got, err)
		}
		if err := json.Unmarshal(want, &b); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("input %q\nfast %s\nyaml %s", data, got, want)
		}
	})
}

// FuzzDecodeItems feeds arbitrary list items, as an API server would send
// them, to the live decoder: it must not panic, and whatever it decodes
// carries the kind it was given.
func FuzzDecodeItems(f *testing.F) {
	f.Add([]byte(`{"metadata":{"name":"a","namespace":"n"},"spec":{"containers":[{"name":"c","image":"i"}]}}`), "Pod")
	f.Add([]byte(`{"metadata":{"name":"d"},"spec":{"template":{"spec":{"hostNetwork":true}}}}`), "Deployment")
	f.Add([]byte(`{}`), "Namespace")
	f.Add([]byte(`{"metadata":{"name":"s"},"data":{"k":"dg=="}}`), "Secret")
	f.Fuzz(func(t *testing.T, item []byte, kind string) {
		av := "v1"
		if kind == "Deployment" {
			av = "apps/v1"
		}
		if sb := DecodeSecretMetadata([]json.RawMessage{bytes.Clone(item)}, "kube:test"); len(sb.Kube.Secrets) > 0 && !sb.Kube.Secrets[0].MetadataOnly {
			t.Error("a Secret read as metadata is not marked so")
		}
		b := DecodeItems([]json.RawMessage{bytes.Clone(item)}, av, kind, "kube:test")
		if b.Kube == nil {
			return // nothing decoded
		}
		for k := range b.Kube.Objects {
			if k != kind {
				t.Errorf("decoded a %s from a %s list", k, kind)
			}
		}
		for _, e := range b.Errors {
			if e.Input != "kube:test" {
				t.Errorf("error names %q", e.Input)
			}
		}
	})
}

// FuzzDupJSONKey: the duplicate-key scan agrees with a reference built on
// encoding/json's tokens, for valid JSON, and never panics on the rest.
func FuzzDupJSONKey(f *testing.F) {
	f.Add([]byte(`{"a":1,"b":{"c":[1,{"d":2,"d":3}]},"a":1}`), false)
	f.Add([]byte(`{"a":1,"a":2}`), true)
	f.Add([]byte(`{"a\u0062":1,"ab":2}`), false)
	f.Add([]byte(`{"a":{"x": 1},"a":{ "x":1 }}`), false)
	f.Add([]byte(strings.Repeat(`{"a":`, 10_001)+"1"+strings.Repeat("}", 10_001)), false)
	f.Add([]byte(`{"a":"\"","a":"\\"}`), false)
	f.Fuzz(func(t *testing.T, data []byte, shallow bool) {
		got := dupJSONKey(data, shallow)
		if !json.Valid(data) {
			return
		}
		want, found := refDupKey(data, shallow)
		if (got != nil) != found || (got != nil && got.key != want) {
			t.Fatalf("%q: got %+v, want %q (%v)", data, got, want, found)
		}
	})
}

// refDupKey is dupJSONKey written with encoding/json: the key of the first
// duplicate with a different value (by where its second value ends), and
// whether there is one.
func refDupKey(data []byte, shallow bool) (string, bool) {
	first, found := "", false
	var walk func(raw json.RawMessage, depth int)
	walk = func(raw json.RawMessage, depth int) {
		if found || (shallow && depth > 0) {
			return
		}
		raw = bytes.TrimSpace(raw)
		switch {
		case len(raw) > 0 && raw[0] == '{':
			d := json.NewDecoder(bytes.NewReader(raw))
			d.Token()
			seen := map[string]json.RawMessage{}
			for d.More() {
				kt, _ := d.Token()
				k := kt.(string)
				var val json.RawMessage
				d.Decode(&val)
				// The scan finds a duplicate where its value ends: after
				// those inside the value.
				walk(val, depth+1)
				if found {
					return
				}
				if prev, ok := seen[k]; ok {
					if !sameJSON(prev, val) {
						first, found = k, true
						return
					}
					continue
				}
				seen[k] = val
			}
		case len(raw) > 0 && raw[0] == '[':
			var items []json.RawMessage
			json.Unmarshal(raw, &items)
			for _, it := range items {
				walk(it, depth+1)
			}
		}
	}
	walk(bytes.TrimSpace(data), 0)
	return first, found
}

// FuzzCheckYAML: the YAML check never panics, and a problem it reports
// is at a line of the input.
func FuzzCheckYAML(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		err := CheckYAML(data)
		if ye, ok := err.(*YAMLError); ok && (ye.Line < 1 || ye.Line > lineCount(data)) {
			t.Errorf("line %d outside the input", ye.Line)
		}
	})
}
