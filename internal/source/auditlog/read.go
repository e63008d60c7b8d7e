// Package auditlog streams Kubernetes audit logs in every form AKS users
// have them — the kube-apiserver's JSON lines (plain or gzip), the Log
// Analytics exports of AKSAudit, AKSAuditAdmin and AzureDiagnostics (JSON
// and CSV), the diagnostic-setting archives of a storage account and the
// Event Hub bodies — into one inventory.AuditEvent at a time for the audit
// controls' observer, and says what each input covered
// (inventory.AuditInput). Nothing is held but the record being read.
//
// The form is recognised from content (Sniff), never from the file name.
// No error message quotes log content: events carry request bodies
// (Secrets created with their data).
package auditlog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/aksguard/aksguard/internal/inventory"
)

// Options of Read.
type Options struct {
	// Input names the input in events and errors (a file, "-").
	Input string
	// Observer receives every event; nil reads the input for its coverage
	// only.
	Observer inventory.AuditObserver
	// MaxRecordBytes bounds one record (0: DefaultMaxRecordBytes).
	MaxRecordBytes int
}

// Result is what Read found.
type Result struct {
	Input  inventory.AuditInput
	Errors []inventory.InputError
}

// OtherCategories is the skip reason of an input of diagnostic records or
// AzureDiagnostics rows none of which is of kube-audit or
// kube-audit-admin.
const OtherCategories = "diagnostic logs of other categories than kube-audit and kube-audit-admin"

// Batch is what the input gives the scan: its coverage and errors, or a
// skipped input when it held diagnostic logs of other categories only (a
// PT1H.json of kube-apiserver beside the audit ones), which is no audit
// log.
func (r Result) Batch() *inventory.Batch {
	in := r.Input
	if in.Events == 0 && in.Skipped > 0 && len(r.Errors) == 0 && in.Incomplete == "" {
		return &inventory.Batch{Skipped: OtherCategories}
	}
	return &inventory.Batch{Audit: []inventory.AuditInput{in}, Errors: r.Errors}
}

// maxListedErrors is how many bad records are listed one by one; the
// others are counted in one more error.
const maxListedErrors = 5

// Read streams one audit-log input of kind k (Sniff) from br to the
// observer. A record that cannot be read is an input error naming its line
// (the first few, then a count) and makes the input Incomplete; the
// records after it are still read, unless the structure around them is
// broken (an array without its commas, a truncated gzip stream, a byte
// cap), which ends the input there.
func Read(br *bufio.Reader, k Kind, opts Options) Result {
	if opts.MaxRecordBytes <= 0 {
		opts.MaxRecordBytes = DefaultMaxRecordBytes
	}
	r := &reader{opts: opts, kind: k, tally: NewTally(opts.Input, k.Form())}
	switch k {
	case AKSAuditCSV, AzureDiagnosticsCSV:
		r.readCSV(br)
	case None:
		r.stop = "not an audit log"
	default:
		r.readJSON(br)
	}
	return r.result()
}

type reader struct {
	opts     Options
	kind     Kind
	ev       inventory.AuditEvent
	dec      EventDecoder
	tally    *Tally
	errs     []inventory.InputError
	bad      int64 // records that could not be read
	firstBad int
	stop     string // why reading ended early
	stopLine int
	row      jsonRow
	rec      rawRecord
}

// fail records a record that could not be read.
func (r *reader) fail(line int, err error) {
	r.bad++
	if r.firstBad == 0 {
		r.firstBad = line
	}
	if len(r.errs) < maxListedErrors {
		r.errs = append(r.errs, inventory.InputError{Input: r.opts.Input, Line: line, Message: "audit log: " + err.Error()})
	}
}

// end records why reading stopped before the end of the input.
func (r *reader) end(line int, err error) {
	r.stopLine = line
	var re readErr
	switch {
	case errors.As(err, &re) && errors.Is(re.err, io.ErrUnexpectedEOF):
		r.stop = "the input ends inside a record (a truncated file or gzip stream)"
	default:
		r.stop = err.Error()
	}
}

func (r *reader) result() Result {
	var notes []string
	if r.stop != "" && r.kind != None {
		notes = append(notes, fmt.Sprintf("not read past line %d: %s", r.stopLine, r.stop))
	}
	if r.bad > 0 {
		notes = append(notes, fmt.Sprintf("%d record(s) could not be read, the first at line %d", r.bad, r.firstBad))
	}
	errs := r.errs
	if r.bad > int64(len(r.errs)) {
		errs = append(errs, inventory.InputError{Input: r.opts.Input,
			Message: fmt.Sprintf("audit log: %d more record(s) could not be read (the first %d are listed)", r.bad-int64(len(r.errs)), len(r.errs))})
	}
	if r.stop != "" && r.kind != None {
		errs = append(errs, inventory.InputError{Input: r.opts.Input, Line: r.stopLine,
			Message: "audit log not read to its end: " + r.stop + "; the detections do not pass on it"})
	}
	return Result{Input: r.tally.Input(notes...), Errors: errs}
}

// emit hands the decoded event to the observer and counts it.
func (r *reader) emit(line int) {
	ev := &r.ev
	ev.Input, ev.Line = r.opts.Input, line
	r.tally.Event(ev)
	if r.opts.Observer != nil {
		r.opts.Observer.Observe(ev)
	}
}

// readJSON reads the JSON kinds: line by line when the first line is a
// whole record (JSON lines, PT1H.json), else value by value.
func (r *reader) readJSON(br *bufio.Reader) {
	var next func() ([]byte, int, error)
	if oneRecordPerLine(br) {
		lr := &lineReader{br: br, max: r.opts.MaxRecordBytes}
		next = lr.next
	} else {
		vr := &valueReader{br: br, max: r.opts.MaxRecordBytes, line: 1}
		next = vr.next
	}
	for {
		rec, line, err := next()
		if err == io.EOF {
			return
		}
		if err != nil {
			if fatal(err) {
				r.end(line, err)
				return
			}
			r.fail(line, err)
			continue
		}
		r.record(rec, line, true)
	}
}

