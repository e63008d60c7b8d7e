package manifest

import (
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// The facts the decoder reads once into Meta.Facts (objectJSON.meta, which
// builds every object's Meta) are the values in the object's maps; a Meta
// built elsewhere reads the maps.
func TestMetaFacts(t *testing.T) {
	data := []byte(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: agent
  namespace: kube-system
  labels: {kubernetes.azure.com/managedby: aks}
  annotations: {aksguard.io/waive: "AKS-WKL-001=node agent"}
spec:
  template:
    metadata:
      annotations: {aksguard.io/waive: "AKS-WKL-008=log agent"}
    spec:
      containers: [{name: a, image: mcr.microsoft.com/a:1}]
---
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations: {aksguard.io/waive: "AKS-WKL-003=legacy"}
spec:
  containers: [{name: a, image: mcr.microsoft.com/a:1}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: shop}
rules: []
`)
	b := Decode(data, "m.yaml")
	if len(b.Errors) != 0 || b.Kube == nil || len(b.Kube.Workloads) != 2 || len(b.Kube.Roles) != 1 {
		t.Fatalf("decoded %+v", b)
	}
	for _, w := range b.Kube.Workloads {
		if !w.Facts.Read {
			t.Fatalf("%s: facts not read", w.Ref())
		}
		if w.ManagedBy() != w.Labels[inventory.LabelManagedBy] || w.Waive() != w.Annotations[inventory.AnnotationWaive] || w.PodWaive() != w.PodAnnotations[inventory.AnnotationWaive] {
			t.Errorf("%s: facts %+v, maps %v %v %v", w.Ref(), w.Facts, w.Labels, w.Annotations, w.PodAnnotations)
		}
	}
	if d := b.Kube.Workloads[0]; d.ManagedBy() != "aks" || d.Waive() != "AKS-WKL-001=node agent" || d.PodWaive() != "AKS-WKL-008=log agent" {
		t.Errorf("Deployment facts %+v", d.Facts)
	}
	if p := b.Kube.Workloads[1]; p.PodWaive() != "AKS-WKL-003=legacy" {
		t.Errorf("a Pod's template is itself: PodWaive %q", p.PodWaive())
	}
	if r := b.Kube.Roles[0]; !r.Facts.Read || r.ManagedBy() != "" || r.Waive() != "" {
		t.Errorf("Role facts %+v", r.Facts)
	}
	m := &inventory.Meta{Labels: map[string]string{inventory.LabelManagedBy: "aks"}, Annotations: map[string]string{inventory.AnnotationWaive: "x"}}
	if m.ManagedBy() != "aks" || m.Waive() != "x" {
		t.Errorf("a Meta built without facts: %q %q", m.ManagedBy(), m.Waive())
	}
}
