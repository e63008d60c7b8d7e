// Command gencorpus builds benchmark corpora of Kubernetes manifests by
// scaling a corpus of real objects: it copies the objects round-robin, the
// first round as they are and each later round with metadata.name and
// metadata.namespace renamed (suffix -cN), so that scanners see distinct
// objects with realistic content (CustomResourceDefinitions included).
//
//	go run ./bench/gencorpus -n 10000 -out /tmp/k10k             # one file per object
//	go run ./bench/gencorpus -n 10000 -out /tmp/k10k-m -multidoc # 1,000 objects per file
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type object struct {
	rel  string // path of its file in the source corpus
	text []byte
}

func main() {
	n := flag.Int("n", 1000, "number of objects to write")
	out := flag.String("out", "", "output directory (created; must be empty or absent)")
	src := flag.String("src", "../shared/corpus/real", "source corpus: a directory of YAML manifests")
	multidoc := flag.Bool("multidoc", false, "write multi-document files instead of one file per object")
	per := flag.Int("per", 1000, "objects per file with -multidoc")
	flag.Parse()
	if *out == "" || *n <= 0 || *per <= 0 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus -n N -out DIR [-src DIR] [-multidoc [-per N]]")
		os.Exit(2)
	}
	objs, err := load(*src)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	if len(objs) == 0 {
		fmt.Fprintf(os.Stderr, "gencorpus: no YAML objects under %s\n", *src)
		os.Exit(1)
	}
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 {
		fmt.Fprintf(os.Stderr, "gencorpus: %s is not empty\n", *out)
		os.Exit(1)
	}
	var total int64
	files := 0
	var buf bytes.Buffer
	flush := func(name string) {
		if buf.Len() == 0 {
			return
		}
		must(os.MkdirAll(filepath.Dir(name), 0o755))
		must(os.WriteFile(name, buf.Bytes(), 0o644))
		total += int64(buf.Len())
		files++
		buf.Reset()
	}
	for i := 0; i < *n; i++ {
		o := objs[i%len(objs)]
		round := i / len(objs)
		text := o.text
		if round > 0 {
			text = rename(text, fmt.Sprintf("-c%d", round))
		}
		if *multidoc {
			buf.WriteString("---\n")
			buf.Write(text)
			if (i+1)%*per == 0 {
				flush(filepath.Join(*out, fmt.Sprintf("part-%05d.yaml", i / *per)))
			}
			continue
		}
		buf.Write(text)
		flush(filepath.Join(*out, fmt.Sprintf("c%d", round), o.rel))
	}
	if *multidoc {
		flush(filepath.Join(*out, fmt.Sprintf("part-%05d.yaml", (*n-1) / *per)))
	}
	fmt.Printf("%d objects, %d files, %.1f MB in %s\n", *n, files, float64(total)/1e6, *out)
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

// load reads the source corpus, one object per document, in path order.
func load(dir string) ([]object, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var objs []object
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		rel, _ := filepath.Rel(dir, p)
		for i, d := range splitDocs(data) {
			r := rel
			if i > 0 {
				r = strings.TrimSuffix(rel, filepath.Ext(rel)) + fmt.Sprintf("-%d", i) + filepath.Ext(rel)
			}
			objs = append(objs, object{rel: r, text: d})
		}
	}
	return objs, nil
}

// splitDocs cuts a YAML stream at its "---" lines, dropping empty documents.
func splitDocs(data []byte) [][]byte {
	var docs [][]byte
	var cur []byte
	add := func() {
		if len(bytes.TrimSpace(cur)) > 0 {
			if cur[len(cur)-1] != '\n' {
				cur = append(cur, '\n')
			}
			docs = append(docs, cur)
		}
		cur = nil
	}
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("---")) && len(bytes.TrimSpace(line[3:])) == 0 {
			add()
			continue
		}
		cur = append(cur, line...)
	}
	add()
	return docs
}

// rename appends suffix to the object's metadata.name and
// metadata.namespace, editing the text so the rest stays byte for byte.
func rename(doc []byte, suffix string) []byte {
	lines := bytes.SplitAfter(doc, []byte("\n"))
	inMeta, childIndent := false, -1
	for i, l := range lines {
		trimmed := bytes.TrimRight(l, "\r\n")
		if len(trimmed) == 0 {
			continue
		}
		indent := len(trimmed) - len(bytes.TrimLeft(trimmed, " "))
		if indent == 0 {
			inMeta = bytes.Equal(bytes.TrimSpace(trimmed), []byte("metadata:"))
			childIndent = -1
			continue
		}
		if !inMeta {
			continue
		}
		if childIndent < 0 {
			childIndent = indent
		}
		if indent != childIndent {
			continue
		}
		body := trimmed[indent:]
		for _, key := range []string{"name:", "namespace:"} {
			if !bytes.HasPrefix(body, []byte(key)) {
				continue
			}
			val := bytes.TrimSpace(body[len(key):])
			if len(val) == 0 {
				continue
			}
			var nv []byte
			if q := val[0]; (q == '"' || q == '\'') && len(val) > 1 && val[len(val)-1] == q {
				nv = append(append(append([]byte{}, val[:len(val)-1]...), suffix...), q)
			} else {
				nv = append(append([]byte{}, val...), suffix...)
			}
			nl := append([]byte(strings.Repeat(" ", indent)+key+" "), nv...)
			lines[i] = append(nl, '\n')
		}
	}
	return bytes.Join(lines, nil)
}
