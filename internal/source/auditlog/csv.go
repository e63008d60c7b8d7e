package auditlog

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// csvRow is a row of a CSV export, by the header's column names.
type csvRow struct {
	index  map[string]int
	fields []string
}

// Cell implements Row.
func (c *csvRow) Cell(col string) (string, bool) {
	i, ok := c.index[col]
	if !ok || i >= len(c.fields) || c.fields[i] == "" {
		return "", false
	}
	return c.fields[i], true
}

// recordCap fails a read once the bytes read since the start of the
// current CSV record pass the record cap (encoding/csv would otherwise
// hold a field of any length).
type recordCap struct {
	r     io.Reader
	read  int64
	start int64
	max   int64
}

var errCSVLong = errors.New("csv record too long")

func (c *recordCap) Read(p []byte) (int, error) {
	if c.read-c.start > c.max {
		return 0, errCSVLong
	}
	n, err := c.r.Read(p)
	c.read += int64(n)
	return n, err
}

// readCSV reads a portal CSV export. A row that cannot be parsed as CSV
// ends the input (a CSV reader cannot find the next record after a broken
// quote); a row that is not an audit row is an error of its line.
func (r *reader) readCSV(br *bufio.Reader) {
	capr := &recordCap{r: br, max: int64(r.opts.MaxRecordBytes)}
	cr := csv.NewReader(capr)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = 0
	header, err := cr.Read()
	if err != nil {
		r.end(1, csvError(err, r.opts.MaxRecordBytes))
		return
	}
	lastLine := 1
	row := &csvRow{index: map[string]int{}}
	for i, h := range header {
		row.index[columnName(h)] = i
	}
	for {
		capr.start = cr.InputOffset()
		fields, err := cr.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			line := lastLine + 1
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				r.fail(pe.StartLine, errors.New("a row with another number of columns than the header"))
				continue
			}
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			r.end(line, csvError(err, r.opts.MaxRecordBytes))
			return
		}
		line, _ := cr.FieldPos(0)
		lastLine = line
		row.fields = fields
		r.tableRow(row, line)
	}
}

// csvError describes a CSV error without quoting the input.
func csvError(err error, max int) error {
	var pe *csv.ParseError
	switch {
	case errors.Is(err, errCSVLong):
		return errLong{max}
	case errors.As(err, &pe):
		switch {
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			return fmt.Errorf("CSV: a broken quote at line %d", pe.Line)
		case errors.Is(pe.Err, errCSVLong):
			return errLong{max}
		}
		var re readErr
		if errors.As(pe.Err, &re) {
			return re
		}
		return fmt.Errorf("CSV: unreadable at line %d", pe.Line)
	}
	var re readErr
	if errors.As(err, &re) {
		return re
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return readErr{io.ErrUnexpectedEOF}
	}
	return readErr{err}
}
