package syntax

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: whatever the input, Parse never panics and returns either a
// tree whose every node has a position inside the input, or no tree and a
// non-empty ErrorList of positioned errors. Seeded with the table tests'
// sources and three corpus files (testdata/seed).
func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add([]byte(tc.src), false)
	}
	for _, tc := range parseErrorCases {
		f.Add([]byte(tc.src), tc.file == "main.bicepparam")
	}
	f.Add([]byte("using 'main.bicep'\nparam p = 1\n"), true)
	seeds, err := filepath.Glob("testdata/seed/*.bicep")
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seed files: %v", err)
	}
	for _, path := range seeds {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, false)
	}
	f.Fuzz(func(t *testing.T, src []byte, params bool) {
		name := "main.bicep"
		if params {
			name = "main.bicepparam"
		}
		file, err := Parse(src, name)
		if err != nil {
			if file != nil {
				t.Fatalf("a tree and an error: %v", err)
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %v (%T), want a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e.Line < 1 || e.Col < 1 || e.File != name {
					t.Fatalf("error without a position: %v", e)
				}
			}
			return
		}
		lines := 1
		for _, c := range src {
			if c == '\n' || c == '\r' {
				lines++
			}
		}
		Inspect(file, func(n Node) bool {
			if p := n.Position(); p.Line < 1 || p.Col < 1 || p.Line > lines {
				t.Fatalf("%T at %d:%d in %d lines", n, p.Line, p.Col, lines)
			}
			return true
		})
	})
}
