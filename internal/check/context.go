package check

import (
	"net/netip"
	"sync"
	"time"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/k8sversion"
)

// Settings are the thresholds and lists controls read. Defaults come from
// DefaultSettings; the configuration file (and flags) override them.
type Settings struct {
	// AuthorizedRangeMaxPrefix: an authorized IP range wider than /N fails
	// AKS-ACC-002 (default 16).
	AuthorizedRangeMaxPrefix int
	// CredentialExpiryWindow: a service-principal secret expiring within
	// this window fails AKS-IDN-003 (default 30 days).
	CredentialExpiryWindow time.Duration
	// NodeImageMaxAge: without an upgrade profile, a node image older than
	// this fails AKS-UPG-007 (default 30 days).
	NodeImageMaxAge time.Duration
	// RebootWait: a node waiting longer than this for a reboot fails
	// AKS-UPG-008 (default 24 h).
	RebootWait time.Duration
	// CertificateMaxAge: a cluster CA older than this fails AKS-IDN-006
	// (default 365 days).
	CertificateMaxAge time.Duration
	// TrustedRegistries: registries images may come from (AKS-IMG-001).
	TrustedRegistries []string
	// RequireDigest: AKS-IMG-002 fails images without a digest.
	RequireDigest bool
	// AllowedHostPaths pass AKS-WKL-008 when mounted read-only.
	AllowedHostPaths []string
	// AllowedPublicLoadBalancers (namespace/name, globs) pass AKS-NET-005.
	AllowedPublicLoadBalancers []string
	// AuditBurstCount and AuditBurstWindow: an identity with at least
	// AuditBurstCount forbidden (403) responses within AuditBurstWindow
	// fails AKS-AUD-008 (defaults 20 in 5 minutes).
	AuditBurstCount  int
	AuditBurstWindow time.Duration
	// AuditAllow lists the identities and source addresses whose events the
	// audit controls do not report (each control counts them in its
	// evidence).
	AuditAllow []AuditAllow
	// VersionData replaces the embedded AKS version and CVE dataset
	// (--version-data FILE); nil uses the embedded one.
	VersionData *k8sversion.Dataset
}

// AuditAllow is one allow-list entry of the audit controls: an event
// matches when its user matches one of Users (when set) and one of its
// source IPs is in one of SourceIPs (when set).
type AuditAllow struct {
	// Controls are the control IDs the entry applies to; empty: every audit
	// control.
	Controls []string
	// Users are user names, globs allowed (system:serviceaccount:ci:*).
	Users []string
	// SourceIPs are addresses (as /32 or /128) and CIDR prefixes.
	SourceIPs []netip.Prefix
	// Where is the entry's place in the configuration (file:line).
	Where string
}

// DefaultSettings returns the catalog's defaults.
func DefaultSettings() Settings {
	return Settings{
		AuthorizedRangeMaxPrefix: 16,
		CredentialExpiryWindow:   30 * 24 * time.Hour,
		NodeImageMaxAge:          30 * 24 * time.Hour,
		RebootWait:               24 * time.Hour,
		CertificateMaxAge:        365 * 24 * time.Hour,
		AuditBurstCount:          20,
		AuditBurstWindow:         5 * time.Minute,
	}
}

// Context is what a control may read.
type Context struct {
	Inv      *inventory.Inventory
	Settings Settings
	// Now is "today"; injectable so tests are deterministic.
	Now time.Time
	// PassesCounted is set when the evaluation only counts pass results
	// (engine Options.CountPassed: no report lists them), so a control may
	// leave their message and evidence out (kit.KubeOut.Counted): at
	// 50,000 objects those were a fifth of what the controls allocated.
	PassesCounted bool

	memoMu sync.Mutex
	memo   map[any]*memoEntry
}

// memoEntry is one memoised value, computed by the first caller of its key.
type memoEntry struct {
	once sync.Once
	v    any
}

// Memo returns the value computed by f for key, computing it once per
// evaluation: derived views that several controls read (a workload's
// effective container settings, the RBAC index) are built once instead of
// once per control. Controls run concurrently: the first caller of a key
// computes its value while later callers of that key wait for it, and
// callers of other keys proceed, so f may itself call Memo with other keys
// (never with its own, which would wait for itself). The value is shared
// by every control and must not be modified. Keys must be comparable and
// unique to their kind of value (use a pointer to the object plus an
// unexported key type).
func (c *Context) Memo(key any, f func() any) any {
	c.memoMu.Lock()
	if c.memo == nil {
		c.memo = map[any]*memoEntry{}
	}
	e := c.memo[key]
	if e == nil {
		e = &memoEntry{}
		c.memo[key] = e
	}
	c.memoMu.Unlock()
	e.once.Do(func() { e.v = f() })
	return e.v
}

// AuditState is what the observer of the audit control id accumulated from
// the scan's audit events (Control.Audit), or nil when the scan read no
// audit log or did not run that control's observer.
func (c *Context) AuditState(id string) inventory.AuditObserver {
	if c.Inv == nil || c.Inv.Audit == nil {
		return nil
	}
	return c.Inv.Audit.States[id]
}
