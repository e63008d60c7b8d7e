package auditlog

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"testing"
)

// fuzzRead reads data as kind k (or as Sniff says when k is None) and
// checks what must hold for any input: no panic, never a clean input with
// an unreadable record (a false pass), the record cap honoured, no error
// quoting the planted secret.
func fuzzRead(t *testing.T, data []byte, k Kind) {
	br := bufio.NewReaderSize(bytes.NewReader(data), 4096)
	if k == None {
		head, _ := br.Peek(SniffBytes)
		if k = Sniff(head); k == None {
			return
		}
	}
	rec := &recorder{}
	res := Read(br, k, Options{Input: "fuzz", Observer: rec, MaxRecordBytes: 1 << 10})
	if len(res.Errors) > 0 && res.Input.Incomplete == "" {
		t.Fatalf("errors %+v but the input is complete", res.Errors)
	}
	if int64(len(rec.lines)) != res.Input.Events {
		t.Fatalf("%d events observed, %d counted", len(rec.lines), res.Input.Events)
	}
	if len(res.Errors) > maxListedErrors+2 {
		t.Fatalf("%d errors listed", len(res.Errors))
	}
	if bytes.Contains(data, []byte(secret)) {
		for _, e := range res.Errors {
			if strings.Contains(e.Message, secret) {
				t.Fatalf("an error quotes the input: %s", e.Message)
			}
		}
	}
}

func seeds(f *testing.F, names ...string) {
	all := forms(f)
	for _, name := range names {
		f.Add(all[name])
	}
}

func FuzzJSONLines(f *testing.F) {
	seeds(f, "json-lines", "event-array", "event-list", "events-pretty")
	events, _ := os.ReadFile("testdata/events.jsonl")
	f.Add(append(events[:len(events)/2:len(events)/2], events[len(events)/2+10:]...))
	f.Add([]byte(`{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"a","stage":"ResponseComplete","verb":"get","requestObject":` + strings.Repeat("[", 100)))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, Events)
		fuzzRead(t, data, None)
	})
}

func FuzzAKSAuditJSON(f *testing.F) {
	seeds(f, "aks-audit-az", "aks-audit-objects", "aks-audit-admin-az", "azure-diagnostics-az")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, AKSAuditJSON)
		fuzzRead(t, data, AzureDiagnosticsJSON)
	})
}

func FuzzCSV(f *testing.F) {
	seeds(f, "aks-audit-csv", "azure-diagnostics-csv")
	f.Add([]byte("AuditId,Stage,Verb\n\"a\"\"b\",x,get\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, AKSAuditCSV)
		fuzzRead(t, data, AzureDiagnosticsCSV)
	})
}

func FuzzArchive(f *testing.F) {
	seeds(f, "storage-archive", "eventhub")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, Archive)
		fuzzRead(t, data, EventHub)
	})
}

func FuzzSniff(f *testing.F) {
	seeds(f, "json-lines", "aks-audit-az", "aks-audit-csv", "azure-diagnostics-az", "storage-archive", "eventhub")
	f.Add([]byte(`{"apiVersion":"v1","kind":"Pod"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = Sniff(data)
	})
}
