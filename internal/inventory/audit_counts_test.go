package inventory

import (
	"math"
	"reflect"
	"testing"
	"time"
)

// TestAuditCountsAdd: a cluster's counts over several sources add up
// (saturating, never wrapping), span the earliest first and latest last
// time, and list each category once, sorted.
func TestAuditCountsAdd(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		add  []AuditCounts
		want AuditCounts
	}{
		{"two sources", []AuditCounts{
			{Events: 10, Reads: 4, First: t0.Add(time.Minute), Last: t0.Add(time.Hour), Categories: []string{"kube-audit"}},
			{Events: 3, First: t0, Last: t0.Add(time.Minute), Categories: []string{"kube-audit-admin"}}},
			AuditCounts{Events: 13, Reads: 4, First: t0, Last: t0.Add(time.Hour), Categories: []string{"kube-audit", "kube-audit-admin"}}},
		{"the same category twice, a source without times", []AuditCounts{
			{Events: 1, Categories: []string{"kube-audit-admin"}}, {Events: 1, First: t0, Last: t0, Categories: []string{"kube-audit-admin"}}},
			AuditCounts{Events: 2, First: t0, Last: t0, Categories: []string{"kube-audit-admin"}}},
		{"saturates", []AuditCounts{{Events: math.MaxInt64, Reads: math.MaxInt64 - 1}, {Events: 5, Reads: 5}},
			AuditCounts{Events: math.MaxInt64, Reads: math.MaxInt64}},
	} {
		var got AuditCounts
		for _, a := range tc.add {
			got.Add(a)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
