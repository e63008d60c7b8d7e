package auditlog

import (
	"fmt"
	"testing"
)

// Events carry the line their record starts on, in every layout: JSON
// lines, a pretty-printed array, a CSV with a quoted multi-line cell.
func TestEventLines(t *testing.T) {
	row := func(id string) string {
		return `{"AuditId": "` + id + `", "Stage": "ResponseComplete", "Verb": "get", "Type": "AKSAudit", "TimeGenerated": "2026-11-30T10:00:00Z"}`
	}
	ev := func(id string) string {
		return `{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"` + id + `","stage":"ResponseComplete","verb":"get"}`
	}
	tests := []struct {
		name, data string
		want       string
	}{
		{"JSON lines with blank lines", ev("a") + "\n\n" + ev("b") + "\r\n" + ev("c") + "\n", "[1 3 4]"},
		{"a pretty-printed array", "[\n  " + row("a") + ",\n\n  " + row("b") + "\n]\n", "[2 4]"},
		{"concatenated pretty events", "{\n \"kind\": \"Event\",\n \"apiVersion\": \"audit.k8s.io/v1\",\n \"auditID\": \"a\",\n \"stage\": \"ResponseComplete\",\n \"verb\": \"get\"\n}\n" + ev("b") + "\n", "[1 8]"},
		{"CSV with a multi-line cell", "AuditId,Stage,Verb,Type,UserAgent\na,ResponseComplete,get,AKSAudit,\"x\ny\"\nb,ResponseComplete,get,AKSAudit,z\n", "[2 4]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, res, rec := read(t, tc.data, 0)
			var lines []int
			for _, e := range rec.events {
				lines = append(lines, e.Line)
			}
			if got := fmt.Sprint(lines); got != tc.want || len(res.Errors) > 0 {
				t.Errorf("lines %s, want %s (errors %+v)", got, tc.want, res.Errors)
			}
		})
	}
}
