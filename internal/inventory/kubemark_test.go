package inventory

import (
	"reflect"
	"testing"
)

// Mark and Slice cover every object collection of a Kube: a collection
// added to Kube (and to Merge) but not to them would be dropped from the
// Kubernetes input attributed to a cluster.
func TestKubeMarkCoversEveryCollection(t *testing.T) {
	kt := reflect.TypeOf(Kube{})
	fill := func(k *Kube, base int) {
		v := reflect.ValueOf(k).Elem()
		j := 0
		for i := range kt.NumField() {
			f := v.Field(i)
			if f.Kind() != reflect.Slice {
				continue
			}
			j++
			n := base + j // a different length in every collection
			s := reflect.MakeSlice(f.Type(), n, n)
			for e := range n {
				s.Index(e).Set(reflect.New(f.Type().Elem().Elem()))
			}
			f.Set(s)
		}
	}
	collections := 0
	for i := range kt.NumField() {
		if kt.Field(i).Type.Kind() == reflect.Slice {
			collections++
		}
	}
	if collections != kubeCollections {
		t.Fatalf("Kube has %d collections, KubeMark %d: add the new one to Mark and Slice", collections, kubeCollections)
	}

	first, second := &Kube{}, &Kube{}
	fill(first, 0)
	fill(second, 100)
	all := &Kube{}
	all.Merge(first)
	from := all.Mark()
	all.Merge(second)
	to := all.Mark()
	got := all.Slice(from, to)
	gv, sv := reflect.ValueOf(got).Elem(), reflect.ValueOf(second).Elem()
	for i := range kt.NumField() {
		if kt.Field(i).Type.Kind() != reflect.Slice {
			continue
		}
		g, s := gv.Field(i), sv.Field(i)
		if g.Len() != s.Len() {
			t.Errorf("Slice: %s has %d objects, want %d", kt.Field(i).Name, g.Len(), s.Len())
			continue
		}
		for e := range s.Len() {
			if g.Index(e).Pointer() != s.Index(e).Pointer() {
				t.Errorf("Slice: %s[%d] is not the object merged there", kt.Field(i).Name, e)
				break
			}
		}
		if g.Cap() != g.Len() {
			t.Errorf("Slice: %s has room to grow into the merged inventory (cap %d, len %d)", kt.Field(i).Name, g.Cap(), g.Len())
		}
	}
}
