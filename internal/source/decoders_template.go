package source

import (
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/arm"
)

func init() {
	jsonDecoders = append(jsonDecoders,
		jsonDecoder{
			name:  "arm-template",
			match: arm.IsTemplate,
			decode: func(root *jsontree.Node, _ []byte, file string, opts *Options) *inventory.Batch {
				var params map[string]*jsontree.Node
				if opts != nil {
					params = opts.TemplateParameters
				}
				return arm.DecodeTemplate(root, file, params)
			},
		},
		jsonDecoder{
			// A parameters file met while walking a directory is not an
			// input of its own: it is given with --parameters.
			name:  "arm-parameters",
			match: arm.IsParametersFile,
			decode: func(*jsontree.Node, []byte, string, *Options) *inventory.Batch {
				return &inventory.Batch{Skipped: "ARM deployment parameters file (give it with --parameters FILE next to its template)"}
			},
		},
	)
}
