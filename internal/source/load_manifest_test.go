package source

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/source/manifest"
	"github.com/aksguard/aksguard/internal/source/render"
)

var k8sDir = filepath.Join("testdata", "k8s")

// Walking a directory reads .yaml/.yml and JSON manifests, renders Helm
// charts (not reading their files raw), skips non-Kubernetes YAML with a
// count, and merges the objects in path order.
func TestLoadManifestDirectory(t *testing.T) {
	inv := Load([]string{k8sDir}, Options{})
	if len(inv.Errors) != 0 {
		t.Fatalf("errors: %v", inv.Errors)
	}
	if !inv.Kubernetes || inv.Kube == nil {
		t.Fatalf("no Kubernetes input: %+v", inv)
	}
	k := inv.Kube
	var got []string
	for _, w := range k.Workloads {
		got = append(got, fmt.Sprintf("%s %s:%d", w.Ref(), filepath.ToSlash(w.Source.File), w.Source.Line))
	}
	want := []string{
		"Deployment/shop/web testdata/k8s/app/deploy.yaml:1",
		"Pod/shop/p testdata/k8s/app/pod.json:1",
		"Deployment/default/aksguard testdata/k8s/chart/templates/deployment.yaml:1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("workloads %v, want %v", got, want)
	}
	if k.Ignored["CustomResourceDefinition"] != 1 {
		t.Errorf("ignored %v", k.Ignored)
	}
	// deploy.yaml, empty-list.json, pod.json, and the chart's
	// crds/widgets.yaml and rendered templates/deployment.yaml
	if k.Inputs != 5 {
		t.Errorf("%d Kubernetes inputs, want 5", k.Inputs)
	}
	wantSkipped := map[string]int{
		manifest.NotObject: 1, // compose.yml (the chart's Chart.yaml and values.yaml are not read raw)
		"JSON that is not an AKS cluster or a companion Azure resource aksguard reads": 1,
	}
	for reason, n := range wantSkipped {
		if inv.Skipped[reason] != n {
			t.Errorf("skipped %v, want %q: %d", inv.Skipped, reason, n)
		}
	}
	if len(inv.Clusters) != 0 {
		t.Errorf("%d clusters", len(inv.Clusters))
	}
}

func TestLoadManifestInputs(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		stdin string
		want  string // "k8s N objects", "skipped: reason" or "error: message part"
	}{
		{"empty List sets Kubernetes", []string{filepath.Join(k8sDir, "app", "empty-list.json")}, "", "k8s 0 objects"},
		{"explicit Helm template is skipped", []string{filepath.Join(k8sDir, "chart", "templates", "deployment.yaml")}, "", "skipped: " + render.TemplateSkipped},
		{"stdin YAML stream", []string{"-"}, "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n", "k8s 2 objects"},
		{"stdin JSON object", []string{"-"}, `{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}`, "k8s 1 objects"},
		{"stdin plain text", []string{"-"}, "hello world\n", "error: neither JSON nor YAML data"},
		{"stdin values file", []string{"-"}, "replicaCount: 1\n", "skipped: " + manifest.NotObject},
		{"ARM resource with kind is not Kubernetes", []string{filepath.Join(k8sDir, "other", "arm-with-kind.json")}, "", "skipped: JSON that is not an AKS cluster"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := Load(tt.paths, Options{Stdin: strings.NewReader(tt.stdin)})
			var got string
			switch {
			case len(inv.Errors) > 0:
				got = "error: " + inv.Errors[0].Message
			case inv.Kube != nil:
				got = fmt.Sprintf("k8s %d objects", inv.Kube.Total())
				if !inv.Kubernetes {
					got += " (Kubernetes false)"
				}
			default:
				for r := range inv.Skipped {
					got = "skipped: " + r
				}
			}
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// Results do not depend on how many files are read at once.
func TestLoadDeterministic(t *testing.T) {
	paths := []string{filepath.Join("manifest", "testdata", "corpus"), filepath.Join("manifest", "testdata", "manifests"), k8sDir}
	a := Load(paths, Options{})
	for range 3 {
		b := Load(paths, Options{})
		if !reflect.DeepEqual(a, b) {
			t.Fatal("two loads of the same paths differ")
		}
	}
}
