package report

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/frameworks"
)

// sarifMaxTags is how many tags of a rule GitHub code scanning shows (it
// accepts 20 and keeps the first 10).
const sarifMaxTags = 10

// frameworkTags are a rule's compliance tags, "CIS-AKS-1.8:5.4.1", one per
// benchmark recommendation the control maps to (the frameworks with a tag
// prefix: the CIS benchmarks; a policy GUID is no use as a tag).
func frameworkTags(c *check.Control) []string {
	var tags []string
	for _, m := range frameworks.Of(c) {
		if m.Framework.Tag != "" {
			tags = append(tags, m.Framework.Tag+":"+m.Item.ID)
		}
	}
	return tags
}
