package auditlog

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/inventory"
)

// rawEvent is an audit.k8s.io/v1 Event in the fields the audit controls
// read: responseObject and the rest are skipped by the decoder, never held.
type rawEvent struct {
	Kind             string                    `json:"kind"`
	APIVersion       string                    `json:"apiVersion"`
	Level            string                    `json:"level"`
	AuditID          string                    `json:"auditID"`
	Stage            string                    `json:"stage"`
	RequestURI       string                    `json:"requestURI"`
	Verb             string                    `json:"verb"`
	User             rawUser                   `json:"user"`
	ImpersonatedUser *rawUser                  `json:"impersonatedUser"`
	SourceIPs        []string                  `json:"sourceIPs"`
	UserAgent        string                    `json:"userAgent"`
	ObjectRef        *inventory.AuditObjectRef `json:"objectRef"`
	ResponseStatus   *struct {
		Code int `json:"code"`
	} `json:"responseStatus"`
	RequestObject json.RawMessage `json:"requestObject"`
	Received      string          `json:"requestReceivedTimestamp"`
	StageTime     string          `json:"stageTimestamp"`
	// receivedT and stageT are the times the fast path parsed (then
	// Received and StageTime stay empty).
	receivedT, stageT time.Time
	Annotations       map[string]string `json:"annotations"`
	// Items are the events of an EventList.
	Items []json.RawMessage `json:"items"`
}

type rawUser struct {
	Username string              `json:"username"`
	UID      string              `json:"uid"`
	Groups   []string            `json:"groups"`
	Extra    map[string][]string `json:"extra"`
}

func (u *rawUser) user() inventory.AuditUser {
	return inventory.AuditUser{Username: u.Username, UID: u.UID, Groups: u.Groups, Extra: u.Extra}
}

// EventDecoder decodes audit.k8s.io Events (JSON) into a reused
// AuditEvent; its zero value is ready.
type EventDecoder struct {
	raw    rawEvent
	imp    inventory.AuditUser
	intern interner
}

// errNotEvent is a JSON object that is not an audit event.
var errNotEvent = errors.New("not an audit.k8s.io Event (no auditID, verb or stage): give the kube-apiserver audit log (--audit-log-path) or an export of the AKS audit logs")

// Decode reads one Event (the JSON of one line, a log_s cell, a
// properties.log) into ev; it keeps ev's Input, Line, ClusterID and
// Category. An EventList gives its items through list.
func (d *EventDecoder) Decode(data []byte, ev *inventory.AuditEvent) (list []json.RawMessage, err error) {
	// The slices and maps of the last event are reused (observers copy
	// what they keep: inventory.AuditEvent).
	ips, groups, req := d.raw.SourceIPs[:0], d.raw.User.Groups[:0], d.raw.RequestObject[:0]
	ann, extra := d.raw.Annotations, d.raw.User.Extra
	clear(ann)
	clear(extra)
	d.raw = rawEvent{SourceIPs: ips, User: rawUser{Groups: groups, Extra: extra}, RequestObject: req, Annotations: ann}
	if fastDecode(data, &d.raw, &d.intern) != nil {
		// encoding/json is the reference: it reads what the fast path
		// leaves to it, and words the errors.
		clear(ann)
		clear(extra)
		d.raw = rawEvent{SourceIPs: ips, User: rawUser{Groups: groups, Extra: extra}, RequestObject: req, Annotations: ann}
		if err := json.Unmarshal(data, &d.raw); err != nil {
			return nil, jsonError(err)
		}
	}
	r := &d.raw
	if r.Kind == "EventList" {
		return r.Items, nil
	}
	if r.Kind != "" && r.Kind != "Event" || r.APIVersion != "" && !strings.HasPrefix(r.APIVersion, "audit.k8s.io/") {
		return nil, errNotEvent
	}
	if r.AuditID == "" || r.Verb == "" || r.Stage == "" {
		return nil, errNotEvent
	}
	ev.AuditID, ev.Stage, ev.Level, ev.Verb, ev.RequestURI = r.AuditID, r.Stage, r.Level, r.Verb, r.RequestURI
	ev.User = r.User.user()
	ev.Impersonated = nil
	if r.ImpersonatedUser != nil {
		d.imp = r.ImpersonatedUser.user()
		ev.Impersonated = &d.imp
	}
	ev.SourceIPs, ev.UserAgent = r.SourceIPs, r.UserAgent
	ev.Object = inventory.AuditObjectRef{}
	if r.ObjectRef != nil {
		ev.Object = *r.ObjectRef
	}
	ev.Code = 0
	if r.ResponseStatus != nil {
		ev.Code = r.ResponseStatus.Code
	}
	ev.Annotations = r.Annotations
	if len(ev.Annotations) == 0 {
		ev.Annotations = nil
	}
	if len(ev.User.Extra) == 0 {
		ev.User.Extra = nil
	}
	ev.RequestObject = nil
	if len(r.RequestObject) > 0 && string(r.RequestObject) != "null" {
		ev.RequestObject = r.RequestObject
	}
	ev.Received, ev.StageTime = r.receivedT, r.stageT
	if ev.Received.IsZero() {
		if ev.Received, err = parseTime(r.Received, "requestReceivedTimestamp"); err != nil {
			return nil, err
		}
	}
	if ev.StageTime.IsZero() {
		if ev.StageTime, err = parseTime(r.StageTime, "stageTimestamp"); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// timeLayouts are the forms audit times take: RFC 3339 (the apiserver,
// JSON exports, archives) and the Log Analytics portal's CSV export.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"1/2/2006, 3:04:05.999999999 PM",
	"1/2/2006 3:04:05.999999999 PM",
}

// parseTime reads a time named field; empty is the zero time. The value is
// never quoted in the error (it is log content).
func parseTime(s, field string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%s is not a time aksguard reads (RFC 3339, or the portal's M/D/YYYY, h:mm:ss.fff AM/PM)", field)
}

// jsonError describes a decoding error without quoting the input: the
// standard library's messages quote a character of it.
func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("invalid JSON at byte %d of the record (a record cut short, or not JSON)", se.Offset)
	case errors.As(err, &te):
		// Only the first element of the path: the rest may be a key of
		// the input (an annotation, user.extra).
		field, _, _ := strings.Cut(te.Field, ".")
		if field == "" {
			field = "the record"
		}
		return fmt.Errorf("%s is a JSON %s, not what an audit event holds there", field, te.Value)
	}
	return errors.New("invalid JSON (a record cut short, or not JSON)")
}
