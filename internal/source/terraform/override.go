package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/aksguard/aksguard/internal/inventory"
)

// mergeOverride merges one override file (override.tf, *_override.tf and
// their .tf.json forms) into the primary files, as Terraform does
// (https://developer.hashicorp.com/terraform/language/files/override):
// each top-level block merges into the primary block of the same type and
// labels (locals: each local by name); an argument replaces the primary's;
// a nested block type replaces every primary block of that type (dynamic
// ones included), lifecycle is merged argument by argument; count and
// for_each replace each other. A block with no primary block to override
// is an error, as it is for Terraform. Override files are merged after
// every primary file, in lexical order.
func mergeOverride(primary []*hclFile, over *hclFile) []inventory.InputError {
	var errs []inventory.InputError
	for _, ob := range over.body.Blocks {
		if ob.Type == "locals" {
			for name, a := range ob.Body.Attributes {
				if pb := findLocal(primary, name); pb != nil {
					pb.Body.Attributes[name] = a
					continue
				}
				errs = append(errs, inventory.InputError{Input: over.name, Line: a.SrcRange.Start.Line,
					Message: fmt.Sprintf("override file sets local.%s, which no primary file defines; Terraform refuses it (define it in a .tf file first)", name)})
			}
			continue
		}
		pb := findBlock(primary, ob)
		if pb == nil {
			if ob.Type == "terraform" || ob.Type == "provider" {
				continue // nothing aksguard reads
			}
			errs = append(errs, inventory.InputError{Input: over.name, Line: ob.DefRange().Start.Line,
				Message: fmt.Sprintf("override file overrides %s, which no primary file defines; Terraform refuses it (define it in a .tf file first); the override was not read", blockName(ob))})
			continue
		}
		mergeBody(pb.Body, ob.Body, ob.Type == "resource" || ob.Type == "data")
	}
	return errs
}

// mergeBody merges an override body into a primary one.
func mergeBody(p, o *hclsyntax.Body, resource bool) {
	for name, a := range o.Attributes {
		if resource {
			switch name {
			case "count":
				delete(p.Attributes, "for_each")
			case "for_each":
				delete(p.Attributes, "count")
			}
		}
		p.Attributes[name] = a
	}
	replaced := map[string]bool{}
	var lifecycle []*hclsyntax.Block
	for _, ob := range o.Blocks {
		if resource && ob.Type == "lifecycle" {
			lifecycle = append(lifecycle, ob)
			continue
		}
		replaced[nestedType(ob)] = true
	}
	if len(replaced) > 0 {
		kept := p.Blocks[:0:0]
		for _, pb := range p.Blocks {
			if !replaced[nestedType(pb)] {
				kept = append(kept, pb)
			}
		}
		for _, ob := range o.Blocks {
			if !(resource && ob.Type == "lifecycle") {
				kept = append(kept, ob)
			}
		}
		p.Blocks = kept
	}
	for _, ob := range lifecycle {
		merged := false
		for _, pb := range p.Blocks {
			if pb.Type == "lifecycle" {
				mergeBody(pb.Body, ob.Body, false)
				merged = true
				break
			}
		}
		if !merged {
			p.Blocks = append(p.Blocks, ob)
		}
	}
}

// nestedType is the block type a nested block makes: a dynamic block's
// label, else its type.
func nestedType(b *hclsyntax.Block) string {
	if b.Type == "dynamic" && len(b.Labels) == 1 {
		return b.Labels[0]
	}
	return b.Type
}

func findBlock(files []*hclFile, ob *hclsyntax.Block) *hclsyntax.Block {
	for _, f := range files {
		for _, pb := range f.body.Blocks {
			if pb.Type == ob.Type && sameLabels(pb.Labels, ob.Labels) {
				return pb
			}
		}
	}
	return nil
}

func findLocal(files []*hclFile, name string) *hclsyntax.Block {
	for _, f := range files {
		for _, pb := range f.body.Blocks {
			if pb.Type == "locals" && pb.Body.Attributes[name] != nil {
				return pb
			}
		}
	}
	return nil
}

func sameLabels(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func blockName(b *hclsyntax.Block) string {
	if len(b.Labels) == 0 {
		return b.Type + " block"
	}
	if b.Type == "resource" {
		return strings.Join(b.Labels, ".")
	}
	return b.Type + "." + strings.Join(b.Labels, ".")
}
