package audit

import (
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// What an observer keeps is bounded, whatever the size of the logs: a
// million identical events are one finding with a count.
const (
	// maxGroups bounds the findings (and not-judged groups) of one
	// control; the events of further groups are counted per cluster in one
	// result that says so.
	maxGroups = 10000
	// maxScopes bounds the clusters one control keeps statistics for; the
	// events of further clusters are counted and reported on the input.
	maxScopes = 1024
	// maxKept bounds the distinct values kept per evidence field of a
	// finding (source IPs, user agents, verbs, objects, codes); the rest
	// are counted.
	maxKept = 5
	// maxExamples is the number of example audit IDs kept per finding.
	maxExamples = 3
	// maxText bounds every string a finding keeps (a user agent may be
	// anything).
	maxText = 256
	// maxUserGroups bounds the groups kept of a finding's user.
	maxUserGroups = 20
	// maxBurstTimes bounds the 403 timestamps AKS-AUD-008 keeps over all
	// identities (8 MiB); forbidden responses past it are counted and make
	// a pass not-assessed.
	maxBurstTimes = 1 << 20
)

// hit is what a control's detection found in one event.
type hit struct {
	// what is the finding's subject (part of the group key and of the
	// message): "exec into pods in namespace shop".
	what string
	// object names the object for the evidence: "pods/exec shop/web-0".
	object string
	// unjudged is set on a candidate event the log cannot decide (no
	// request body at the Metadata level): why. Such events are grouped
	// apart and reported not-assessed.
	unjudged string
	// benign is set on an event the control deliberately does not report
	// (anonymous health probes): it is counted in the scope's evidence.
	benign bool
	// neverSystem keeps a finding on a system identity a finding (the
	// local admin certificate is never "system").
	neverSystem bool
	// ip is the source address a finding is about (AKS-AUD-007).
	ip string
	// note is a remark on the finding ("judged by the binding's name").
	note string
}

// readNeed says whether a control needs read (get/list/watch) events,
// which the kube-audit-admin category leaves out.
type readNeed int

const (
	readsNone readNeed = iota // writes only: admin-only logs suffice
	readsAll                  // reads only: not-assessed without reads
	readsPart                 // reads and writes: a pass needs reads
)

// spec is what differs between the audit controls; the observer, the
// grouping and the judgement are shared.
type spec struct {
	id     string
	reads  readNeed
	detect func(ev *inventory.AuditEvent) (hit, bool)
	// authorized: the control judges only requests the authorizer allowed
	// (the rule of authorized, applied by the observer to detect's hits);
	// those that then failed are counted on their finding with their code.
	authorized bool
	// none ends the pass message: "the logs … hold no <none>".
	none string
	// benign describes the events counted as benign (evidence path).
	benign string
	// egress makes the observer keep the addresses the nodes
	// (system:node:* users) connect from (AKS-AUD-007).
	egress bool
	// burst makes the observer keep each finding's event times
	// (AKS-AUD-008).
	burst bool
	// overflowFails: events beyond maxGroups are findings (fail); else
	// they could not be judged (not-assessed).
	overflowFails bool
	// scope judges what the control needs beyond the logs for one scope
	// (AKS-AUD-007: the cluster's authorized ranges): a non-nil result is
	// the scope's only result; keep then filters its findings.
	scope func(ctx *check.Context, sv *scopeView) *check.Result
	// keep decides a finding (nil: every finding fails); false drops it,
	// counted in the evidence under dropped.
	keep    func(ctx *check.Context, sv *scopeView, f *finding) (bool, []check.Evidence)
	dropped string
	fix     string
}

// groupKey identifies a finding.
type groupKey struct {
	scope    string // lower-case cluster ID of the events ("" when none)
	user     string
	what     string
	unjudged string
}

// finding is one group of events.
type finding struct {
	key          groupKey
	clusterID    string
	user         string
	impersonator string
	oid          string
	groups       []string
	system       bool
	note         string
	ip           string
	count        int64
	first, last  time.Time
	ips          kept
	agents       kept
	verbs        kept
	objects      kept
	codes        kept
	// failed counts the events the authorizer allowed that then failed
	// (code 400 or above; spec.authorized), failedCodes their codes.
	failed      int64
	failedCodes kept
	examples    []string
	input       string
	line        int
	times       []int64 // unix nanoseconds, AKS-AUD-008 only
}

// kept is a bounded set of distinct values in first-seen order; more
// counts the events whose value was not among them once the set was full.
type kept struct {
	vals []string
	more int64
}

func (k *kept) add(v string) {
	if v == "" {
		return
	}
	v = clip(v)
	for _, x := range k.vals {
		if x == v {
			return
		}
	}
	if len(k.vals) < maxKept {
		k.vals = append(k.vals, v)
		return
	}
	k.more++
}

func (k kept) String() string {
	s := strings.Join(k.vals, ", ")
	if k.more > 0 {
		s += " (and " + strconv.FormatInt(k.more, 10) + " more events with other values)"
	}
	return s
}

// maxIDText bounds a kept cluster ID (an ARM resource ID is a few hundred
// bytes; the ID is kept whole so that it matches the scan's clusters).
const maxIDText = 2048

// keyOf bounds a string kept in a map key to about max bytes: a longer
// one is its first max bytes and a hash of the whole, so that events with
// the same long value still fall in one group.
func keyOf(v string, max int) string {
	if len(v) <= max {
		return v
	}
	h := fnv.New64a()
	h.Write([]byte(v))
	return strings.Clone(v[:max]) + "…#" + strconv.FormatUint(h.Sum64(), 16)
}

// clip bounds a kept string.
func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	return strings.Clone(s[:maxText]) + "…"
}

