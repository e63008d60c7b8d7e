package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/frameworks"
	"github.com/aksguard/aksguard/internal/report"
)

func addFrameworkFlag(fl *pflag.FlagSet, v *string) {
	fl.StringVar(v, "framework", "", "also report per item of a compliance framework: "+strings.Join(frameworks.Names(), ", ")+" (docs/frameworks.md)")
}

// checkFramework validates --framework before anything is read.
func checkFramework(name string) error {
	if name == "" {
		return nil
	}
	if _, err := frameworks.Lookup(name); err != nil {
		return fmt.Errorf("--framework: %w", err)
	}
	return nil
}

// addFramework puts the --framework view on the report for the writers.
func addFramework(rep *report.Report, name string) error {
	if name == "" {
		return nil
	}
	v, err := report.FrameworkFor(rep, name, check.All())
	if err != nil {
		return fmt.Errorf("--framework: %w", err)
	}
	rep.Framework = v
	return nil
}
