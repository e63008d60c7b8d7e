package auditlog

import (
	"bufio"
	"bytes"
	"os"
	"testing"
)

// BenchmarkJSONLines reads a generated log (AUDIT_BENCH_LOG, made by
// bench/auditlog -gen) or, without it, the test events repeated.
func BenchmarkJSONLines(b *testing.B) {
	var data []byte
	if p := os.Getenv("AUDIT_BENCH_LOG"); p != "" {
		var err error
		if data, err = os.ReadFile(p); err != nil {
			b.Fatal(err)
		}
	} else {
		ev, err := os.ReadFile("testdata/events.jsonl")
		if err != nil {
			b.Fatal(err)
		}
		data = bytes.Repeat(ev, 2000)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		br := bufio.NewReaderSize(bytes.NewReader(data), 256<<10)
		res := Read(br, Events, Options{Input: "bench"})
		if len(res.Errors) > 0 {
			b.Fatal(res.Errors)
		}
	}
}
