package source

import (
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/arm"
	"github.com/aksguard/aksguard/internal/source/detect"
)

// DecodeJSON detects the kind of one JSON document that did not come from a
// file (an ARM response body, named by name in errors and results) and
// decodes it as if it had been read from a file of that name.
func DecodeJSON(data []byte, name string, opts Options) *inventory.Batch {
	return detect.JSON(data, name, true, detectParams(&opts))
}

// detectParams is what detecting and decoding one input needs from opts.
func detectParams(opts *Options) detect.Params {
	if opts == nil {
		return detect.Params{}
	}
	return detect.Params{TemplateParameters: opts.TemplateParameters, Audit: opts.Audit}
}

// LoadTemplateParameters reads an ARM deployment parameters file.
func LoadTemplateParameters(data []byte, file string) (map[string]*jsontree.Node, error) {
	return arm.LoadParameters(data, file)
}

// DecodeJSON decodes one JSON document with these options, as the function
// DecodeJSON does: Options is then the decoder of the live Azure reader
// (azure.Decoder), which does not import this package.
func (o Options) DecodeJSON(data []byte, name string) *inventory.Batch {
	return DecodeJSON(data, name, o)
}
