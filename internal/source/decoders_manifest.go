package source

import (
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/manifest"
)

func init() {
	// Before the templates and plans: a Kubernetes object is recognised by
	// its top-level apiVersion and kind.
	jsonDecoders = append([]jsonDecoder{{
		name:  "kubernetes",
		match: isKubernetesJSON,
		decode: func(_ *jsontree.Node, data []byte, file string, _ *Options) *inventory.Batch {
			return manifest.DecodeJSON(data, file)
		},
	}}, jsonDecoders...)
}

// isKubernetesJSON reports whether a JSON document is a Kubernetes object
// or List: string apiVersion and kind at the top level, spelled exactly so,
// and none of the marks of an ARM resource (properties, an apiVersion that
// is a date).
func isKubernetesJSON(root *jsontree.Node) bool {
	if root == nil || root.Kind != jsontree.Object {
		return false
	}
	var apiVersion, kind string
	arm := false
	for _, m := range root.Members {
		switch m.Key {
		case "apiVersion":
			if m.Value.Kind == jsontree.String {
				apiVersion = m.Value.Str
			}
		case "kind":
			if m.Value.Kind == jsontree.String {
				kind = m.Value.Str
			}
		case "properties", "$schema", "resources":
			arm = true
		}
	}
	return manifest.IsObject(apiVersion, kind, arm)
}
