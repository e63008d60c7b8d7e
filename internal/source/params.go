package source

import (
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// LoadTemplateParameters reads an ARM deployment parameters file.
func LoadTemplateParameters(data []byte, file string) (map[string]*jsontree.Node, error) {
	return arm.LoadParameters(data, file)
}
