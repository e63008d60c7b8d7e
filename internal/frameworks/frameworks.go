// Package frameworks holds the compliance frameworks aksguard maps its
// controls to: the CIS Azure Kubernetes Service Benchmark v1.7.0 and
// v1.8.0 (recommendation ids and titles) and the built-in Azure Policy
// definitions for AKS, embedded from data/ (README.md there names the
// sources and licences). The mappings themselves live in each control's
// file (check.Control.Mappings); this package knows the items they name.
package frameworks

import (
	"embed"
	"fmt"
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
)

//go:embed data/*.tsv
var data embed.FS

// Item is one entry of a framework: a CIS recommendation or section, or a
// built-in policy definition.
type Item struct {
	ID    string
	Title string
	// Section marks a CIS heading ("5", "5.4"): it groups items and is
	// not judged.
	Section bool
	// Group is a policy definition's category.
	Group string
	// Deprecated marks a policy definition Azure deprecated.
	Deprecated bool
}

// Framework is one framework: its items in their published order and how
// a control names its items.
type Framework struct {
	// Name is the --framework value ("cis-aks-1.8").
	Name string
	// Title is its full name.
	Title string
	// Tag prefixes an item id in SARIF rule tags ("CIS-AKS-1.8");
	// empty when the framework gives no tags.
	Tag string
	// Items are every item, sections included, in published order.
	Items []Item
	// Of returns the ids a control names in this framework.
	Of func(check.Mappings) []string

	byID map[string]int
}

// Item returns the item of an id.
func (f *Framework) Item(id string) (Item, bool) {
	i, ok := f.byID[id]
	if !ok {
		return Item{}, false
	}
	return f.Items[i], true
}

// Judged reports whether an item is judged (not a section heading).
func (it Item) Judged() bool { return !it.Section }

// Controls returns the controls, in the given order, that name the item.
func (f *Framework) Controls(id string, controls []*check.Control) []*check.Control {
	var out []*check.Control
	for _, c := range controls {
		for _, x := range f.Of(c.Mappings) {
			if x == id {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

var all []*Framework

func init() {
	mk := func(name, title, tag, file string, parse func(string) ([]Item, error), of func(check.Mappings) []string) *Framework {
		b, err := data.ReadFile("data/" + file)
		if err != nil {
			panic(err)
		}
		items, err := parse(string(b))
		if err != nil {
			panic(fmt.Sprintf("frameworks: embedded %s: %v", file, err))
		}
		f := &Framework{Name: name, Title: title, Tag: tag, Items: items, Of: of, byID: map[string]int{}}
		for i, it := range items {
			f.byID[it.ID] = i
		}
		return f
	}
	all = []*Framework{
		mk("cis-aks-1.8", "CIS Azure Kubernetes Service (AKS) Benchmark v1.8.0", "CIS-AKS-1.8", "cis_aks-1.8.tsv", parseCIS,
			func(m check.Mappings) []string { return m.CIS18 }),
		mk("cis-aks-1.7", "CIS Azure Kubernetes Service (AKS) Benchmark v1.7.0", "CIS-AKS-1.7", "cis_aks-1.7.tsv", parseCIS,
			func(m check.Mappings) []string { return m.CIS17 }),
		mk("azure-policy", "Azure Policy built-in definitions for AKS", "", "azure_policy_aks_builtins.tsv", parsePolicies,
			func(m check.Mappings) []string { return m.AzurePolicy }),
	}
}

// All returns the frameworks in the order aksguard lists them.
func All() []*Framework { return all }

// Names lists the --framework values.
func Names() []string {
	out := make([]string, len(all))
	for i, f := range all {
		out[i] = f.Name
	}
	return out
}

// Lookup finds a framework by its --framework value (any case).
func Lookup(name string) (*Framework, error) {
	for _, f := range all {
		if strings.EqualFold(f.Name, strings.TrimSpace(name)) {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown framework %q (want %s)", name, strings.Join(Names(), ", "))
}

// Mapping is one item a control names, with its framework.
type Mapping struct {
	Framework *Framework
	Item      Item
}

// Of returns every item a control names, framework by framework, in each
// framework's published order; ids the data does not hold are left out
// (the package's tests prove there are none).
func Of(c *check.Control) []Mapping {
	var out []Mapping
	for _, f := range all {
		ids := f.Of(c.Mappings)
		idx := make([]int, 0, len(ids))
		for _, id := range ids {
			if i, ok := f.byID[id]; ok {
				idx = append(idx, i)
			}
		}
		sort.Ints(idx)
		for _, i := range idx {
			out = append(out, Mapping{Framework: f, Item: f.Items[i]})
		}
	}
	return out
}

// Unknown returns the ids a control names that the embedded data does not
// hold, or that name a section instead of an item ("CIS-AKS-1.8 9.9.9").
func Unknown(c *check.Control) []string {
	var bad []string
	for _, f := range all {
		for _, id := range f.Of(c.Mappings) {
			if it, ok := f.Item(id); !ok || it.Section {
				bad = append(bad, f.Name+" "+id)
			}
		}
	}
	return bad
}
