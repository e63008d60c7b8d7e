package armbody

import (
	"strings"
	"testing"
)

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
		if got := EmptyList([][]byte{[]byte(tt.page)}); got != tt.want {
			t.Errorf("EmptyList(%s) = %v, want %v", tt.page, got, tt.want)
		}
	}
}

func TestErrorBodyAndNextLink(t *testing.T) {
	code, msg := ErrorBody([]byte(`{"error": {"code": "AuthorizationFailed", "message": "The client\n does not have ` + strings.Repeat("x", 400) + `"}}`))
	if code != "AuthorizationFailed" || !strings.HasPrefix(msg, "The client does not have xx") || len(msg) != 303 {
		t.Errorf("ErrorBody: %q %q", code, msg)
	}
	if c, m := ErrorBody([]byte(`not json`)); c != "" || m != "" {
		t.Errorf("ErrorBody of not JSON: %q %q", c, m)
	}
	for body, want := range map[string]string{
		`{"value": [], "nextLink": "https://management.azure.com/x?page=2"}`: "https://management.azure.com/x?page=2",
		`{"value": []}`:                "",
		`{"value": [], "nextLink": 3}`: "",
		`not json`:                     "",
		`{"nextLink": null}`:           "",
	} {
		if got := NextLink([]byte(body)); got != want {
			t.Errorf("NextLink(%s) = %q, want %q", body, got, want)
		}
	}
}
