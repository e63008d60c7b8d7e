package loganalytics

import (
	"encoding/json"
	"strconv"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"
)

// tableRow is one row of the query API's answer as an auditlog.Row: a
// cell's text by column name. The API gives dynamic columns as JSON text;
// a cell that arrives as a JSON object or array is given back as its JSON.
type tableRow struct {
	cols map[string]int
	row  azquery.Row
}

func columnIndex(t *azquery.Table) map[string]int {
	m := make(map[string]int, len(t.Columns))
	for i, c := range t.Columns {
		if c != nil && c.Name != nil {
			m[*c.Name] = i
		}
	}
	return m
}

// Cell implements auditlog.Row.
func (r tableRow) Cell(column string) (string, bool) {
	i, ok := r.cols[column]
	if !ok || i >= len(r.row) {
		return "", false
	}
	switch v := r.row[i].(type) {
	case nil:
		return "", false
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return "", false
		}
		return string(b), true
	}
}