// scopeStats is what one control saw of one cluster's events.
type scopeStats struct {
	clusterID string // as first written
	// events counts the events judged (ResponseComplete, Panic, or no
	// stage); stageOnly those of the other stages (RequestReceived,
	// ResponseStarted), which repeat a request the final stage reports.
	events, stageOnly int64
	// reads counts the judged get/list/watch events.
	reads int64
	// allowListed counts the candidate events the allow-list removed;
	// benign those the control does not report on purpose.
	allowListed, benign int64
	// overflow counts the candidate events beyond maxGroups.
	overflow int64
	// burstDropped counts the forbidden responses past maxBurstTimes.
	burstDropped int64
	// egress are the addresses the nodes connect from (at most
	// maxEgress), when spec.egress.
	egress map[string]bool
}

// maxEgress bounds the node addresses kept per cluster.
const maxEgress = 64

// observer is the audit observer of one control.
type observer struct {
	sp            *spec
	allow         allowList
	scopes        map[string]*scopeStats
	scopeOverflow int64
	groups        map[groupKey]*finding
	burstTimes    int
	// last is the scope of the previous event (lastID as written, lastKey
	// folded).
	last            *scopeStats
	lastID, lastKey string
}

// newObserver returns the control's observer factory.
func (sp *spec) observer(s check.Settings) inventory.AuditObserver {
	return &observer{sp: sp, allow: allowListFor(sp.id, s), scopes: map[string]*scopeStats{}, groups: map[groupKey]*finding{}}
}

// scopeOf returns the statistics of the events' cluster and its key (the
// lower-case ID), nil past maxScopes. The events of one log come from one
// cluster: the last one is remembered, so the ID is not folded per event.
func (o *observer) scopeOf(clusterID string) (*scopeStats, string) {
	if o.last != nil && len(clusterID) <= maxIDText && clusterID == o.lastID {
		return o.last, o.lastKey
	}
	key := keyOf(strings.ToLower(clusterID), maxIDText)
	st := o.scopes[key]
	if st == nil {
		if len(o.scopes) >= maxScopes {
			return nil, ""
		}
		key = strings.Clone(key)
		st = &scopeStats{clusterID: keyOf(clusterID, maxIDText)}
		o.scopes[key] = st
	}
	o.last, o.lastID, o.lastKey = st, strings.Clone(keyOf(clusterID, maxIDText)), key
	return st, key
}

// judgedStage reports the stages whose events are judged: the final one of
// a request (or an event without a stage). RequestReceived and
// ResponseStarted events repeat a request the final stage reports.
func judgedStage(stage string) bool {
	return stage == "" || stage == "ResponseComplete" || stage == "Panic"
}

