// Package config reads and validates .aksguard.yaml: trusted registries,
// severity overrides, disabled controls, excluded namespaces, allow-lists,
// thresholds and waivers. Every error names the file and line and says what
// to change; unknown keys are errors, so a typo never silently disables a
// setting.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/aksguard/aksguard/internal/check"
)

// FileName is the configuration file looked up in the working directory.
const FileName = ".aksguard.yaml"

// Config is the parsed configuration.
type Config struct {
	File string `yaml:"-"`

	// TrustedRegistries for AKS-IMG-001 (host names, optionally with a path
	// prefix; "*.azurecr.io" globs allowed).
	TrustedRegistries []string `yaml:"trustedRegistries"`
	// RequireDigest makes AKS-IMG-002 fail images without a digest.
	RequireDigest bool `yaml:"requireDigest"`
	// Severity overrides a control's severity.
	Severity map[string]string `yaml:"severity"`
	// Disabled controls are not run.
	Disabled []string `yaml:"disabled"`
	// ExcludedNamespaces are left out of Kubernetes findings (counted as excluded).
	ExcludedNamespaces []string `yaml:"excludedNamespaces"`
	// IncludeSystem re-includes AKS-managed and system objects.
	IncludeSystem bool       `yaml:"includeSystem"`
	Allow         Allow      `yaml:"allow"`
	Thresholds    Thresholds `yaml:"thresholds"`
	Waivers       []Waiver   `yaml:"waivers"`
	// Strict ignores aksguard.io/waive annotations on objects: only this
	// file can waive.
	Strict bool `yaml:"strict"`
}

// Allow lists exceptions that are part of a control's definition.
type Allow struct {
	// HostPaths mounted read-only pass AKS-WKL-008.
	HostPaths []string `yaml:"hostPaths"`
	// PublicLoadBalancers (namespace/name, globs) pass AKS-NET-005.
	PublicLoadBalancers []string `yaml:"publicLoadBalancers"`
	// Audit lists the identities and source addresses the audit-log
	// controls do not report.
	Audit []AuditAllow `yaml:"audit"`
}

// AuditAllow is one audit allow-list entry: events whose user matches one
// of Users (when set) and whose source IPs include one in SourceIPs (when
// set) are not reported by Controls (every audit control when empty); each
// control counts them in its evidence.
type AuditAllow struct {
	Users     []string `yaml:"users"`
	SourceIPs []string `yaml:"sourceIPs"`
	Controls  []string `yaml:"controls"`

	Line     int            `yaml:"-"`
	prefixes []netip.Prefix `yaml:"-"`
}

// Thresholds tune controls; zero means the default.
type Thresholds struct {
	AuthorizedRangePrefix int `yaml:"authorizedRangePrefix"`
	NodeImageMaxAgeDays   int `yaml:"nodeImageMaxAgeDays"`
	RebootWaitHours       int `yaml:"rebootWaitHours"`
	CertificateMaxAgeDays int `yaml:"certificateMaxAgeDays"`
	CredentialExpiryDays  int `yaml:"credentialExpiryDays"`
	// AuditForbiddenBurst and AuditForbiddenWindowSeconds: AKS-AUD-008
	// fails an identity with at least this many 403 responses within the
	// window.
	AuditForbiddenBurst         int `yaml:"auditForbiddenBurst"`
	AuditForbiddenWindowSeconds int `yaml:"auditForbiddenWindowSeconds"`
}

// Waiver accepts a control's finding on matching resources until it expires.
type Waiver struct {
	// Control ID; globs allowed (AKS-WKL-*).
	Control string `yaml:"control"`
	// Resource pattern "Kind/namespace/name" or "Kind/name" (cluster-scoped
	// and Azure resources; pools are AgentPool/cluster/pool); each segment
	// may be a glob; empty matches every resource.
	Resource string `yaml:"resource"`
	Reason   string `yaml:"reason"`
	// Expires is a date (YYYY-MM-DD); the waiver applies through that day.
	Expires string `yaml:"expires"`

	Line    int       `yaml:"-"`
	expires time.Time `yaml:"-"`
}

// ExpiresAt returns the end of the expiry day (UTC), zero when none is set.
func (w Waiver) ExpiresAt() time.Time { return w.expires }

// Error is a configuration problem at a line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Errors is every problem found in one file.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Bounds of a configuration file, which may come from the repository being
// scanned (a pull request can change .aksguard.yaml): a real one is a few
// kilobytes, a few levels deep.
const (
	// MaxFileBytes is the largest configuration file read.
	MaxFileBytes = 1 << 20
	// MaxDepth is the deepest nesting of mappings and sequences accepted.
	MaxDepth = 64
	// MaxExpandedBytes bounds the text a file expands to with its YAML
	// aliases resolved (an alias repeats its anchor's whole value).
	MaxExpandedBytes = 8 << 20
)

