package cli

import (
	"fmt"
	"os"

	"github.com/aksguard/aksguard/internal/report"
	"github.com/aksguard/aksguard/internal/scan"
)

// readReport reads an aksguard JSON report back (--baseline, the arguments
// of diff) within the per-input cap (--max-input-mb) and the read-back cap.
// Its errors name the file, the line and what to do.
func readReport(path string, maxBytes int64) (*report.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: a directory: give the JSON report aksguard scan -o json wrote", path)
	}
	return report.ReadJSON(f, path, maxBytes)
}

// baseline reads --baseline, if given.
func (f *scanFlags) baseline() (*scan.Baseline, error) {
	if f.baselineFile == "" {
		return nil, nil
	}
	rep, err := readReport(f.baselineFile, f.maxInputMB<<20)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	return &scan.Baseline{File: f.baselineFile, Report: rep}, nil
}
