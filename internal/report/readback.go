package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
)

// Reading a JSON report back (a --baseline, the two sides of aksguard diff).
// Only aksguard's own JSON report is accepted: a top-level object whose tool
// is aksguard, with a summary and a results array of results whose control,
// status, severity and resource are what the writer writes. Fields this
// version does not know are skipped (the contract only ever adds fields);
// anything else is a ReadError naming the file, the line and what to do.

// MaxReadBackBytes caps a report read back: the caller's cap (--max-input-mb)
// applies when smaller. Each result of a report is at least ~100 bytes, so
// this bounds the results held too.
const MaxReadBackBytes = 256 << 20

// maxReadBackResults caps the results of a report read back: a result
// takes several times its JSON's size once decoded, and the smallest ones
// are ~70 bytes. A variable so tests can lower it.
var maxReadBackResults = 2_000_000

// ReadError is a report that could not be read back.
type ReadError struct {
	File    string
	Line    int // 0: unknown, or the whole file
	Message string
}

func (e *ReadError) Error() string {
	return inputLabel(e.File, e.Line) + ": " + e.Message
}

const readBackHint = "give a report written by aksguard scan -o json"

// ReadJSON reads an aksguard JSON report of at most limit bytes (0 or more
// than MaxReadBackBytes: MaxReadBackBytes) from r; name is the file it came
// from, for errors.
func ReadJSON(r io.Reader, name string, limit int64) (*Report, error) {
	if limit <= 0 || limit > MaxReadBackBytes {
		limit = MaxReadBackBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &ReadError{File: name, Message: "cannot read it: " + err.Error()}
	}
	if int64(len(data)) > limit {
		return nil, &ReadError{File: name, Message: fmt.Sprintf("larger than %d MiB, the most a report is read back (--max-input-mb, at most %d): %s without --include-passed, or compare fewer inputs",
			limit>>20, MaxReadBackBytes>>20, readBackHint)}
	}
	return decodeReport(data, name)
}

func decodeReport(data []byte, name string) (*Report, error) {
	fail := func(off int64, msg string) error {
		return &ReadError{File: name, Line: lineAt(data, off), Message: msg}
	}
	decodeErr := func(off int64, what string, err error) error {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return fail(int64(len(data)), "the JSON ends early: the report is cut off ("+readBackHint+")")
		}
		return fail(off, "invalid "+what+": "+err.Error()+" ("+readBackHint+")")
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, decodeErr(0, "JSON", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fail(0, "not an aksguard JSON report (not a JSON object): "+readBackHint)
	}
	rep := &Report{}
	seen := map[string]bool{}
	sarif := false
	for dec.More() {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil, decodeErr(off, "JSON", err)
		}
		key, _ := tok.(string)
		if seen[key] {
			return nil, fail(off, "the key "+strconv.Quote(key)+" appears twice: not a report aksguard wrote ("+readBackHint+")")
		}
		seen[key] = true
		off = dec.InputOffset()
		switch key {
		case "tool":
			err = dec.Decode(&rep.Tool)
		case "generatedAt":
			err = dec.Decode(&rep.GeneratedAt)
		case "summary":
			err = dec.Decode(&rep.Summary)
		case "results":
			rep.Results, err = decodeResults(dec, data, name)
			var re *ReadError
			if errors.As(err, &re) {
				return nil, err
			}
		case "errors":
			err = dec.Decode(&rep.Errors)
		case "warnings":
			err = dec.Decode(&rep.Warnings)
		case "$schema", "runs":
			sarif = true
			fallthrough
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return nil, decodeErr(off, strconv.Quote(key), err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, decodeErr(dec.InputOffset(), "JSON", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail(dec.InputOffset(), "more data after the report's object: "+readBackHint)
	}
	switch {
	case sarif && !seen["results"]:
		return nil, fail(0, "a SARIF log, not an aksguard JSON report: "+readBackHint)
	case rep.Tool.Name != "aksguard":
		return nil, fail(0, "not an aksguard JSON report (its tool.name is "+strconv.Quote(rep.Tool.Name)+"): "+readBackHint)
	case !seen["results"] || !seen["summary"]:
		var missing []string
		for _, k := range []string{"summary", "results"} {
			if !seen[k] {
				missing = append(missing, k)
			}
		}
		return nil, fail(0, "not an aksguard JSON report this version reads (no "+strings.Join(missing, " or ")+"): "+readBackHint)
	}
	return rep, nil
}

// decodeResults reads the results array one result at a time, checking each
// is a result aksguard writes.
func decodeResults(dec *json.Decoder, data []byte, name string) ([]check.Result, error) {
	off := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, &ReadError{File: name, Line: lineAt(data, off), Message: "results is not an array: " + readBackHint}
	}
	var out []check.Result
	for dec.More() {
		off := dec.InputOffset()
		if len(out) == maxReadBackResults {
			return nil, &ReadError{File: name, Line: lineAt(data, off), Message: "more than " + strconv.Itoa(maxReadBackResults) + " results, the most a report read back holds: " + readBackHint + " without --include-passed, or compare fewer inputs"}
		}
		var res check.Result
		if err := dec.Decode(&res); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, err
			}
			return nil, &ReadError{File: name, Line: lineAt(data, off), Message: "result " + strconv.Itoa(len(out)+1) + " is not a result aksguard writes: " + err.Error() + " (" + readBackHint + ")"}
		}
		if msg := invalidResult(res); msg != "" {
			return nil, &ReadError{File: name, Line: lineAt(data, off), Message: "result " + strconv.Itoa(len(out)+1) + ": " + msg + " (" + readBackHint + ")"}
		}
		out = append(out, res)
	}
	_, err = dec.Token()
	return out, err
}

// invalidResult says what a decoded result lacks to be one aksguard wrote.
func invalidResult(res check.Result) string {
	switch res.Status {
	case check.Pass, check.Fail, check.NotApplicable, check.NotAssessed, check.Waived:
	default:
		return "unknown status " + strconv.Quote(string(res.Status))
	}
	switch {
	case res.Control == "":
		return "no control"
	case res.Resource.Kind == "" && res.Resource.Name == "" && res.Resource.ID == "":
		return "no resource"
	}
	return ""
}

// lineAt is the 1-based line of the value at or after a byte offset (the
// decoder's offsets point before the separators).
func lineAt(data []byte, off int64) int {
	if off <= 0 {
		return 0
	}
	off = min(off, int64(len(data)))
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
		off++
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}
