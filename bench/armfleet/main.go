// Command armfleet writes a directory of N AKS clusters as az JSON (one file
// each), copied round-robin from the examples' insecure and hardened
// clusters with each copy's name (and so its resource ID, DNS prefix and
// node resource group) suffixed -NNNN, for timing a scan of a fleet:
//
//	go run ./bench/armfleet -n 1000 -out /tmp/arm1k
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	n := flag.Int("n", 1000, "clusters to write")
	out := flag.String("out", "", "directory to write (created)")
	src := flag.String("src", "examples", "the examples directory")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "armfleet: -out is required")
		os.Exit(2)
	}
	if err := write(*n, *src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "armfleet:", err)
		os.Exit(1)
	}
}

// sources are the clusters copied, with the name each copy suffixes.
var sources = []struct{ file, name string }{
	{"insecure/aks-shop-prod.json", "aks-shop-prod"},
	{"hardened/aks-payments-prod.json", "aks-payments-prod"},
}

func write(n int, src, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	bodies := make([]string, len(sources))
	for i, s := range sources {
		b, err := os.ReadFile(filepath.Join(src, s.file))
		if err != nil {
			return err
		}
		bodies[i] = string(b)
	}
	for i := range n {
		s := sources[i%len(sources)]
		name := fmt.Sprintf("%s-%04d", s.name, i)
		body := strings.ReplaceAll(bodies[i%len(sources)], s.name, name)
		if err := os.WriteFile(filepath.Join(out, name+".json"), []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}
