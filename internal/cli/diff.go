package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/report"
	"github.com/aksguard/aksguard/internal/source"
)

type diffFlags struct {
	output     string
	outputFile string
	failOn     string
	maxInputMB int64
}

func newDiffCmd(stdout io.Writer) *cobra.Command {
	f := &diffFlags{}
	cmd := &cobra.Command{
		Use:   "diff OLD.json NEW.json",
		Short: "Compare two JSON reports: new, fixed and changed findings",
		Long: `Compare two reports written by aksguard scan -o json and print the findings NEW has
that OLD had not (new), the findings of OLD that NEW judged again and found no longer
failing (fixed), and the findings of both whose severity, status, message or evidence
changed. Findings are matched by control and resource, never by file or line, so they
survive line moves and reordering. A finding of OLD that NEW does not report is fixed
only when NEW shows it passed (write NEW with --include-passed), else it is listed as
not seen or no longer assessed, never as fixed (docs/baselines.md).

Exit codes: 0 no new finding at or above --fail-on, 1 new findings at or above
--fail-on, 2 a report that could not be read (not an aksguard JSON report, too large).`,
		Example: `  aksguard scan -o json --include-passed --output-file before.json infra/
  # change infra/
  aksguard scan -o json --include-passed --output-file after.json infra/
  aksguard diff before.json after.json
  aksguard diff -o sarif --output-file diff.sarif before.json after.json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(f, args[0], args[1], stdout)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.output, "output", "o", "table", "diff format: table, json, sarif or junit")
	fl.StringVar(&f.outputFile, "output-file", "", "write the diff to this file instead of standard output")
	fl.StringVar(&f.failOn, "fail-on", "high", "exit 1 when a new finding has at least this severity: critical, high, medium, low or none")
	fl.Int64Var(&f.maxInputMB, "max-input-mb", source.DefaultMaxInputBytes>>20, "read at most this many MiB of each report (and never more than 256)")
	return cmd
}

func runDiff(f *diffFlags, oldPath, newPath string, stdout io.Writer) error {
	write, err := diffWriterFor(f.output)
	if err != nil {
		return err
	}
	failOn, err := check.ParseSeverity(f.failOn)
	if err != nil {
		return fmt.Errorf("--fail-on: %w", err)
	}
	if f.maxInputMB < 1 {
		return fmt.Errorf("--max-input-mb %d: want at least 1", f.maxInputMB)
	}
	old, err := readReport(oldPath, f.maxInputMB<<20)
	if err != nil {
		return err
	}
	cur, err := readReport(newPath, f.maxInputMB<<20)
	if err != nil {
		return err
	}
	d := report.NewDiff(old, cur, oldPath, newPath, report.Tool{Name: "aksguard", Version: version()}, report.EventControls(check.All()))

	out, color, closeOut, err := openOutput(f.outputFile, stdout)
	if err != nil {
		return err
	}
	defer closeOut()
	if err := write(out, d, color); err != nil {
		return fmt.Errorf("writing the diff: %w", err)
	}
	if failOn != check.SevNone && d.NewFailingAtOrAbove(failOn) > 0 {
		return exitError{ExitFindings}
	}
	return nil
}

type diffWriteFunc func(w io.Writer, d *report.Diff, color bool) error

func diffWriterFor(format string) (diffWriteFunc, error) {
	switch strings.ToLower(format) {
	case "table", "":
		return report.WriteDiffTable, nil
	case "json":
		return func(w io.Writer, d *report.Diff, _ bool) error { return report.WriteDiffJSON(w, d) }, nil
	case "sarif":
		return func(w io.Writer, d *report.Diff, _ bool) error { return report.WriteDiffSARIF(w, d, check.All()) }, nil
	case "junit":
		return func(w io.Writer, d *report.Diff, _ bool) error { return report.WriteDiffJUnit(w, d) }, nil
	case "markdown", "md":
		return func(w io.Writer, d *report.Diff, _ bool) error { return report.WriteMarkdown(w, d.AsReport()) }, nil
	case "html":
		return func(w io.Writer, d *report.Diff, _ bool) error { return report.WriteHTML(w, d.AsReport()) }, nil
	}
	return nil, fmt.Errorf("-o %q: want table, json, sarif or junit", format)
}
