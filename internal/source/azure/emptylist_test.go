package azure

import "testing"

// TestEmptyList: only a list that is empty to every JSON reader is a
// complete listing of nothing; a page whose "value" keys conflict is not
// (Go and az keep the last, a first-match reader the first).
func TestEmptyList(t *testing.T) {
	tests := []struct {
		page string
		want bool
	}{
		{`{"value": []}`, true},
		{`{"value": [], "nextLink": null}`, true},
		{`{"VALUE": []}`, true},
		{`{"value": [{"id": "x"}]}`, false},
		{`{"value": null}`, false},
		{`{}`, false},
		{`[]`, false},
		{`not json`, false},
		{`{"value": [{"id": "x"}], "value": []}`, false},
		{`{"value": [], "Value": [{"id": "x"}]}`, false},
		{`{"value": [], "value": []}`, true},
	}
	for _, tt := range tests {
		if got := emptyList([][]byte{[]byte(tt.page)}); got != tt.want {
			t.Errorf("emptyList(%s) = %v, want %v", tt.page, got, tt.want)
		}
	}
}
