package auditlog

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
)

// Kind is the shape of an audit-log input, recognised from its first
// bytes (already decompressed), never from its name.
type Kind int

// The kinds of audit-log input.
const (
	// None: not an audit log.
	None Kind = iota
	// Events: audit.k8s.io Events, one per line as the kube-apiserver's
	// --audit-log-path writes them, or concatenated, in an array or in an
	// EventList.
	Events
	// Archive: diagnostic-setting records of a storage account
	// (insights-logs-kube-audit*/…/PT1H.json), one per line, the event in
	// properties.log.
	Archive
	// EventHub: the same records in {"records": [...]} bodies (Event Hub).
	EventHub
	// AKSAuditJSON: rows of the AKSAudit or AKSAuditAdmin table as
	// `az monitor log-analytics query -o json` or the portal's JSON export
	// give them.
	AKSAuditJSON
	// AzureDiagnosticsJSON: rows of the legacy AzureDiagnostics table, the
	// event in log_s.
	AzureDiagnosticsJSON
	// AKSAuditCSV and AzureDiagnosticsCSV: the same tables exported as CSV
	// from the portal.
	AKSAuditCSV
	AzureDiagnosticsCSV
)

// Form is the inventory.AuditForm* of a kind.
func (k Kind) Form() string {
	switch k {
	case Events:
		return "json-lines"
	case Archive:
		return "storage-archive"
	case EventHub:
		return "eventhub-capture"
	case AKSAuditJSON, AKSAuditCSV:
		return "aks-audit-table"
	case AzureDiagnosticsJSON, AzureDiagnosticsCSV:
		return "azure-diagnostics"
	}
	return ""
}

// SniffBytes is how much of the head Sniff wants: the first record of an
// export (a row with its RequestObject) may be long; Sniff decides on the
// keys it has seen when the head ends inside it.
const SniffBytes = 64 << 10

// Sniff recognises an audit log from the first bytes of an input
// (decompressed): the keys of its first record, or the header of a CSV
// export.
func Sniff(head []byte) Kind {
	if len(head) > SniffBytes {
		head = head[:SniffBytes] // the same decision for a file held whole
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 {
		return None
	}
	// Most inputs are no audit log: one pass for the names every form's
	// first record holds keeps their cost to a byte search; for a CSV
	// export, whose header is its first line (all sniffCSV reads), a
	// search of that line (a YAML manifest's first line is short).
	if t[0] == '{' || t[0] == '[' {
		if !hasMarker(t) {
			return None
		}
		return classify(firstRecordKeys(t))
	}
	if line, _, _ := bytes.Cut(head, []byte("\n")); !hasMarker(line) {
		return None
	}
	return sniffCSV(head)
}

// markers are names one of which every audit form's first record (or CSV
// header) holds.
var markers = [][]byte{[]byte("audit.k8s.io/"), []byte("auditID"), []byte(`"records"`), []byte(`"category"`),
	[]byte("AuditId"), []byte("log_s"), []byte("AzureDiagnostics")}

func hasMarker(head []byte) bool {
	for _, m := range markers {
		if bytes.Contains(head, m) {
			return true
		}
	}
	return false
}

// containerValue marks a key whose value is an object or array.
const containerValue = ContainerValue

// ContainerValue is the value Classify takes for a key whose value is an
// object or array.
const ContainerValue = "\x00{}"

// firstRecordKeys lists the keys of the first object of a JSON text (the
// top level, or the first element of a top-level array) with their string
// values, as far as the head goes.
func firstRecordKeys(head []byte) map[string]string {
	keys := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(head))
	dec.UseNumber()
	depth, recordDepth := 0, 1
	if head[0] == '[' {
		recordDepth = 2
	}
	expectKey := false
	key := ""
	for {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if depth == recordDepth && key != "" {
					keys[key] = containerValue
					key = ""
				}
				depth++
				expectKey = v == '{' && depth == recordDepth
				if depth < recordDepth && v == '{' {
					return keys // a top-level array of something else
				}
				continue
			default:
				depth--
				if depth < recordDepth {
					return keys
				}
				expectKey = depth == recordDepth
				continue
			}
		}
		if depth != recordDepth {
			continue
		}
		if expectKey {
			key, _ = tok.(string)
			keys[key] = "" // present, even when the head ends in its value
			expectKey = false
			continue
		}
		s, _ := tok.(string)
		keys[key] = s
		key = ""
		expectKey = true
	}
}

// Classify names the kind of audit log whose first record has these keys
// (with their string values; "" for other scalars, ContainerValue for an
// object or array): the rule Sniff applies to a head, for a document
// already parsed.
func Classify(keys map[string]string) Kind { return classify(keys) }

// classify names the kind of a first record from its keys.
func classify(k map[string]string) Kind {
	has := func(names ...string) bool {
		for _, n := range names {
			if _, ok := k[n]; !ok {
				return false
			}
		}
		return true
	}
	switch {
	case has("records"):
		return EventHub
	case (k["kind"] == "Event" || k["kind"] == "EventList") && strings.HasPrefix(k["apiVersion"], "audit.k8s.io/"),
		has("auditID", "verb", "stage"):
		return Events
	case has("category", "properties") && k["category"] != containerValue && (has("resourceId") || has("time")):
		// (An Activity Log entry has them too, its category an object.)
		return Archive
	case has("AuditId") && (has("Verb") || has("Stage") || has("RequestUri")):
		return AKSAuditJSON
	case has("Category") && (has("log_s") || k["Type"] == "AzureDiagnostics"):
		return AzureDiagnosticsJSON
	}
	return None
}

// sniffCSV recognises the header of a CSV export.
func sniffCSV(head []byte) Kind {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(line))
	r.LazyQuotes = false
	cols, err := r.Read()
	if err != nil || len(cols) < 2 {
		return None
	}
	k := map[string]string{}
	for _, c := range cols {
		k[columnName(c)] = ""
	}
	switch classify(k) {
	case AKSAuditJSON:
		return AKSAuditCSV
	case AzureDiagnosticsJSON:
		return AzureDiagnosticsCSV
	}
	// The portal writes no Type column unless asked: a header with the
	// AzureDiagnostics audit columns is enough.
	if _, ok := k["Category"]; ok {
		if _, ok := k["log_s"]; ok {
			return AzureDiagnosticsCSV
		}
	}
	return None
}

// columnName is a CSV header cell without the unit the portal appends to
// time columns ("TimeGenerated [UTC]").
func columnName(c string) string {
	c = strings.TrimSpace(strings.TrimPrefix(c, "\ufeff"))
	if i := strings.Index(c, " ["); i > 0 && strings.HasSuffix(c, "]") {
		c = c[:i]
	}
	return c
}
