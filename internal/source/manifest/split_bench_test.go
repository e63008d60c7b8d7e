package manifest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// BenchmarkSplit measures the document splitter with its kind scan (the
// first step of Decode: cut the stream into documents and learn each one's
// apiVersion and kind) against the library route, apimachinery's
// NewYAMLReader, followed by a kind peek: either sigs.k8s.io/yaml into a
// TypeMeta (what kubectl's decoders do), or a line peek that reads
// top-level "apiVersion:" and "kind:" lines without parsing (the cheapest
// a peek can be). Inputs: the real corpus one file at a time
// (AKSGUARD_BENCH_CORPUS, default testdata/corpus) and a generated stream
// of 50,000 documents. See docs/performance.md.
func BenchmarkSplit(b *testing.B) {
	dir := os.Getenv("AKSGUARD_BENCH_CORPUS")
	if dir == "" {
		dir = filepath.Join("testdata", "corpus")
	}
	var files [][]byte
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || (filepath.Ext(p) != ".yaml" && filepath.Ext(p) != ".yml") {
			return err
		}
		data, err := os.ReadFile(p)
		files = append(files, data)
		return err
	})
	if err != nil || len(files) == 0 {
		b.Fatalf("no corpus under %s: %v", dir, err)
	}
	inputs := []struct {
		name  string
		files [][]byte
	}{{"corpus", files}, {"stream-50k", [][]byte{docStream(50_000)}}}
	for _, in := range inputs {
		size := 0
		for _, f := range in.files {
			size += len(f)
		}
		for _, way := range []struct {
			name  string
			split func([]byte) (docs, kinds int)
		}{
			{"ours", splitOurs},
			{"ours-streamed", splitOursStreamed},
			{"yamlreader+peek", splitReaderPeek},
			{"yamlreader+typemeta", splitReaderTypeMeta},
		} {
			b.Run(in.name+"/"+way.name, func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				docs, kinds := 0, 0
				for b.Loop() {
					docs, kinds = 0, 0
					for _, f := range in.files {
						d, k := way.split(f)
						docs += d
						kinds += k
					}
				}
				b.ReportMetric(float64(docs), "docs/op")
				b.ReportMetric(float64(kinds), "kinds/op")
			})
		}
	}
}

// docStream is n documents of the shapes charts write: Deployments,
// Services, ConfigMaps and ServiceAccounts, separated by "---".
func docStream(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		b.WriteString("---\n")
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "# Source: chart/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%d\n  namespace: ns\n  labels:\n    app.kubernetes.io/name: app\n    app.kubernetes.io/instance: r%d\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: a\n  template:\n    metadata:\n      labels:\n        app: a\n    spec:\n      serviceAccountName: app\n      securityContext:\n        runAsNonRoot: true\n      containers:\n      - name: app\n        image: \"registry.example/app:1.0\"\n        ports:\n        - containerPort: 8080\n          name: http\n        resources:\n          limits:\n            cpu: 500m\n            memory: 256Mi\n        securityContext:\n          allowPrivilegeEscalation: false\n          readOnlyRootFilesystem: true\n", i, i)
		case 1:
			fmt.Fprintf(&b, "apiVersion: v1\nkind: Service\nmetadata:\n  name: app-%d\n  namespace: ns\nspec:\n  type: ClusterIP\n  ports:\n  - port: 80\n    targetPort: http\n  selector:\n    app: a\n", i)
		case 2:
			fmt.Fprintf(&b, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-%d\n  namespace: ns\ndata:\n  config.yaml: |\n    server:\n      port: 8080\n    log: info\n", i)
		default:
			fmt.Fprintf(&b, "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-%d\n  namespace: ns\nautomountServiceAccountToken: false\n", i)
		}
	}
	return b.Bytes()
}

func countKinds(s *splitter) (docs, kinds int) {
	for d := s.next(); d != nil; d = s.next() {
		docs++
		if d.state == stateKnown {
			kinds++
		}
	}
	return docs, kinds
}

// splitOurs is the splitter on a file in memory (files under 4 MB).
func splitOurs(data []byte) (int, int) { return countKinds(newSplitterBytes(data)) }

// splitOursStreamed is the splitter on a stream (large files, stdin).
func splitOursStreamed(data []byte) (int, int) {
	return countKinds(newSplitter(bytes.NewReader(data)))
}

func splitReaderPeek(data []byte) (docs, kinds int) {
	r := utilyaml.NewYAMLReader(bufio.NewReaderSize(bytes.NewReader(data), readBuffer))
	for {
		d, err := r.Read()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				panic(err)
			}
			return docs, kinds
		}
		docs++
		if api, kind := peekKind(d); api != "" && kind != "" {
			kinds++
		}
	}
}

// peekKind reads apiVersion and kind from top-level block-style lines.
func peekKind(d []byte) (api, kind string) {
	for len(d) > 0 {
		line := d
		if i := bytes.IndexByte(d, '\n'); i >= 0 {
			line, d = d[:i], d[i+1:]
		} else {
			d = nil
		}
		if v, ok := bytes.CutPrefix(line, []byte("apiVersion:")); ok {
			api = string(bytes.Trim(bytes.TrimSpace(v), `"'`))
		} else if v, ok := bytes.CutPrefix(line, []byte("kind:")); ok {
			kind = string(bytes.Trim(bytes.TrimSpace(v), `"'`))
		}
	}
	return api, kind
}

func splitReaderTypeMeta(data []byte) (docs, kinds int) {
	r := utilyaml.NewYAMLReader(bufio.NewReaderSize(bytes.NewReader(data), readBuffer))
	for {
		d, err := r.Read()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				panic(err)
			}
			return docs, kinds
		}
		docs++
		var tm metav1.TypeMeta
		if yaml.Unmarshal(d, &tm) == nil && tm.APIVersion != "" && tm.Kind != "" {
			kinds++
		}
	}
}
