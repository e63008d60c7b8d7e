package inventory

import (
	"reflect"
	"strings"
)

// NewStandIn returns a cluster known only by reference: node pools name it
// (by ID, or by a reference that does not resolve) but no input of the scan
// declares it. Its pools are judged; every field of the cluster itself is
// Unknown with why, so cluster controls say not-assessed and name it.
func NewStandIn(id, name string, format Format, src Source, why string) *Cluster {
	c := &Cluster{ID: id, Name: name, Format: format, Source: src, StandIn: why, PoolsUnknown: why}
	c.UnknownUnlessRead(why, id, 0)
	return c
}

// UnknownUnlessRead makes every Field of the cluster that its reader did
// not read (no path, Absent) Unknown with why, at path and line: for a
// cluster whose input does not describe these settings at all (an AKS
// Automatic cluster, a stand-in), a field added to the model later is
// Unknown too until a reader says otherwise. CreatedAt is left alone: no
// Terraform or stand-in input has a creation date, and controls already
// say so.
func (c *Cluster) UnknownUnlessRead(why, path string, line int) {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() != reflect.Struct || !strings.HasPrefix(t.Field(i).Type.Name(), "Field[") || t.Field(i).Name == "CreatedAt" {
			continue
		}
		if f.FieldByName("Path").String() != "" || State(f.FieldByName("State").Uint()) != Absent {
			continue
		}
		f.FieldByName("State").SetUint(uint64(Unknown))
		f.FieldByName("Why").SetString(why)
		f.FieldByName("Path").SetString(path)
		f.FieldByName("Line").SetInt(int64(line))
	}
}
