package auditlog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
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
	f.Add([]byte("apiVersion: v1\nkind: ConfigMap\ndata:\n  x: AuditId,Verb\n"))
	f.Add([]byte("\ufeff\"TimeGenerated [UTC]\",Category,log_s\nx,y,z\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := Sniff(data), sniffWithoutMarkers(data); got != want {
			t.Fatalf("Sniff = %v, without the marker search %v", got, want)
		}
	})
}

// sniffWithoutMarkers is Sniff without the marker search that spares most
// inputs the parsing: both must say the same.
func sniffWithoutMarkers(head []byte) Kind {
	if len(head) > SniffBytes {
		head = head[:SniffBytes]
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 {
		return None
	}
	if t[0] == '{' || t[0] == '[' {
		return classify(firstRecordKeys(t))
	}
	return sniffCSV(head)
}

// normalize makes empty and nil slices and maps alike (encoding/json gives
// an empty slice for [], the fast path may give nil).
func normalize(r *rawEvent) {
	norm := func(u *rawUser) {
		if len(u.Groups) == 0 {
			u.Groups = nil
		}
		if len(u.Extra) == 0 {
			u.Extra = nil
		}
		for k, v := range u.Extra {
			if len(v) == 0 {
				u.Extra[k] = nil
			}
		}
	}
	norm(&r.User)
	if r.ImpersonatedUser != nil {
		norm(r.ImpersonatedUser)
	}
	if len(r.SourceIPs) == 0 {
		r.SourceIPs = nil
	}
	if len(r.Annotations) == 0 {
		r.Annotations = nil
	}
	if len(r.RequestObject) == 0 {
		r.RequestObject = nil
	}
}

// The fast path reads what encoding/json reads, or leaves the input to it.
func FuzzFastEvent(f *testing.F) {
	events, _ := os.ReadFile("testdata/events.jsonl")
	for _, l := range bytes.Split(events, []byte("\n")) {
		f.Add(l)
	}
	f.Add([]byte(`{"kind":"Event","Verb":"get","verb":"list","user":{"username":"a\u00e9","groups":[]},"annotations":{"k":"v\"x"},"responseStatus":{"code":2e2}}`))
	f.Add([]byte(`{"stageTimestamp":"2024-02-30T10:00:00.1Z","requestReceivedTimestamp":"2024-02-29T23:59:59.123456789Z"}`))
	f.Add([]byte(`{"user":null,"sourceIPs":null,"objectRef":{"name":"\ud800"},"requestObject":null,"extra":{"a":null}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast, ref rawEvent
		var in interner
		if fastDecode(data, &fast, &in) != nil {
			return
		}
		if err := json.Unmarshal(data, &ref); err != nil {
			t.Fatalf("the fast path read what encoding/json refuses (%v)", err)
		}
		// Times the fast path parsed: the same instant as parseTime's.
		for _, tt := range []struct {
			fastT *time.Time
			fastS *string
			refS  *string
		}{{&fast.receivedT, &fast.Received, &ref.Received}, {&fast.stageT, &fast.StageTime, &ref.StageTime}} {
			if tt.fastT.IsZero() {
				continue
			}
			want, err := parseTime(*tt.refS, "t")
			if err != nil || !want.Equal(*tt.fastT) {
				t.Fatalf("time %q: fast %v, parseTime %v (%v)", *tt.refS, *tt.fastT, want, err)
			}
			*tt.fastT, *tt.fastS, *tt.refS = time.Time{}, "", ""
		}
		normalize(&fast)
		normalize(&ref)
		if !reflect.DeepEqual(fast, ref) {
			t.Fatalf("fast %+v\n ref %+v", fast, ref)
		}
	})
}

func FuzzPlainASCII(f *testing.F) {
	f.Add([]byte(`abc\"def012345678`))
	f.Add([]byte("\x1f\x20\x7f\x80 ~\\"))
	f.Fuzz(func(t *testing.T, b []byte) {
		want := true
		for _, c := range b {
			if c < 0x20 || c >= 0x80 || c == '\\' {
				want = false
			}
		}
		if got := plainASCII(b); got != want {
			t.Fatalf("plainASCII(%q) = %v", b, got)
		}
	})
}
