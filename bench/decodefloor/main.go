// Command decodefloor is issue #13's "decode floor": the least a scanner of
// Kubernetes manifests could do with the common library route. It reads
// every .yaml/.yml file under the given paths, cuts each at its "---" lines,
// drops the CustomResourceDefinitions (aksguard never parses them either)
// and decodes every other document with sigs.k8s.io/yaml into a
// map[string]any, on GOMAXPROCS goroutines, and prints what it decoded.
// bench/compare.sh times it like aksguard (user + sys CPU) and prints
// aksguard's CPU over this one's (issue #13's target: at most 0.5).
//
//	go build -o /tmp/decodefloor ./bench/decodefloor
//	/usr/bin/time -f '%e s %U user %S sys %M KB' /tmp/decodefloor /tmp/k10k
package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: decodefloor PATH...")
		os.Exit(2)
	}
	var files []string
	for _, root := range os.Args[1:] {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "decodefloor:", err)
			os.Exit(1)
		}
	}
	var total tally
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan string)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var t tally
			for p := range next {
				data, err := os.ReadFile(p)
				if err != nil {
					t.errors++
					continue
				}
				t.bytes += len(data)
				t.add(decodeFile(data))
			}
			mu.Lock()
			total.add(t)
			mu.Unlock()
		}()
	}
	for _, p := range files {
		next <- p
	}
	close(next)
	wg.Wait()
	fmt.Printf("%d files, %.1f MB: %d documents decoded, %d CustomResourceDefinitions skipped, %d not decodable, %d unreadable files\n",
		len(files), float64(total.bytes)/1e6, total.decoded, total.crds, total.failed, total.errors)
	if total.errors > 0 {
		os.Exit(1)
	}
}

// tally counts what was read and decoded.
type tally struct {
	bytes, decoded, crds, failed, errors int
}

func (t *tally) add(o tally) {
	t.bytes += o.bytes
	t.decoded += o.decoded
	t.crds += o.crds
	t.failed += o.failed
	t.errors += o.errors
}

// decodeFile decodes every document of one file but the
// CustomResourceDefinitions with sigs.k8s.io/yaml into a map.
func decodeFile(data []byte) tally {
	var t tally
	for _, doc := range splitDocuments(data) {
		if isCRD(doc) {
			t.crds++
			continue
		}
		var m map[string]any
		if err := yaml.Unmarshal(doc, &m); err != nil {
			t.failed++
			continue
		}
		if m != nil {
			t.decoded++
		}
	}
	return t
}

// splitDocuments cuts a YAML stream at its "---" lines (a line that is
// "---", possibly followed by spaces or a comment), dropping documents that
// are only blank lines and comments. The documents share data's memory.
func splitDocuments(data []byte) [][]byte {
	var docs [][]byte
	start, blank := 0, true
	for i := 0; i <= len(data); {
		end := i
		for end < len(data) && data[end] != '\n' {
			end++
		}
		line := data[i:end]
		next := end + 1
		if isSeparator(line) {
			if !blank {
				docs = append(docs, data[start:i])
			}
			start, blank = min(next, len(data)), true
		} else if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' {
			blank = false
		}
		i = next
	}
	if !blank {
		docs = append(docs, data[start:])
	}
	return docs
}

func isSeparator(line []byte) bool {
	if !bytes.HasPrefix(line, []byte("---")) {
		return false
	}
	rest := bytes.TrimSpace(line[3:])
	return len(rest) == 0 || rest[0] == '#'

}

// isCRD tells a CustomResourceDefinition by its top-level kind line, without
// parsing (as aksguard's splitter does).
func isCRD(doc []byte) bool {
	for line := range bytes.SplitSeq(doc, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("kind:")); ok {
			return string(bytes.Trim(bytes.TrimSpace(v), `"'`)) == "CustomResourceDefinition"
		}
	}
	return false
}