// Load reads a configuration file: a regular file of at most MaxFileBytes
// (a symlink to /dev/zero, a FIFO or a huge file is an error, not a hang).
func Load(file string) (*Config, error) {
	// Stat before opening: opening a FIFO blocks until a writer comes.
	st, err := os.Stat(file)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, Errors{{File: file, Msg: "not a regular file (" + fileKind(st.Mode()) + "): not read; give a configuration file"}}
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, Errors{{File: file, Msg: fmt.Sprintf("larger than %d KiB: not read (a configuration file is a few kilobytes)", MaxFileBytes>>10)}}
	}
	return Parse(data, file)
}

// Find returns the configuration in dir (FileName), or nil when there is none.
func Find(dir string) (*Config, error) {
	p := FileName
	if dir != "" {
		p = dir + string(os.PathSeparator) + FileName
	}
	if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return Load(p)
}

// Parse decodes and validates configuration text.
func Parse(data []byte, file string) (*Config, error) {
	c := &Config{File: file}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if err.Error() == "EOF" {
			return c, nil // an empty file is an empty configuration
		}
		return nil, Errors{yamlError(file, err)}
	}
	if e := checkBounds(&root, file); e != nil {
		return nil, Errors{e}
	}
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(c); err != nil {
		return nil, Errors{yamlError(file, err)}
	}
	c.File = file
	waiverLines(&root, c)
	auditAllowLines(&root, c)
	if errs := c.validate(); len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// fileKind names a file mode that is not a regular file.
func fileKind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&(os.ModeDevice|os.ModeCharDevice) != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	}
	return "not a regular file"
}

// checkBounds rejects a node tree nested deeper than MaxDepth or expanding
// (aliases resolved) to more than MaxExpandedBytes of text, before the
// strict decoding that would expand it.
func checkBounds(root *yaml.Node, file string) *Error {
	sizes := map[*yaml.Node]int64{}
	var fail *Error
	var walk func(n *yaml.Node, depth int) int64
	walk = func(n *yaml.Node, depth int) int64 {
		if fail != nil || n == nil {
			return 0
		}
		if depth > MaxDepth {
			fail = &Error{File: file, Line: n.Line, Msg: fmt.Sprintf("nests more than %d levels deep: not read (a configuration is a few levels deep)", MaxDepth)}
			return 0
		}
		if n.Kind == yaml.AliasNode {
			size, seen := sizes[n.Alias]
			if !seen {
				sizes[n.Alias] = 0 // an alias inside its own anchor adds nothing
				size = walk(n.Alias, depth)
				sizes[n.Alias] = size
			}
			return size
		}
		size := int64(len(n.Value)) + 1
		for _, c := range n.Content {
			size += walk(c, depth+1)
			if size > MaxExpandedBytes && fail == nil {
				fail = &Error{File: file, Line: n.Line, Msg: fmt.Sprintf("expands to more than %d MiB with its aliases resolved: not read", MaxExpandedBytes>>20)}
			}
		}
		return size
	}
	walk(root, 0)
	return fail
}

// yamlError turns a yaml error ("yaml: line 3: field x not found in type
// config.Config") into a file:line error with advice.
func yamlError(file string, err error) *Error {
	msg := err.Error()
	line := 0
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if strings.HasPrefix(msg, "line ") {
		rest := msg[len("line "):]
		if i := strings.IndexByte(rest, ':'); i > 0 {
			fmt.Sscanf(rest[:i], "%d", &line)
			msg = strings.TrimSpace(rest[i+1:])
		}
	}
	if strings.Contains(msg, "not found in type") {
		field := msg
		if i := strings.Index(msg, "field "); i >= 0 {
			field = msg[i+len("field "):]
			if j := strings.Index(field, " not found"); j >= 0 {
				field = field[:j]
			}
		}
		msg = fmt.Sprintf("unknown key %q (see `aksguard init` for the valid keys)", field)
	}
	return &Error{File: file, Line: line, Msg: msg}
}

// waiverLines records each waiver's line from the YAML node tree.
func waiverLines(root *yaml.Node, c *Config) {
	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == "waivers" && doc.Content[i+1].Kind == yaml.SequenceNode {
			for j, item := range doc.Content[i+1].Content {
				if j < len(c.Waivers) {
					c.Waivers[j].Line = item.Line
				}
			}
		}
	}
}

