package render

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Later --values files override earlier ones, which override the chart's
// defaults.
func TestLoadHelmValuesOrder(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	writeFile(t, a, "image: {repository: a, tag: x}\nreplicaCount: 2\n")
	writeFile(t, b, "image: {repository: b}\n")
	v, err := LoadHelmValues([]string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"image": map[string]any{"repository": "b", "tag": "x"}, "replicaCount": float64(2)}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("got %v, want %v", v, want)
	}
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "- a list\n")
	if _, err := LoadHelmValues([]string{bad}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("a list of values: %v", err)
	}
}
