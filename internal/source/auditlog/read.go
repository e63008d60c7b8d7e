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
	"sort"

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

// maxListedErrors is how many bad records are listed one by one; the
// others are counted in one more error.
const maxListedErrors = 5

// maxClusterIDs bounds the cluster IDs one input lists.
const maxClusterIDs = 64

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
	r := &reader{opts: opts, kind: k, cats: map[string]bool{}, clusters: map[string]bool{}}
	r.in = inventory.AuditInput{Input: opts.Input, Form: k.Form()}
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
	in       inventory.AuditInput
	cats     map[string]bool
	clusters map[string]bool
	moreIDs  bool
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
	in := r.in
	for c := range r.cats {
		in.Categories = append(in.Categories, c)
	}
	sort.Strings(in.Categories)
	for c := range r.clusters {
		in.ClusterIDs = append(in.ClusterIDs, c)
	}
	sort.Strings(in.ClusterIDs)
	var notes []string
	if r.stop != "" {
		notes = append(notes, fmt.Sprintf("not read past line %d: %s", r.stopLine, r.stop))
	}
	if r.bad > 0 {
		notes = append(notes, fmt.Sprintf("%d record(s) could not be read, the first at line %d", r.bad, r.firstBad))
	}
	if r.moreIDs {
		notes = append(notes, fmt.Sprintf("events of more than %d clusters: only the first are listed", maxClusterIDs))
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
	if len(notes) > 0 && r.kind != None {
		in.Incomplete = joinNotes(notes)
	}
	return Result{Input: in, Errors: errs}
}

func joinNotes(n []string) string {
	var b bytes.Buffer
	for i, s := range n {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(s)
	}
	return b.String()
}

// emit hands the decoded event to the observer and counts it.
func (r *reader) emit(line int) {
	ev := &r.ev
	ev.Input, ev.Line = r.opts.Input, line
	if r.in.Events == 0 {
		r.in.Line = line
	}
	r.in.Events++
	if ev.Category != "" {
		r.cats[ev.Category] = true
	}
	if ev.ClusterID != "" && !r.clusters[ev.ClusterID] {
		if len(r.clusters) < maxClusterIDs {
			r.clusters[ev.ClusterID] = true
		} else {
			r.moreIDs = true
		}
	}
	first, last := ev.Received, ev.StageTime
	if first.IsZero() {
		first = last
	}
	if last.IsZero() {
		last = first
	}
	if !first.IsZero() && (r.in.First.IsZero() || first.Before(r.in.First)) {
		r.in.First = first
	}
	if !last.IsZero() && last.After(r.in.Last) {
		r.in.Last = last
	}
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
		clear(r.row)
		if r.row == nil {
			r.row = jsonRow{}
		}
		if err := json.Unmarshal(rec, (*map[string]json.RawMessage)(&r.row)); err != nil {
			r.fail(line, jsonError(err))
			return
		}
		r.tableRow(r.row, line)
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
			r.in.Skipped++
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
		r.in.Skipped++
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

// jsonRow is a row of a JSON export: cells as raw JSON.
type jsonRow map[string]json.RawMessage

// Cell implements Row: a JSON string cell is its text, an object or array
// cell its JSON.
func (m jsonRow) Cell(c string) (string, bool) {
	raw, ok := m[c]
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