// auditAllowLines records each audit allow-list entry's line.
func auditAllowLines(root *yaml.Node, c *Config) {
	allow := mappingValue(mappingValue(root, ""), "allow")
	audit := mappingValue(allow, "audit")
	if audit == nil || audit.Kind != yaml.SequenceNode {
		return
	}
	for j, item := range audit.Content {
		if j < len(c.Allow.Audit) {
			c.Allow.Audit[j].Line = item.Line
		}
	}
}

// mappingValue returns the value of key in a mapping node (the document's
// root mapping when key is ""), nil when absent.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if key == "" {
		return n
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// validateAuditAllow checks the audit allow-list: entries name audit
// controls, users are valid globs, sourceIPs are addresses or CIDR ranges,
// and every entry restricts something (an empty entry would allow all).
func (c *Config) validateAuditAllow(bad func(int, string, ...any)) {
	for i := range c.Allow.Audit {
		a := &c.Allow.Audit[i]
		if len(a.Users) == 0 && len(a.SourceIPs) == 0 {
			bad(a.Line, "allow.audit entry without users or sourceIPs would allow every event: name the users (globs) or source addresses it allows")
		}
		for j, id := range a.Controls {
			ctl, ok := check.Lookup(id)
			switch {
			case !ok:
				bad(a.Line, "allow.audit: no control %q (aksguard checks lists them)", id)
			case ctl.Audit == nil:
				bad(a.Line, "allow.audit: %s is not an audit-log control (AKS-AUD-*)", ctl.ID)
			default:
				a.Controls[j] = ctl.ID
			}
		}
		for _, u := range a.Users {
			if _, err := path.Match(u, ""); err != nil || strings.TrimSpace(u) == "" {
				bad(a.Line, "allow.audit: user pattern %q is not a valid glob", u)
			}
		}
		for _, s := range a.SourceIPs {
			s = strings.TrimSpace(s)
			if p, err := netip.ParsePrefix(s); err == nil {
				a.prefixes = append(a.prefixes, p.Masked())
				continue
			}
			ip, err := netip.ParseAddr(s)
			if err != nil {
				bad(a.Line, "allow.audit: source %q is not an IP address or CIDR range (203.0.113.7, 203.0.113.0/24)", s)
				continue
			}
			ip = ip.Unmap()
			a.prefixes = append(a.prefixes, netip.PrefixFrom(ip, ip.BitLen()))
		}
	}
}

func (c *Config) validate() Errors {
	var errs Errors
	bad := func(line int, format string, a ...any) {
		errs = append(errs, &Error{File: c.File, Line: line, Msg: fmt.Sprintf(format, a...)})
	}
	for id, sev := range c.Severity {
		if _, ok := check.Lookup(id); !ok {
			bad(0, "severity: no control %q (aksguard checks lists them)", id)
		}
		if _, err := check.ParseSeverity(sev); err != nil || strings.EqualFold(sev, "none") {
			bad(0, "severity of %s: %q is not critical, high, medium or low", id, sev)
		}
	}
	for _, id := range c.Disabled {
		if _, ok := check.Lookup(id); !ok {
			bad(0, "disabled: no control %q (aksguard checks lists them)", id)
		}
	}
	if p := c.Thresholds.AuthorizedRangePrefix; p < 0 || p > 32 {
		bad(0, "thresholds.authorizedRangePrefix: %d is not a prefix length between 0 and 32", p)
	}
	for _, v := range []struct {
		name string
		val  int
	}{{"nodeImageMaxAgeDays", c.Thresholds.NodeImageMaxAgeDays}, {"rebootWaitHours", c.Thresholds.RebootWaitHours},
		{"certificateMaxAgeDays", c.Thresholds.CertificateMaxAgeDays}, {"credentialExpiryDays", c.Thresholds.CredentialExpiryDays},
		{"auditForbiddenBurst", c.Thresholds.AuditForbiddenBurst}, {"auditForbiddenWindowSeconds", c.Thresholds.AuditForbiddenWindowSeconds}} {
		if v.val < 0 {
			bad(0, "thresholds.%s: %d must not be negative", v.name, v.val)
		}
	}
	c.validateAuditAllow(bad)
	for i := range c.Waivers {
		w := &c.Waivers[i]
		switch {
		case w.Control == "":
			bad(w.Line, "waiver without a control: set control: AKS-...")
		case !hasGlob(w.Control):
			if ctl, ok := check.Lookup(w.Control); !ok {
				bad(w.Line, "waiver names no control %q (aksguard checks lists them)", w.Control)
			} else {
				w.Control = ctl.ID
			}
		default:
			if _, err := path.Match(w.Control, ""); err != nil {
				bad(w.Line, "waiver control pattern %q: %v", w.Control, err)
			}
		}
		if strings.TrimSpace(w.Reason) == "" {
			bad(w.Line, "waiver for %s has no reason: say why the finding is accepted (reason: ...)", w.Control)
		}
		if w.Resource != "" {
			if _, err := path.Match(w.Resource, ""); err != nil {
				bad(w.Line, "waiver resource pattern %q: %v", w.Resource, err)
			}
		}
		if w.Expires == "" {
			bad(w.Line, "waiver for %s has no expiry: set expires: YYYY-MM-DD (waivers must end)", w.Control)
			continue
		}
		t, err := time.Parse("2006-01-02", w.Expires)
		if err != nil {
			bad(w.Line, "waiver for %s: expires %q is not a date like 2027-03-31", w.Control, w.Expires)
			continue
		}
		w.expires = t.Add(24*time.Hour - time.Nanosecond)
	}
	return errs
}

