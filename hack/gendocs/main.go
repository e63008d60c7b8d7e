// Command gendocs prints docs/controls.md generated from the control registry.
package main

import (
	"fmt"

	_ "github.com/aksguard/aksguard/internal/checks"
	"github.com/aksguard/aksguard/internal/docgen"
)

func main() { fmt.Print(docgen.ControlsMarkdown()) }
