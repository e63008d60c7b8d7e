package manifest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkDecodeCorpus decodes the corpus subset in testdata, one file at
// a time as the loader does, or the tree named by AKSGUARD_BENCH_CORPUS
// (e.g. ../shared/corpus/real or a corpus made by bench/gencorpus).
func BenchmarkDecodeCorpus(b *testing.B) {
	dir := os.Getenv("AKSGUARD_BENCH_CORPUS")
	if dir == "" {
		dir = filepath.Join("testdata", "corpus")
	}
	var files [][]byte
	size := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		files = append(files, data)
		size += len(data)
		return err
	})
	if err != nil || len(files) == 0 {
		b.Fatalf("no corpus under %s: %v", dir, err)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	objects := 0
	for b.Loop() {
		objects = 0
		for _, f := range files {
			if k := Decode(bytes.Clone(f), "bench.yaml").Kube; k != nil {
				objects += k.Total()
			}
		}
	}
	b.ReportMetric(float64(objects), "objects/op")
}

// podList is a List of n Pods as `kubectl get pods -o json` or `-o yaml`
// writes it.
func podList(n int, yamlOut bool) []byte {
	var b bytes.Buffer
	if yamlOut {
		b.WriteString("apiVersion: v1\nkind: List\nitems:\n")
		for i := range n {
			fmt.Fprintf(&b, "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p%d\n    namespace: ns\n    labels:\n      app: a\n  spec:\n    containers:\n    - name: c\n      image: registry.example/app:1.0\n      securityContext:\n        privileged: true\n", i)
		}
		return b.Bytes()
	}
	b.WriteString("{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "    {\n      \"apiVersion\": \"v1\",\n      \"kind\": \"Pod\",\n      \"metadata\": {\"name\": \"p%d\", \"namespace\": \"ns\", \"labels\": {\"app\": \"a\"}},\n      \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"registry.example/app:1.0\", \"securityContext\": {\"privileged\": true}}]}\n    }", i)
	}
	b.WriteString("\n  ]\n}\n")
	return b.Bytes()
}

// BenchmarkPodList decodes a List of 10k or 100k Pods: JSON, YAML (its
// items cut out line by line), and YAML Lists that are decoded whole and
// whose items find their lines through the YAML node tree: a List
// indented by two spaces, and a List nested in a List.
func BenchmarkPodList(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		for _, format := range []string{"json", "yaml", "indented-yaml", "nested-yaml"} {
			data := podList(n, format != "json")
			switch format {
			case "indented-yaml":
				data = append([]byte("  "), bytes.ReplaceAll(data, []byte("\n"), []byte("\n  "))...)
				data = bytes.TrimRight(data, " ")
			case "nested-yaml":
				data = append([]byte("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n    "),
					bytes.ReplaceAll(bytes.TrimPrefix(data, []byte("apiVersion: v1\nkind: List\nitems:\n")), []byte("\n"), []byte("\n    "))...)
				data = bytes.TrimRight(data, " ")
			}
			b.Run(fmt.Sprintf("%s-%dk", format, n/1000), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					k := Decode(bytes.Clone(data), "list.json").Kube
					if k == nil || len(k.Workloads) != n {
						b.Fatalf("decoded %v", k)
					}
				}
			})
		}
	}
}
