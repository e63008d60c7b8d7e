package cli

import (
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/aksguard/aksguard/internal/report"
)

// writeTable writes the table report laid out for where it goes: a
// terminal's width; else, unless the report goes to a regular file, the
// width COLUMNS names; else the fixed layout (no wrapping), which files,
// pipes and CI logs get the same whatever the terminal was.
func writeTable(w io.Writer, r *report.Report, color bool) error {
	return report.WriteTableWith(w, r, report.TableOptions{Width: tableWidth(w, os.Getenv("COLUMNS")), Color: color})
}

// tableWidth is the width to lay the table out at for w; 0 is the fixed
// layout.
func tableWidth(w io.Writer, columns string) int {
	if f, ok := w.(*os.File); ok {
		if term.IsTerminal(int(f.Fd())) {
			if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 0 {
				return width
			}
		} else if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			return 0
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(columns)); err == nil && n > 0 {
		return n
	}
	return 0
}
