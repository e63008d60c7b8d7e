package report

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestJSONStreamMatchesEncoder checks that the streaming writer produces
// exactly what encoding/json would for the whole report.
func TestJSONStreamMatchesEncoder(t *testing.T) {
	for _, includePassed := range []bool{false, true} {
		r := testReport(includePassed)
		r.Warnings = []string{"w <1>"}
		if includePassed {
			r.Clusters = []ClusterSummary{{ID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/a", Name: "a",
				Fail: map[string]int{"critical": 0, "high": 1, "medium": 0, "low": 0}, NotAssessed: 2},
				{ID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/b", Name: "b", Error: "forbidden <403>"}}
		}
		var got bytes.Buffer
		if err := WriteJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		want := *r
		want.Results = r.Visible()
		var wb bytes.Buffer
		enc := json.NewEncoder(&wb)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(want); err != nil {
			t.Fatal(err)
		}
		if got.String() != wb.String() {
			t.Errorf("includePassed=%v: streamed JSON differs from encoding/json:\n%s\n---\n%s", includePassed, got.String(), wb.String())
		}
	}
	var empty bytes.Buffer
	if err := WriteJSON(&empty, &Report{}); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(empty.Bytes(), &m); err != nil || m["results"] == nil || m["errors"] == nil {
		t.Fatalf("empty report: %v %s", err, empty.String())
	}
}
