package render

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/aksguard/aksguard/internal/source/inputcap"
	"github.com/aksguard/aksguard/internal/source/manifest"
)

// checkValuesYAML applies the manifest reader's YAML checks (alias
// expansion, nesting, duplicate keys; manifest.CheckYAML) to a Helm values
// file before Helm parses it: sigs.k8s.io/yaml bounds the number of
// aliases, not the bytes they copy, so a 2 MB values file could expand
// past 5 GB.
func checkValuesYAML(data []byte, file string) error {
	if err := manifest.CheckYAML(data); err != nil {
		if ye, ok := err.(*manifest.YAMLError); ok {
			return fmt.Errorf("%s:%d: %s", file, ye.Line, ye.Message)
		}
		return fmt.Errorf("%s: %v", file, err)
	}
	return nil
}

// checkChartValues checks every values.yaml of a chart directory (its own
// and those of its vendored subcharts under charts/) before Helm's loader
// parses them. Packaged subcharts (.tgz) are read by Helm alone.
func checkChartValues(dir string, maxBytes int64) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "values.yaml" || !d.Type().IsRegular() {
			return nil // the loader reports what it cannot read
		}
		if st, err := d.Info(); err == nil && st.Size() > maxBytes {
			return fmt.Errorf("%s: %v; raise --max-input-mb if it really is a values file", p, inputcap.ErrTooLarge{Max: maxBytes})
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		return checkValuesYAML(data, p)
	})
}