func hasGlob(s string) bool { return strings.ContainsAny(s, "*?[") }

// Apply sets the thresholds and lists of the configuration on settings.
func (c *Config) Apply(s *check.Settings) {
	if c == nil {
		return
	}
	t := c.Thresholds
	if t.AuthorizedRangePrefix > 0 {
		s.AuthorizedRangeMaxPrefix = t.AuthorizedRangePrefix
	}
	if t.NodeImageMaxAgeDays > 0 {
		s.NodeImageMaxAge = time.Duration(t.NodeImageMaxAgeDays) * 24 * time.Hour
	}
	if t.RebootWaitHours > 0 {
		s.RebootWait = time.Duration(t.RebootWaitHours) * time.Hour
	}
	if t.CertificateMaxAgeDays > 0 {
		s.CertificateMaxAge = time.Duration(t.CertificateMaxAgeDays) * 24 * time.Hour
	}
	if t.CredentialExpiryDays > 0 {
		s.CredentialExpiryWindow = time.Duration(t.CredentialExpiryDays) * 24 * time.Hour
	}
	s.TrustedRegistries = append(s.TrustedRegistries, c.TrustedRegistries...)
	s.RequireDigest = s.RequireDigest || c.RequireDigest
	s.AllowedHostPaths = append(s.AllowedHostPaths, c.Allow.HostPaths...)
	s.AllowedPublicLoadBalancers = append(s.AllowedPublicLoadBalancers, c.Allow.PublicLoadBalancers...)
	if t.AuditForbiddenBurst > 0 {
		s.AuditBurstCount = t.AuditForbiddenBurst
	}
	if t.AuditForbiddenWindowSeconds > 0 {
		s.AuditBurstWindow = time.Duration(t.AuditForbiddenWindowSeconds) * time.Second
	}
	for _, a := range c.Allow.Audit {
		s.AuditAllow = append(s.AuditAllow, check.AuditAllow{Controls: a.Controls, Users: a.Users, SourceIPs: a.prefixes,
			Where: fmt.Sprintf("%s:%d", c.File, a.Line)})
	}
}

// Severities returns the overrides by control ID.
func (c *Config) Severities() map[string]check.Severity {
	out := map[string]check.Severity{}
	if c == nil {
		return out
	}
	for id, sev := range c.Severity {
		ctl, _ := check.Lookup(id)
		s, _ := check.ParseSeverity(sev)
		out[ctl.ID] = s
	}
	return out
}

// DisabledSet returns the disabled control IDs.
func (c *Config) DisabledSet() map[string]bool {
	out := map[string]bool{}
	if c == nil {
		return out
	}
	for _, id := range c.Disabled {
		ctl, _ := check.Lookup(id)
		out[ctl.ID] = true
	}
	return out
}

// ResourcePath is how waivers name a resource: Kind/namespace/name, or
// Kind/name without a namespace.
func ResourcePath(r check.Resource) string {
	if r.Namespace != "" {
		return r.Kind + "/" + r.Namespace + "/" + r.Name
	}
	return r.Kind + "/" + r.Name
}

// Match reports whether the waiver covers a result's control and resource.
func (w Waiver) Match(control string, r check.Resource) bool {
	if !w.MatchControl(control) {
		return false
	}
	if w.Resource == "" {
		return true
	}
	ok, _ := path.Match(w.Resource, ResourcePath(r))
	return ok
}

// MatchControl reports whether the waiver's control (or pattern) covers a
// control ID.
func (w Waiver) MatchControl(control string) bool {
	ok, _ := path.Match(w.Control, control)
	return ok || w.Control == control
}
