package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/aksguard/aksguard/internal/check"
)

// scanOutputFormats are the values of `scan -o` offered by shell completion:
// exactly the formats writerFor accepts, aliases aside (TestCompletionValues
// checks both ways, so a format added to writerFor must be added here);
// aksguard diff writes the same formats.
var scanOutputFormats = []string{"table", "json", "sarif", "junit", "html", "markdown"}

// registerCompletions gives the flags that take one of a few values, and
// the arguments that name a control, their completions (cobra's `completion`
// command writes the shell scripts: docs/completion.md). Paths complete as
// files, cobra's default.
func registerCompletions(root *cobra.Command) {
	for _, c := range root.Commands() {
		switch c.Name() {
		case "scan":
			fixed(c, "output", scanOutputFormats...)
			fixed(c, "fail-on", severityNames()...)
			_ = c.RegisterFlagCompletionFunc("control", completeControlList)
		case "diff":
			fixed(c, "output", scanOutputFormats...)
			fixed(c, "fail-on", severityNames()...)
		case "checks":
			fixed(c, "output", "table", "json")
		case "version":
			fixed(c, "output", "text", "json")
		case "explain":
			c.ValidArgsFunction = func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return controlIDs(toComplete), cobra.ShellCompDirectiveNoFileComp
			}
		}
	}
}

func fixed(c *cobra.Command, flag string, values ...string) {
	_ = c.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// severityNames lists --fail-on's values, most severe first.
func severityNames() []string {
	var names []string
	for s := check.Critical; s >= check.SevNone; s-- {
		names = append(names, s.String())
	}
	return names
}

// controlIDs are the IDs starting with prefix (any case), with their titles
// as descriptions.
func controlIDs(prefix string) []string {
	var ids []string
	for _, c := range check.All() {
		if strings.HasPrefix(strings.ToUpper(c.ID), strings.ToUpper(prefix)) {
			ids = append(ids, c.ID+"\t"+c.Title)
		}
	}
	return ids
}

// completeControlList completes the last ID of --control's comma-separated
// list.
func completeControlList(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	done, last := "", toComplete
	if i := strings.LastIndex(toComplete, ","); i >= 0 {
		done, last = toComplete[:i+1], toComplete[i+1:]
	}
	ids := controlIDs(last)
	for i := range ids {
		ids[i] = done + ids[i]
	}
	return ids, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}