// oneRecordPerLine reports whether the first line of the input is a whole
// JSON object (or as long as the buffer: a long JSON line).
func oneRecordPerLine(br *bufio.Reader) bool {
	head, _ := br.Peek(br.Size())
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) == 0 || head[0] != '{' {
		return false
	}
	line, _, found := bytes.Cut(head, []byte("\n"))
	if !found {
		return true
	}
	return json.Valid(line)
}

// record decodes one record of the input's kind and emits its events.
// nested is false for the records of an Event Hub body or the items of an
// EventList, which hold no further level.
func (r *reader) record(rec []byte, line int, top bool) {
	rec = bytes.TrimPrefix(rec, []byte("\xef\xbb\xbf"))
	if len(rec) == 0 || rec[0] != '{' {
		r.fail(line, errors.New("not a JSON object: every record of an audit log is one"))
		return
	}
	ev := &r.ev
	switch r.kind {
	case Events:
		ev.ClusterID, ev.Category = "", ""
		items, err := r.dec.Decode(rec, ev)
		if err != nil {
			r.fail(line, err)
			return
		}
		if items == nil {
			r.emit(line)
			return
		}
		if !top {
			r.fail(line, errors.New("an EventList inside an EventList"))
			return
		}
		for _, it := range items {
			r.record(it, line, false)
		}
	case Archive, EventHub:
		r.rec = rawRecord{}
		if err := json.Unmarshal(rec, &r.rec); err != nil {
			r.fail(line, jsonError(err))
			return
		}
		if r.rec.Records != nil {
			if !top {
				r.fail(line, errors.New("records inside a record"))
				return
			}
			for _, it := range r.rec.Records {
				r.record(it, line, false)
			}
			return
		}
		r.diagnosticRecord(line)
	case AKSAuditJSON, AzureDiagnosticsJSON:
		clear(r.row.cells)
		if r.row.cells == nil {
			r.row.cells = map[string]json.RawMessage{}
		}
		if err := json.Unmarshal(rec, &r.row.cells); err != nil {
			r.fail(line, jsonError(err))
			return
		}
		r.row.names()
		r.tableRow(&r.row, line)
	}
}

// tableRow maps a row of a Log Analytics export.
func (r *reader) tableRow(row Row, line int) {
	switch r.kind {
	case AKSAuditJSON, AKSAuditCSV:
		if err := FromAKSAuditRow(row, &r.ev); err != nil {
			r.fail(line, err)
			return
		}
	default:
		audit, err := FromAzureDiagnosticsRow(row, &r.dec, &r.ev)
		if !audit {
			r.tally.Skip()
			return
		}
		if err != nil {
			r.fail(line, err)
			return
		}
	}
	r.emit(line)
}

// rawRecord is a diagnostic-setting record (storage archive, Event Hub),
// or an Event Hub body holding them.
type rawRecord struct {
	Records    []json.RawMessage `json:"records"`
	Category   string            `json:"category"`
	ResourceID string            `json:"resourceId"`
	Time       string            `json:"time"`
	Properties struct {
		Log json.RawMessage `json:"log"`
	} `json:"properties"`
}

// diagnosticRecord maps the decoded record r.rec.
func (r *reader) diagnosticRecord(line int) {
	rec := &r.rec
	if rec.Category != CategoryAudit && rec.Category != CategoryAuditAdmin {
		r.tally.Skip()
		return
	}
	log := []byte(rec.Properties.Log)
	if len(log) > 0 && log[0] == '"' {
		var s string
		if err := json.Unmarshal(log, &s); err != nil {
			r.fail(line, fmt.Errorf("properties.log: %w", jsonError(err)))
			return
		}
		log = []byte(s)
	}
	if len(bytes.TrimSpace(log)) == 0 {
		r.fail(line, fmt.Errorf("a %s record without properties.log (the event)", rec.Category))
		return
	}
	ev := &r.ev
	ev.ClusterID, ev.Category = rec.ResourceID, rec.Category
	items, err := r.dec.Decode(log, ev)
	if err == nil && items != nil {
		err = errors.New("an EventList, not one event")
	}
	if err != nil {
		r.fail(line, fmt.Errorf("properties.log: %w", err))
		return
	}
	if ev.Received.IsZero() && ev.StageTime.IsZero() {
		if ev.StageTime, err = parseTime(rec.Time, "time"); err != nil {
			r.fail(line, err)
			return
		}
	}
	r.emit(line)
}

// jsonRow is a row of a JSON export: cells as raw JSON, by column name
// (a key the portal wrote with its unit, "TimeGenerated [UTC]", is found
// under the column's name).
type jsonRow struct {
	cells map[string]json.RawMessage
	alias map[string]string
}

// names records the keys of a row that carry a unit.
func (m *jsonRow) names() {
	for k := range m.cells {
		if n := columnName(k); n != k {
			if m.alias == nil {
				m.alias = map[string]string{}
			}
			m.alias[n] = k
		}
	}
}

// Cell implements Row: a JSON string cell is its text, an object or array
// cell its JSON.
func (m *jsonRow) Cell(c string) (string, bool) {
	raw, ok := m.cells[c]
	if !ok && m.alias != nil {
		raw, ok = m.cells[m.alias[c]]
	}
	if !ok || len(raw) == 0 || string(raw) == "null" {
		return "", false
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	}
	return string(raw), true
}
