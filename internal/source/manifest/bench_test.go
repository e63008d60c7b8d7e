package manifest

import (
	"bytes"
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
