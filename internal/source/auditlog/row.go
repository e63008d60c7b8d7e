package auditlog

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
)

// Row is one row of a Log Analytics table (AKSAudit, AKSAuditAdmin,
// AzureDiagnostics): a cell's text by column name, as the JSON export, the
// portal's CSV export and the query API give it. Dynamic columns (User,
// ObjectRef, …) are JSON text; ok is false for a column the row does not
// have or a null cell.
type Row interface {
	Cell(column string) (text string, ok bool)
}

// MapRow is a Row held as a map (the query API's rows, tests).
type MapRow map[string]string

// Cell implements Row.
func (m MapRow) Cell(c string) (string, bool) {
	s, ok := m[c]
	return s, ok
}

// Log Analytics table names (the Type column) and the diagnostic category
// each holds.
const (
	TableAKSAudit      = "AKSAudit"
	TableAKSAuditAdmin = "AKSAuditAdmin"
	CategoryAudit      = "kube-audit"
	CategoryAuditAdmin = "kube-audit-admin"
	// CategoryUnknown is the category of AKSAudit-form rows that do not
	// say their table (an export without the Type column): the detections
	// that need get and list events cannot count on them.
	CategoryUnknown = "unknown (the export has no Type column: AKSAudit or AKSAuditAdmin?)"
)

// FromAKSAuditRow maps one row of the resource-specific tables AKSAudit and
// AKSAuditAdmin (columns as Azure Monitor's table reference names them)
// into ev, keeping ev's Input and Line. The error names the column, never
// its content. The Log Analytics live reader maps the query API's rows
// through it, as the file reader does the exports.
func FromAKSAuditRow(row Row, ev *inventory.AuditEvent) error {
	str := func(c string) string {
		s, _ := row.Cell(c)
		return s
	}
	ev.AuditID, ev.Stage, ev.Level, ev.Verb = str("AuditId"), str("Stage"), str("Level"), str("Verb")
	ev.RequestURI, ev.UserAgent = str("RequestUri"), str("UserAgent")
	if ev.Verb == "" || ev.Stage == "" {
		return fmt.Errorf("no Verb or Stage: not a row of AKSAudit or AKSAuditAdmin (export every column, or at least AuditId, Stage, Verb, User, SourceIps, ObjectRef, ResponseStatus, RequestUri, UserAgent, the times, _ResourceId and Type)")
	}
	switch str("Type") {
	case TableAKSAudit:
		ev.Category = CategoryAudit
	case TableAKSAuditAdmin:
		ev.Category = CategoryAuditAdmin
	case "":
		ev.Category = CategoryUnknown
	default:
		return fmt.Errorf("the Type column names another table than AKSAudit or AKSAuditAdmin")
	}
	ev.ClusterID = str("_ResourceId")
	var u rawUser
	if err := dynamic(row, "User", &u); err != nil {
		return err
	}
	ev.User = u.user()
	ev.Impersonated = nil
	ev.SourceIPs = nil
	if err := dynamic(row, "SourceIps", &ev.SourceIPs); err != nil {
		return err
	}
	ev.Object = inventory.AuditObjectRef{}
	if err := dynamic(row, "ObjectRef", &ev.Object); err != nil {
		return err
	}
	var st struct {
		Code int `json:"code"`
	}
	if err := dynamic(row, "ResponseStatus", &st); err != nil {
		return err
	}
	ev.Code = st.Code
	ev.Annotations = nil
	if err := dynamic(row, "Annotations", &ev.Annotations); err != nil {
		return err
	}
	ev.RequestObject = nil
	if s, ok := row.Cell("RequestObject"); ok && s != "" {
		if json.Valid([]byte(s)) {
			ev.RequestObject = []byte(s)
		} else {
			// A plain string cell ("skipped-too-big-size-object"): keep it
			// a JSON string.
			ev.RequestObject, _ = json.Marshal(s)
		}
	}
	var err error
	if ev.Received, err = parseTime(str("RequestReceivedTime"), "RequestReceivedTime"); err != nil {
		return err
	}
	if ev.StageTime, err = parseTime(str("StageReceivedTime"), "StageReceivedTime"); err != nil {
		return err
	}
	if ev.Received.IsZero() && ev.StageTime.IsZero() {
		if ev.StageTime, err = parseTime(str("TimeGenerated"), "TimeGenerated"); err != nil {
			return err
		}
	}
	return nil
}

// dynamic decodes a dynamic column (JSON text) into v; an absent, null or
// empty cell leaves v as it is.
func dynamic(row Row, column string, v any) error {
	s, ok := row.Cell(column)
	if !ok || s == "" || s == "null" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("column %s is not the JSON %s: %v", column, kindOf(v), jsonError(err))
	}
	return nil
}

func kindOf(v any) string {
	switch v.(type) {
	case *[]string:
		return "array of strings the table reference gives it"
	}
	return "object the table reference gives it"
}

// FromAzureDiagnosticsRow maps one AzureDiagnostics row of category
// kube-audit or kube-audit-admin (the event JSON in log_s) into ev.
// audit is false for a row of another category (to be counted as
// skipped).
func FromAzureDiagnosticsRow(row Row, d *EventDecoder, ev *inventory.AuditEvent) (audit bool, err error) {
	cat, _ := row.Cell("Category")
	if cat != CategoryAudit && cat != CategoryAuditAdmin {
		return false, nil
	}
	ev.Category = cat
	ev.ClusterID, _ = row.Cell("ResourceId")
	if id, ok := row.Cell("_ResourceId"); ok && id != "" {
		ev.ClusterID = id
	}
	log, ok := row.Cell("log_s")
	if !ok || strings.TrimSpace(log) == "" {
		return true, fmt.Errorf("a %s row without log_s (the event): export the log_s column", cat)
	}
	list, err := d.Decode([]byte(log), ev)
	if err != nil {
		return true, fmt.Errorf("log_s: %w", err)
	}
	if list != nil {
		return true, fmt.Errorf("log_s holds an EventList, not one event")
	}
	return true, nil
}