// Observe implements inventory.AuditObserver.
func (o *observer) Observe(ev *inventory.AuditEvent) {
	st, key := o.scopeOf(ev.ClusterID)
	if st == nil {
		o.scopeOverflow++
		return
	}
	if !judgedStage(ev.Stage) {
		st.stageOnly++
		return
	}
	st.events++
	if isReadVerb(ev.Verb) {
		st.reads++
	}
	if o.sp.egress && strings.HasPrefix(ev.User.Username, "system:node:") {
		for _, ip := range ev.SourceIPs {
			if a, ok := publicAddr(ip); ok && len(st.egress) < maxEgress {
				if st.egress == nil {
					st.egress = map[string]bool{}
				}
				st.egress[a.String()] = true
			}
		}
	}
	h, ok := o.sp.detect(ev)
	if !ok {
		return
	}
	failed := 0
	if o.sp.authorized {
		if ok, failed = authorized(ev); !ok {
			return
		}
	}
	if h.benign {
		st.benign++
		return
	}
	if o.allow.match(ev) {
		st.allowListed++
		return
	}
	u := effectiveUser(ev)
	gk := groupKey{scope: key, user: keyOf(u.Username, maxText), what: keyOf(h.what, maxText), unjudged: keyOf(h.unjudged, maxText)}
	f := o.groups[gk]
	if f == nil {
		if len(o.groups) >= maxGroups {
			st.overflow++
			return
		}
		f = &finding{key: gk, clusterID: st.clusterID, user: gk.user, note: clip(h.note), ip: keyOf(h.ip, maxIDText),
			system: !h.neverSystem && isSystemIdentity(u.Username), input: clip(ev.Input), line: ev.Line}
		if u != &ev.User {
			f.impersonator = clip(ev.User.Username)
		}
		for _, g := range u.Groups {
			if len(f.groups) == maxUserGroups {
				break
			}
			f.groups = append(f.groups, clip(g))
		}
		f.oid = clip(entraOID(u))
		o.groups[gk] = f
	}
	f.count++
	t := ev.Received
	if t.IsZero() {
		t = ev.StageTime
	}
	if !t.IsZero() {
		if f.first.IsZero() || t.Before(f.first) {
			f.first = t
		}
		if t.After(f.last) {
			f.last = t
		}
	}
	for _, ip := range ev.SourceIPs {
		f.ips.add(ip)
	}
	f.agents.add(ev.UserAgent)
	f.verbs.add(ev.Verb)
	f.objects.add(h.object)
	if ev.Code > 0 {
		f.codes.add(strconv.Itoa(ev.Code))
	}
	if failed > 0 {
		f.failed++
		f.failedCodes.add(strconv.Itoa(failed))
	}
	if len(f.examples) < maxExamples && ev.AuditID != "" {
		f.examples = append(f.examples, clip(ev.AuditID))
	}
	if o.sp.burst && !t.IsZero() {
		if o.burstTimes >= maxBurstTimes {
			st.burstDropped++
		} else {
			f.times = append(f.times, t.UnixNano())
			o.burstTimes++
		}
	}
}

// entraOID is the Entra ID object ID of a user (user.extra.oid, or the
// claim's long name), "" when absent.
func entraOID(u *inventory.AuditUser) string {
	for _, k := range []string{"oid", "http://schemas.microsoft.com/identity/claims/objectidentifier"} {
		if v := u.Extra[k]; len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// objectName renders an event's object: "pods/exec shop/web-0",
// "clusterrolebindings/admins".
func objectName(ev *inventory.AuditEvent) string {
	r := ev.Object.Resource
	if ev.Object.Subresource != "" {
		r += "/" + ev.Object.Subresource
	}
	if ev.Object.APIGroup != "" {
		r += "." + ev.Object.APIGroup
	}
	switch {
	case ev.Object.Name == "":
		return r + inNamespace(ev.Object.Namespace)
	case ev.Object.Namespace == "":
		return r + " " + ev.Object.Name
	}
	return r + " " + ev.Object.Namespace + "/" + ev.Object.Name
}

// inNamespace renders " in namespace NS" (or "" for cluster-scoped objects).
func inNamespace(ns string) string {
	if ns == "" {
		return ""
	}
	return " in namespace " + ns
}
