package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks"
)

func TestParseFull(t *testing.T) {
	c, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedRegistries) != 2 || !c.RequireDigest || !c.Strict || c.ExcludedNamespaces[0] != "sandbox" {
		t.Errorf("%+v", c)
	}
	if got := c.Severities()["AKS-NOD-001"]; got != check.Medium {
		t.Errorf("severity override (case-insensitive id) = %v", got)
	}
	if !c.DisabledSet()["AKS-ACC-008"] {
		t.Error("disabled")
	}
	if c.Waivers[0].Line != 21 || c.Waivers[1].Line != 25 {
		t.Errorf("waiver lines %d %d", c.Waivers[0].Line, c.Waivers[1].Line)
	}
	if want := time.Date(2027, 3, 31, 23, 59, 59, 999999999, time.UTC); !c.Waivers[0].ExpiresAt().Equal(want) {
		t.Errorf("expiry %v", c.Waivers[0].ExpiresAt())
	}
	s := check.DefaultSettings()
	c.Apply(&s)
	if s.AuthorizedRangeMaxPrefix != 24 || s.NodeImageMaxAge != 14*24*time.Hour || s.RebootWait != 12*time.Hour ||
		s.CertificateMaxAge != 180*24*time.Hour || s.CredentialExpiryWindow != 60*24*time.Hour ||
		len(s.AllowedHostPaths) != 1 || len(s.AllowedPublicLoadBalancers) != 1 || !s.RequireDigest {
		t.Errorf("settings %+v", s)
	}
}

func TestValidationErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "trustedRegistry: [x]\n", "file.yaml:1: unknown key \"trustedRegistry\""},
		{"unknown nested key", "allow:\n  hostPath: [/x]\n", "file.yaml:2: unknown key \"hostPath\""},
		{"bad yaml", "waivers: [\n", "file.yaml:"},
		{"wrong type", "strict: maybe\n", "file.yaml:1:"},
		{"unknown control", "disabled: [AKS-NOPE-001]\n", "no control \"AKS-NOPE-001\""},
		{"bad severity", "severity:\n  AKS-ACC-001: severe\n", "is not critical, high, medium or low"},
		{"waiver no reason", "waivers:\n  - control: AKS-ACC-001\n    expires: 2027-01-01\n", "file.yaml:2: waiver for AKS-ACC-001 has no reason"},
		{"waiver bad date", "waivers:\n  - control: AKS-ACC-001\n    reason: r\n    expires: 31/12/2027\n", "file.yaml:2: waiver for AKS-ACC-001: expires \"31/12/2027\" is not a date"},
		{"waiver no expiry", "waivers:\n  - control: AKS-ACC-001\n    reason: r\n", "has no expiry"},
		{"waiver unknown control", "waivers:\n  - control: AKS-XYZ-1\n    reason: r\n    expires: 2027-01-01\n", "waiver names no control"},
		{"waiver bad glob", "waivers:\n  - control: AKS-ACC-001\n    resource: \"Deployment/[\"\n    reason: r\n    expires: 2027-01-01\n", "resource pattern"},
		{"negative threshold", "thresholds:\n  rebootWaitHours: -1\n", "must not be negative"},
		{"negative audit burst", "thresholds:\n  auditForbiddenBurst: -3\n", "thresholds.auditForbiddenBurst: -3 must not be negative"},
		{"audit allow without users or IPs", "allow:\n  audit:\n    - controls: [AKS-AUD-002]\n", "file.yaml:3: allow.audit entry without users or sourceIPs"},
		{"audit allow bad address", "allow:\n  audit:\n    - sourceIPs: [203.0.113.300/24]\n", "file.yaml:3: allow.audit: source \"203.0.113.300/24\" is not an IP address or CIDR range"},
		{"audit allow not an audit control", "allow:\n  audit:\n    - users: [bob]\n      controls: [AKS-ACC-001]\n", "file.yaml:3: allow.audit: AKS-ACC-001 is not an audit-log control"},
		{"audit allow unknown control", "allow:\n  audit:\n    - users: [bob]\n      controls: [AKS-AUD-099]\n", "no control \"AKS-AUD-099\""},
		{"audit allow bad glob", "allow:\n  audit:\n    - users: [\"[\"]\n", "user pattern \"[\" is not a valid glob"},
		{"audit allow unknown key", "allow:\n  audit:\n    - user: [bob]\n", "file.yaml:3: unknown key \"user\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "file.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestAuditSettings: the AKS-AUD-008 thresholds and the audit allow-list
// reach check.Settings, addresses as prefixes, controls by their ID.
func TestAuditSettings(t *testing.T) {
	c, err := Parse([]byte(`thresholds:
  auditForbiddenBurst: 50
  auditForbiddenWindowSeconds: 60
allow:
  audit:
    - users: ["system:serviceaccount:ci:*"]
      sourceIPs: [203.0.113.0/24, 198.51.100.7, "2001:db8::/32"]
      controls: [aks-aud-002]
`), "a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := check.DefaultSettings()
	c.Apply(&s)
	if s.AuditBurstCount != 50 || s.AuditBurstWindow != time.Minute {
		t.Errorf("burst %d in %s", s.AuditBurstCount, s.AuditBurstWindow)
	}
	if len(s.AuditAllow) != 1 {
		t.Fatalf("allow %+v", s.AuditAllow)
	}
	a := s.AuditAllow[0]
	if a.Controls[0] != "AKS-AUD-002" || a.Where != "a.yaml:6" || len(a.SourceIPs) != 3 || a.SourceIPs[1].String() != "198.51.100.7/32" {
		t.Errorf("allow %+v", a)
	}
	d := check.DefaultSettings()
	(&Config{}).Apply(&d)
	if d.AuditBurstCount != 20 || d.AuditBurstWindow != 5*time.Minute {
		t.Errorf("defaults changed: %d in %s", d.AuditBurstCount, d.AuditBurstWindow)
	}
}

func TestStarterParses(t *testing.T) {
	c, err := Parse([]byte(Starter), FileName)
	if err != nil {
		t.Fatalf("the starter configuration does not parse: %v", err)
	}
	if c.Strict || len(c.Waivers) != 0 {
		t.Errorf("starter must change nothing: %+v", c)
	}
	// Every commented example line must also be valid once uncommented.
	var lines []string
	for _, l := range strings.Split(Starter, "\n") {
		if strings.HasPrefix(l, "#  ") || strings.HasPrefix(l, "  #  ") {
			l = strings.Replace(l, "#", "", 1)
		}
		lines = append(lines, l)
	}
	uncommented := strings.Join(lines, "\n")
	for _, empty := range []string{"trustedRegistries: []", "severity: {}", "disabled: []", "hostPaths: []", "publicLoadBalancers: []", "audit: []", "waivers: []"} {
		uncommented = strings.Replace(uncommented, empty, strings.TrimSuffix(strings.TrimSuffix(empty, "[]"), "{}"), 1)
	}
	c, err = Parse([]byte(uncommented), "uncommented")
	if err != nil {
		t.Fatalf("the starter's examples do not parse when uncommented: %v\n%s", err, uncommented)
	}
	if len(c.Waivers) != 1 || c.Severities()["AKS-NOD-001"] != check.Medium || len(c.Allow.Audit) != 1 {
		t.Errorf("uncommented starter: %+v", c)
	}
}

func TestWaiverMatch(t *testing.T) {
	c, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lab := check.Resource{Kind: "ManagedCluster", Name: "aks-lab-03"}
	ne := check.Resource{Kind: "DaemonSet", Namespace: "aks-lab-03", Name: "node-exporter"}
	pool := check.Resource{Kind: "AgentPool", Name: "aks-prod/system"}
	tests := []struct {
		w       int
		control string
		r       check.Resource
		want    bool
	}{
		{0, "AKS-DSH-001", lab, true},
		{0, "AKS-DSH-002", lab, false},
		{0, "AKS-DSH-001", ne, false},
		{0, "AKS-DSH-001", check.Resource{Kind: "ManagedCluster", Name: "aks-prod"}, false},
		{1, "AKS-NOD-003", pool, true},
		{1, "AKS-NOD-003", check.Resource{Kind: "AgentPool", Name: "aks-prod/user"}, false},
		{1, "AKS-ACC-001", pool, false},
	}
	for _, tt := range tests {
		if got := c.Waivers[tt.w].Match(tt.control, tt.r); got != tt.want {
			t.Errorf("waiver %d on %s %s = %v", tt.w, tt.control, ResourcePath(tt.r), got)
		}
	}
}

func TestFindAndEmpty(t *testing.T) {
	dir := t.TempDir()
	if c, err := Find(dir); c != nil || err != nil {
		t.Fatalf("no file: %v %v", c, err)
	}
	if err := os.WriteFile(dir+"/"+FileName, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if c, err := Find(dir); c == nil || err != nil {
		t.Fatalf("empty file: %v %v", c, err)
	}
}

func FuzzParse(f *testing.F) {
	data, _ := os.ReadFile("testdata/full.yaml")
	f.Add(data)
	f.Add([]byte(Starter))
	f.Add([]byte("waivers:\n  - {control: '*', reason: x, expires: 2027-01-01}\n"))
	f.Add([]byte("allow:\n  audit:\n    - {users: ['ci:*'], sourceIPs: [203.0.113.0/24, '::1'], controls: [AKS-AUD-002]}\nthresholds: {auditForbiddenBurst: 5, auditForbiddenWindowSeconds: 60}\n"))
	// Deep nesting, flow and block, and an alias bomb: the parser and
	// checkBounds must end them with an error, not a crash.
	f.Add([]byte("trustedRegistries: " + strings.Repeat("[", 12000) + strings.Repeat("]", 12000)))
	f.Add([]byte("thresholds: " + strings.Repeat("{a: ", 100) + "1" + strings.Repeat("}", 100)))
	f.Add([]byte(strings.Repeat("- ", 100) + "x\n"))
	f.Add([]byte("a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\ntrustedRegistries: [*c, *c, *c, *c]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.yaml")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, w := range c.Waivers {
			if w.Reason == "" || w.ExpiresAt().IsZero() {
				t.Fatalf("accepted an invalid waiver: %+v", w)
			}
			w.Match("AKS-ACC-001", check.Resource{Kind: "ManagedCluster", Name: "x"})
		}
	})
}

// TestLoadBounds: a configuration that is not a regular file, too large,
// too deep or expanding through aliases is an error naming the file (and
// line), read in bounded memory, never a hang.
func TestLoadBounds(t *testing.T) {
	deepFlow := "trustedRegistries: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"
	var deepBlock strings.Builder
	deepBlock.WriteString("thresholds:\n")
	for i := 1; i <= 100; i++ {
		deepBlock.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	bomb := "x: &a \"" + strings.Repeat("y", 64<<10) + "\"\ntrustedRegistries: [" + strings.Repeat("*a, ", 200) + "*a]\n"
	for _, tc := range []struct {
		name string
		make func(t *testing.T, p string)
		want string
	}{
		{name: "symlink to /dev/zero", make: func(t *testing.T, p string) { must(t, os.Symlink("/dev/zero", p)) }, want: "not a regular file (a device)"},
		{name: "FIFO", make: func(t *testing.T, p string) { must(t, syscall.Mkfifo(p, 0o644)) }, want: "not a regular file (a named pipe)"},
		{name: "too large", make: writeFile(strings.Repeat("# padding\n", MaxFileBytes/10+1)), want: "larger than 1024 KiB"},
		{name: "deep flow nesting", make: writeFile(deepFlow), want: ":1: nests more than 64 levels deep"},
		{name: "deep block nesting", make: writeFile(deepBlock.String()), want: "nests more than 64 levels deep"},
		{name: "alias expansion", make: writeFile(bomb), want: "expands to more than 8 MiB"},
		{name: "within the bounds", make: writeFile("trustedRegistries: [myacr.azurecr.io]\n"), want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), FileName)
			tc.make(t, p)
			_, err := Load(p)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error: %v", err)
			case tc.want == "":
			case err == nil:
				t.Fatalf("no error, want %q", tc.want)
			case !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), tc.want):
				t.Fatalf("error %q, want the file and %q", err, tc.want)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func writeFile(text string) func(*testing.T, string) {
	return func(t *testing.T, p string) { must(t, os.WriteFile(p, []byte(text), 0o644)) }
}
