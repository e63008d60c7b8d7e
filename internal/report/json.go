package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// WriteJSON writes the documented JSON contract (docs/json-report.md). It
// streams the results one by one (each written without reflection,
// appendResultJSON), so a report of hundreds of thousands of results is
// never held in memory as one document.
func WriteJSON(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	// field writes `  "name": value` with value indented under the key.
	value := func(v any, prefix string) error {
		buf.Reset()
		enc.SetIndent(prefix, "  ")
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return err
	}
	field := func(name string, v any, last bool) error {
		bw.WriteString(`  "` + name + `": `)
		if err := value(v, "  "); err != nil {
			return err
		}
		if last {
			_, err := bw.WriteString("\n")
			return err
		}
		_, err := bw.WriteString(",\n")
		return err
	}

	bw.WriteString("{\n")
	if err := field("tool", r.Tool, false); err != nil {
		return err
	}
	if err := field("generatedAt", r.GeneratedAt, false); err != nil {
		return err
	}
	if err := field("summary", r.Summary, false); err != nil {
		return err
	}
	if len(r.Clusters) > 0 {
		if err := field("clusters", r.Clusters, false); err != nil {
			return err
		}
	}
	if r.Framework != nil {
		if err := field("framework", r.Framework, false); err != nil {
			return err
		}
	}
	bw.WriteString(`  "results": [`)
	n := 0
	var rb []byte
	for i := range r.Results {
		res := &r.Results[i]
		if !r.IncludePassed && (res.Status == check.Pass || res.Status == check.NotApplicable) {
			continue
		}
		if n > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		rb = appendResultJSON(rb[:0], res, "    ")
		if _, err := bw.Write(rb); err != nil {
			return err
		}
		n++
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n")
	if r.Baseline != nil {
		if err := field("baseline", r.Baseline, false); err != nil {
			return err
		}
	}
	errs := r.Errors
	if errs == nil {
		errs = []inventory.InputError{}
	}
	if err := field("errors", errs, len(r.Warnings) == 0); err != nil {
		return err
	}
	if len(r.Warnings) > 0 {
		if err := field("warnings", r.Warnings, true); err != nil {
			return err
		}
	}
	bw.WriteString("}\n")
	return bw.Flush()
}
