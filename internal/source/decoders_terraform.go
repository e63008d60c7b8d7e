package source

import (
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/terraform"
)

func init() {
	jsonDecoders = append(jsonDecoders, jsonDecoder{
		name:  "terraform-plan",
		match: terraform.IsPlanNode,
		decode: func(_ *jsontree.Node, data []byte, file string, _ *Options) *inventory.Batch {
			return terraform.DecodePlanJSON(data, file)
		},
	})
	hclDecoder = func(dir string, files map[string][]byte, opts *Options) *inventory.Batch {
		return terraform.DecodeHCLDir(dir, files, opts.TerraformVars)
	}
}
