// Package cli wires aksguard's commands: scan, checks, explain, version.
package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	// Importing the scan registers the controls (checks, explain and the
	// SARIF rules read them from the registry).
	_ "github.com/aksguard/aksguard/internal/scan"
)

// Exit codes.
const (
	ExitClean    = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitError    = 2 // could not do what was asked
	// ExitInternal: aksguard itself failed (the Go runtime crashed, a
	// panic, killed by a signal): a bug to report, never a verdict on the
	// input. cmd/aksguard's supervisor and recovered panics set it.
	ExitInternal = 3
)

// exitError carries an exit code out of a command.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Main runs the CLI and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	var ee exitError
	switch {
	case err == nil:
		return ExitClean
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintln(stderr, "aksguard:", err)
		return ExitError
	}
}

func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "aksguard",
		Short: "Audit Azure Kubernetes Service clusters against AKS security practice",
		Long: `aksguard tells you, with evidence, where an AKS cluster departs from AKS security
practice and exactly how to fix it. It reads az CLI JSON, ARM REST bodies and
templates, Terraform plans and code.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w (see %s --help)", err, c.CommandPath())
	})
	root.AddCommand(newScanCmd(stdin, stdout, stderr), newChecksCmd(stdout), newExplainCmd(stdout), newVersionCmd(stdout), newInitCmd(stdout), newDiffCmd(stdout))
	registerCompletions(root)
	setDisplayName(root, programName())
	return root
}
