// Command gendocs prints docs/controls.md generated from the control
// registry; with -frameworks it prints docs/frameworks.md; with -live FILE
// it rewrites the generated permission table of docs/live-kubernetes.md in
// place.
package main

import (
	"flag"
	"fmt"
	"os"

	_ "github.com/aksguard/aksguard/internal/checks"
	"github.com/aksguard/aksguard/internal/docgen"
)

func main() {
	live := flag.String("live", "", "rewrite the permission table of this file")
	fw := flag.Bool("frameworks", false, "print docs/frameworks.md")
	flag.Parse()
	if *fw {
		fmt.Print(docgen.FrameworksMarkdown())
		return
	}
	if *live == "" {
		fmt.Print(docgen.ControlsMarkdown())
		return
	}
	b, err := os.ReadFile(*live)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
	out, ok := docgen.ReplacePermissions(string(b))
	if !ok {
		fmt.Fprintln(os.Stderr, "gendocs:", *live, "has no permission table markers")
		os.Exit(1)
	}
	if err := os.WriteFile(*live, []byte(out), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}
