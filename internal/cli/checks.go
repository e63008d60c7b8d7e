package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/aksguard/aksguard/internal/check"
)

type controlJSON struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Severity    string   `json:"severity"`
	Area        string   `json:"area"`
	Inputs      []string `json:"inputs"`
	Rationale   string   `json:"rationale"`
	FailsWhen   string   `json:"failsWhen"`
	Remediation string   `json:"remediation"`
	References  []string `json:"references"`
	// Mappings are the control's compliance mappings (docs/frameworks.md).
	Mappings *mappingsJSON `json:"mappings,omitempty"`
}

func toJSON(c *check.Control) controlJSON {
	in := make([]string, len(c.Inputs))
	for i, x := range c.Inputs {
		in[i] = string(x)
	}
	return controlJSON{c.ID, c.Title, c.Severity.String(), c.Area, in, c.Rationale, c.FailsWhen, c.Remediation, c.References, mappingsOf(c)}
}

func newChecksCmd(stdout io.Writer) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "checks",
		Short: "List the controls aksguard evaluates",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			all := check.All()
			switch strings.ToLower(output) {
			case "json":
				list := make([]controlJSON, len(all))
				for i, c := range all {
					list[i] = toJSON(c)
				}
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(list)
			case "table", "":
				tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSEVERITY\tINPUTS\tTITLE")
				for _, c := range all {
					in := make([]string, len(c.Inputs))
					for i, x := range c.Inputs {
						in[i] = string(x)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.Severity, strings.Join(in, ","), c.Title)
				}
				return tw.Flush()
			}
			return fmt.Errorf("-o %q: want table or json", output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "table or json")
	return cmd
}

func newExplainCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "explain CONTROL-ID",
		Short: "Explain a control: rationale, what fails, how to fix, references",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			c, ok := check.Lookup(args[0])
			if !ok {
				return fmt.Errorf("no control %q (aksguard checks lists them)", args[0])
			}
			in := make([]string, len(c.Inputs))
			for i, x := range c.Inputs {
				in[i] = string(x)
			}
			fmt.Fprintf(stdout, "%s  %s\nseverity: %s   area: %s   inputs: %s\n\n", c.ID, c.Title, c.Severity, c.Area, strings.Join(in, ", "))
			fmt.Fprintf(stdout, "Why it matters\n  %s\n\nFails when\n  %s\n\nHow to fix\n  %s\n\nReferences\n", c.Rationale, c.FailsWhen, c.Remediation)
			for _, r := range c.References {
				fmt.Fprintf(stdout, "  %s\n", r)
			}
			writeMappings(stdout, c)
			return nil
		},
	}
}
