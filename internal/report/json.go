package report

import (
	"encoding/json"
	"io"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// WriteJSON writes the documented JSON contract (docs/json-report.md).
func WriteJSON(w io.Writer, r *Report) error {
	out := *r
	out.Results = r.Visible()
	if out.Results == nil {
		out.Results = []check.Result{}
	}
	if out.Errors == nil {
		out.Errors = []inventory.InputError{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
