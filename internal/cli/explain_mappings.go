package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/frameworks"
)

// writeMappings writes the explain section naming the compliance items a
// control maps to, with their titles (docs/frameworks.md lists them all).
func writeMappings(w io.Writer, c *check.Control) {
	ms := frameworks.Of(c)
	fmt.Fprintf(w, "\nCompliance mappings\n")
	if len(ms) == 0 {
		fmt.Fprintf(w, "  none: aksguard records no CIS AKS recommendation or built-in Azure Policy definition that checks the same thing\n")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, m := range ms {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", m.Framework.Name, m.Item.ID, m.Item.Title)
	}
	tw.Flush()
}

type mappingsJSON struct {
	CIS18       []string `json:"cis-aks-1.8,omitempty"`
	CIS17       []string `json:"cis-aks-1.7,omitempty"`
	AzurePolicy []string `json:"azure-policy,omitempty"`
}

// mappingsOf is the mappings of `checks -o json`, keyed by --framework
// name; nil for a control that maps to nothing.
func mappingsOf(c *check.Control) *mappingsJSON {
	if c.Mappings.Empty() {
		return nil
	}
	return &mappingsJSON{CIS18: c.Mappings.CIS18, CIS17: c.Mappings.CIS17, AzurePolicy: c.Mappings.AzurePolicy}
}
