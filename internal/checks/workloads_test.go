package checks_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
)

// wklControls are the controls of internal/checks/workloads.go.
var wklControls = []string{
	"AKS-WKL-001", "AKS-WKL-002", "AKS-WKL-003", "AKS-WKL-004", "AKS-WKL-005", "AKS-WKL-006",
	"AKS-WKL-007", "AKS-WKL-008", "AKS-WKL-009", "AKS-WKL-010", "AKS-WKL-012", "AKS-WKL-013",
	"AKS-SEC-001", "AKS-IMG-001", "AKS-IMG-002",
}

// wklLoad reads manifests of testdata/workloads.
func wklLoad(t *testing.T, files ...string) *inventory.Inventory {
	t.Helper()
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = filepath.Join("testdata/workloads", f)
	}
	inv := source.Load(paths, source.Options{})
	if len(inv.Errors) > 0 {
		t.Fatalf("%v: input errors %v", files, inv.Errors)
	}
	if inv.Kube == nil {
		t.Fatalf("%v: no Kubernetes objects read", files)
	}
	return inv
}

// wklRun runs the workload controls with system objects included (so the
// System flag can be asserted) unless opts say otherwise.
func wklRun(inv *inventory.Inventory, mod ...func(*engine.Options)) engine.Outcome {
	only := map[string]bool{}
	for _, id := range wklControls {
		only[id] = true
	}
	opts := engine.Options{Settings: check.DefaultSettings(), Now: today, Only: only, IncludeSystem: true}
	for _, m := range mod {
		m(&opts)
	}
	return engine.Evaluate(inv, opts)
}

func wklRef(r check.Result) string {
	return r.Resource.Kind + "/" + r.Resource.Namespace + "/" + r.Resource.Name
}

// wklResults are the results of one control about one object
// (Kind/namespace/name).
func wklResults(rs []check.Result, control, ref string) []check.Result {
	var out []check.Result
	for _, r := range rs {
		if r.Control == control && wklRef(r) == ref {
			out = append(out, r)
		}
	}
	return out
}

// wklStatus is the object's verdict: its worst result ("" when none).
func wklStatus(rs []check.Result) check.Status {
	rank := map[check.Status]int{check.Pass: 1, check.Waived: 2, check.NotApplicable: 3, check.NotAssessed: 4, check.Fail: 5}
	var st check.Status
	for _, r := range rs {
		if rank[r.Status] > rank[st] {
			st = r.Status
		}
	}
	return st
}

func wklDump(rs []check.Result) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "\n  %s %s: %s", r.Status, wklRef(r), r.Message)
		for _, e := range r.Evidence {
			fmt.Fprintf(&b, "\n      %s = %s", e.Path, e.Value)
		}
	}
	return b.String()
}

type wklCase struct {
	file    string
	control string
	ref     string
	want    check.Status
	msg     string // a substring of one result's message
	evPath  string // a substring of one result's evidence path
	n       int    // number of results, when > 0
	setting func(*check.Settings)
}

var wklCases = []wklCase{
	// Inheritance traps: the hardened Deployment sets runAsNonRoot and
	// seccomp only at pod level; its container is silent and passes.
	{file: "inheritance.yaml", control: "AKS-WKL-001", ref: "Deployment/shop/hardened", want: check.Pass, n: 1},
	{file: "inheritance.yaml", control: "AKS-WKL-002", ref: "Deployment/shop/hardened", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-WKL-003", ref: "Deployment/shop/hardened", want: check.Pass, evPath: "spec.template.spec.securityContext.runAsNonRoot"},
	{file: "inheritance.yaml", control: "AKS-WKL-004", ref: "Deployment/shop/hardened", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-WKL-005", ref: "Deployment/shop/hardened", want: check.Pass, evPath: "spec.template.spec.securityContext.seccompProfile.type"},
	{file: "inheritance.yaml", control: "AKS-WKL-006", ref: "Deployment/shop/hardened", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-WKL-007", ref: "Deployment/shop/hardened", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-WKL-008", ref: "Deployment/shop/hardened", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-WKL-009", ref: "Deployment/shop/hardened", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-WKL-010", ref: "Deployment/shop/hardened", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-WKL-012", ref: "Deployment/shop/hardened", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-WKL-013", ref: "Deployment/shop/hardened", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-SEC-001", ref: "Deployment/shop/hardened", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-IMG-001", ref: "Deployment/shop/hardened", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-IMG-002", ref: "Deployment/shop/hardened", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-WKL-003", ref: "StatefulSet/shop/pod-uid", want: check.Pass, evPath: "spec.template.spec.securityContext.runAsUser"},
	{file: "inheritance.yaml", control: "AKS-WKL-003", ref: "Deployment/shop/override-nonroot", want: check.Fail, msg: "runAsNonRoot is false on the container", evPath: "containers[0].securityContext.runAsNonRoot"},
	{file: "inheritance.yaml", control: "AKS-WKL-005", ref: "Deployment/shop/override-nonroot", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-WKL-005", ref: "Deployment/shop/override-seccomp", want: check.Fail, msg: "overrides the seccomp profile to Unconfined", evPath: "containers[0].securityContext.seccompProfile.type"},
	{file: "inheritance.yaml", control: "AKS-WKL-003", ref: "Deployment/shop/override-seccomp", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-WKL-003", ref: "Deployment/shop/uid-zero", want: check.Fail, msg: "runAsUser is 0; with runAsNonRoot: true"},
	{file: "inheritance.yaml", control: "AKS-WKL-002", ref: "Deployment/shop/bare", want: check.Fail, msg: "not set (true by default)"},
	{file: "inheritance.yaml", control: "AKS-WKL-003", ref: "Deployment/shop/bare", want: check.Fail, msg: "neither runAsNonRoot: true nor a non-zero runAsUser"},
	{file: "inheritance.yaml", control: "AKS-WKL-004", ref: "Deployment/shop/bare", want: check.Fail, msg: "does not drop ALL"},
	{file: "inheritance.yaml", control: "AKS-WKL-005", ref: "Deployment/shop/bare", want: check.Fail, msg: "no seccomp profile"},
	{file: "inheritance.yaml", control: "AKS-WKL-006", ref: "Deployment/shop/bare", want: check.Pass},
	{file: "inheritance.yaml", control: "AKS-WKL-010", ref: "Deployment/shop/bare", want: check.Fail, msg: "writable root filesystem"},
	{file: "inheritance.yaml", control: "AKS-WKL-013", ref: "Deployment/shop/bare", want: check.Fail, msg: "no CPU or memory limits"},

	// All three container lists and CronJob templates.
	{file: "lists.yaml", control: "AKS-WKL-001", ref: "Deployment/shop/web", want: check.Fail, n: 1, msg: "container setup (initContainer) runs privileged", evPath: "spec.template.spec.initContainers[0].securityContext.privileged"},
	{file: "lists.yaml", control: "AKS-WKL-002", ref: "Deployment/shop/web", want: check.Fail, n: 1, msg: "container setup (initContainer) can escalate privileges: privileged: true forces"},
	{file: "lists.yaml", control: "AKS-SEC-001", ref: "Deployment/shop/web", want: check.Fail, n: 1, msg: "container setup (initContainer) has a literal credential in env API-KEY", evPath: "spec.template.spec.initContainers[0].env[0].value"},
	{file: "lists.yaml", control: "AKS-WKL-001", ref: "Pod/shop/debugged", want: check.Fail, n: 1, msg: "container debugger (ephemeralContainer) runs privileged", evPath: "spec.ephemeralContainers[0].securityContext.privileged"},
	{file: "lists.yaml", control: "AKS-WKL-004", ref: "Pod/shop/debugged", want: check.Fail, msg: "container debugger (ephemeralContainer) does not drop ALL capabilities and adds cap_sys_ptrace"},
	{file: "lists.yaml", control: "AKS-IMG-001", ref: "Pod/shop/debugged", want: check.Fail, n: 1, msg: "busybox:1.36 from the untrusted registry docker.io (implied"},
	{file: "lists.yaml", control: "AKS-WKL-013", ref: "Pod/shop/debugged", want: check.Fail, n: 1, msg: "container app has no CPU or memory limits"},
	{file: "lists.yaml", control: "AKS-WKL-001", ref: "CronJob/batch/nightly", want: check.Fail, msg: "container report runs privileged", evPath: "spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged"},
	{file: "lists.yaml", control: "AKS-WKL-002", ref: "CronJob/batch/nightly", want: check.Fail, msg: "privileged: true forces allowPrivilegeEscalation"},
	{file: "lists.yaml", control: "AKS-WKL-007", ref: "CronJob/batch/nightly", want: check.Fail, msg: "shares the node's hostPID", evPath: "spec.jobTemplate.spec.template.spec.hostPID"},
	{file: "lists.yaml", control: "AKS-WKL-001", ref: "CronJob/batch/tidy", want: check.Pass},
	{file: "lists.yaml", control: "AKS-WKL-007", ref: "CronJob/batch/tidy", want: check.Pass},

	// Owned pods are judged through their owner when it is in the input.
	{file: "owned.yaml", control: "AKS-WKL-001", ref: "Deployment/shop/api", want: check.Fail, n: 1},
	{file: "owned.yaml", control: "AKS-WKL-001", ref: "Pod/shop/api-6d4cf56db6-x7k2p", want: ""},
	{file: "owned.yaml", control: "AKS-WKL-012", ref: "Pod/shop/api-6d4cf56db6-x7k2p", want: ""},
	{file: "owned.yaml", control: "AKS-WKL-001", ref: "Pod/shop/orphan-7c9d8-abcde", want: check.Fail},

	// Host namespaces, paths and ports.
	{file: "host.yaml", control: "AKS-WKL-008", ref: "DaemonSet/logging/log-reader", want: check.Pass, evPath: "allow.hostPaths", setting: allowVarLog},
	{file: "host.yaml", control: "AKS-WKL-008", ref: "DaemonSet/logging/log-reader", want: check.Fail, msg: "hostPath volume varlog (/var/log/pods)"},
	{file: "host.yaml", control: "AKS-WKL-008", ref: "DaemonSet/logging/log-writer", want: check.Fail, msg: "mounted writable by container chown (initContainer)", setting: allowVarLog},
	{file: "host.yaml", control: "AKS-WKL-008", ref: "DaemonSet/logging/node-tool", want: check.Fail, msg: "(/etc) is not on the allow-list", setting: allowVarLog},
	{file: "host.yaml", control: "AKS-WKL-007", ref: "DaemonSet/logging/node-tool", want: check.Fail, msg: "shares the node's hostIPC, hostNetwork", n: 1},
	{file: "host.yaml", control: "AKS-WKL-007", ref: "DaemonSet/logging/log-reader", want: check.Pass},
	{file: "host.yaml", control: "AKS-WKL-009", ref: "DaemonSet/logging/node-tool", want: check.Fail, msg: "binds host port 9100", evPath: "containers[0].ports[0].hostPort"},
	{file: "host.yaml", control: "AKS-WKL-009", ref: "DaemonSet/logging/log-reader", want: check.Pass},

	// Namespaces.
	{file: "namespaces.yaml", control: "AKS-WKL-012", ref: "Deployment/default/explicit-default", want: check.Fail, msg: "is in the default namespace"},
	{file: "namespaces.yaml", control: "AKS-WKL-012", ref: "Deployment/default/no-namespace", want: check.Fail, msg: inventory.NamespaceUnset, evPath: "metadata.namespace"},
	{file: "namespaces.yaml", control: "AKS-WKL-012", ref: "Deployment/shop/own-namespace", want: check.Pass},

	// Secrets in env and ConfigMaps.
	{file: "secrets.yaml", control: "AKS-SEC-001", ref: "Deployment/shop/leaky", want: check.Fail, n: 2, msg: "container app has a literal credential in env DB_PASSWORD, storageAccessKey"},
	{file: "secrets.yaml", control: "AKS-SEC-001", ref: "Deployment/shop/tidy", want: check.Pass},
	{file: "secrets.yaml", control: "AKS-SEC-001", ref: "ConfigMap/shop/app-config", want: check.Fail, msg: "literal credential in key db.connection-string", evPath: "data[db.connection-string]"},
	{file: "secrets.yaml", control: "AKS-SEC-001", ref: "ConfigMap/shop/clean-config", want: check.Pass},
	{file: "secrets.yaml", control: "AKS-SEC-001", ref: "Deployment/shop/shell-dirs", want: check.Fail, n: 1, msg: "literal credential in env PWD, OLDPWD"},
	// Secrets recognised by value, whatever the name (issue #8).
	{file: "secretvalues.yaml", control: "AKS-SEC-001", ref: "Deployment/shop/formats", want: check.Fail, n: 2, msg: "container app has a literal credential in env GIT_REMOTE, AWS_KEY_ID"},
	{file: "secretvalues.yaml", control: "AKS-SEC-001", ref: "Deployment/shop/formats", want: check.Fail, n: 2, msg: "container migrate (initContainer) has a literal credential in env DATABASE_URL, BLOB_URL"},
	{file: "secretvalues.yaml", control: "AKS-SEC-001", ref: "Deployment/shop/plain-values", want: check.Pass},
	{file: "secretvalues.yaml", control: "AKS-SEC-001", ref: "ConfigMap/shop/app-settings", want: check.Fail, msg: "literal credential in key appsettings.json, server.key, slack.bin", evPath: "binaryData[slack.bin]"},
	{file: "secretvalues.yaml", control: "AKS-SEC-001", ref: "ConfigMap/shop/public-settings", want: check.Pass},

	// Images: the generic default trusts mcr.microsoft.com and *.azurecr.io.
	{file: "images.yaml", control: "AKS-IMG-001", ref: "Deployment/shop/images", want: check.Fail, n: 3, msg: "container hub-implied (initContainer) pulls nginx from the untrusted registry docker.io (implied"},
	{file: "images.yaml", control: "AKS-IMG-001", ref: "Deployment/shop/pinned", want: check.Pass, msg: "every image comes from a trusted registry"},
	{file: "registryport.yaml", control: "AKS-IMG-001", ref: "Deployment/shop/acr-port", want: check.Pass, n: 1, msg: "every image comes from a trusted registry"},
	{file: "images.yaml", control: "AKS-IMG-002", ref: "Deployment/shop/images", want: check.Fail, n: 2, msg: "nginx without a tag"},
	{file: "images.yaml", control: "AKS-IMG-002", ref: "Deployment/shop/images", want: check.Fail, msg: "with the mutable tag latest"},
	{file: "images.yaml", control: "AKS-IMG-002", ref: "Deployment/shop/images", want: check.Fail, n: 5, msg: "without an @sha256 digest (requireDigest is set)", setting: func(s *check.Settings) { s.RequireDigest = true }},
	{file: "images.yaml", control: "AKS-IMG-002", ref: "Deployment/shop/pinned", want: check.Pass, setting: func(s *check.Settings) { s.RequireDigest = true }},

	// Legacy annotations: used where the field is unset; the field wins.
	{file: "legacy.yaml", control: "AKS-WKL-005", ref: "Deployment/legacy/pod-annotation", want: check.Pass, evPath: "spec.template.metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]"},
	{file: "legacy.yaml", control: "AKS-WKL-005", ref: "Deployment/legacy/container-annotation", want: check.Fail, msg: "from the legacy annotation", evPath: "annotations[container.seccomp.security.alpha.kubernetes.io/app]"},
	{file: "legacy.yaml", control: "AKS-WKL-006", ref: "Deployment/legacy/container-annotation", want: check.Fail, msg: "without AppArmor confinement"},
	{file: "legacy.yaml", control: "AKS-WKL-005", ref: "Deployment/legacy/field-wins", want: check.Pass},
	{file: "legacy.yaml", control: "AKS-WKL-006", ref: "Deployment/legacy/field-wins", want: check.Pass},
	{file: "legacy.yaml", control: "AKS-WKL-006", ref: "Deployment/legacy/pod-apparmor", want: check.Fail, msg: "profile Unconfined, pod", evPath: "spec.template.spec.securityContext.appArmorProfile.type"},

	// Capabilities, privilege escalation and limits.
	{file: "capabilities.yaml", control: "AKS-WKL-004", ref: "Deployment/net/caps", want: check.Fail, n: 3, msg: "container net-admin adds CAP_NET_ADMIN, net_raw"},
	{file: "capabilities.yaml", control: "AKS-WKL-004", ref: "Deployment/net/caps", want: check.Fail, msg: "container keeps-defaults does not drop ALL capabilities"},
	{file: "capabilities.yaml", control: "AKS-WKL-002", ref: "Deployment/net/caps", want: check.Fail, n: 2, msg: "container sys-admin can escalate privileges: the SYS_ADMIN capability forces"},
	{file: "capabilities.yaml", control: "AKS-WKL-002", ref: "Deployment/net/caps", want: check.Fail, msg: "container keeps-defaults sets allowPrivilegeEscalation: true"},
	{file: "capabilities.yaml", control: "AKS-WKL-013", ref: "Deployment/net/limited", want: check.Fail, n: 1, msg: "container cpu-only has no memory limit"},
	{file: "capabilities.yaml", control: "AKS-WKL-013", ref: "Deployment/net/pod-limits", want: check.Pass, evPath: "spec.template.spec.resources.limits.cpu"},

	// Windows pods.
	{file: "windows.yaml", control: "AKS-WKL-002", ref: "Deployment/win/win-app", want: check.NotApplicable, msg: "Windows pod"},
	{file: "windows.yaml", control: "AKS-WKL-005", ref: "Deployment/win/win-app", want: check.NotApplicable},
	{file: "windows.yaml", control: "AKS-WKL-003", ref: "Deployment/win/win-app", want: check.Pass},
	{file: "windows.yaml", control: "AKS-WKL-001", ref: "Deployment/win/win-app", want: check.Pass},
	{file: "windows.yaml", control: "AKS-WKL-001", ref: "DaemonSet/win/win-hostprocess", want: check.Fail, msg: "Windows HostProcess container"},
	{file: "windows.yaml", control: "AKS-WKL-003", ref: "DaemonSet/win/win-hostprocess", want: check.Fail, msg: `administrator NT AUTHORITY\SYSTEM`},
}

func allowVarLog(s *check.Settings) { s.AllowedHostPaths = []string{"/var/log"} }

func TestWorkloadControls(t *testing.T) {
	invs := map[string]*inventory.Inventory{}
	for _, c := range wklCases {
		name := c.file + "/" + c.control + "/" + c.ref + "/" + string(c.want)
		t.Run(name, func(t *testing.T) {
			inv := invs[c.file]
			if inv == nil {
				inv = wklLoad(t, c.file)
				invs[c.file] = inv
			}
			out := wklRun(inv, func(o *engine.Options) {
				if c.setting != nil {
					c.setting(&o.Settings)
				}
			})
			rs := wklResults(out.Results, c.control, c.ref)
			if got := wklStatus(rs); got != c.want {
				t.Fatalf("status %q, want %q:%s", got, c.want, wklDump(rs))
			}
			if c.n > 0 && len(rs) != c.n {
				t.Errorf("%d results, want %d:%s", len(rs), c.n, wklDump(rs))
			}
			if c.msg != "" && !anyResult(rs, func(r check.Result) bool { return strings.Contains(r.Message, c.msg) }) {
				t.Errorf("no message contains %q:%s", c.msg, wklDump(rs))
			}
			if c.evPath != "" && !anyResult(rs, func(r check.Result) bool {
				for _, e := range r.Evidence {
					if strings.Contains(e.Path, c.evPath) {
						return true
					}
				}
				return false
			}) {
				t.Errorf("no evidence path contains %q:%s", c.evPath, wklDump(rs))
			}
			for _, r := range rs {
				if r.Source.File == "" || r.Source.Line == 0 {
					t.Errorf("result without file:line: %+v", r)
				}
				if r.Status == check.Fail && r.Remediation == "" {
					t.Errorf("fail without remediation: %s", r.Message)
				}
				if r.Status != check.Fail && r.Remediation != "" {
					t.Errorf("%s result with remediation: %s", r.Status, r.Message)
				}
			}
		})
	}
}

func anyResult(rs []check.Result, f func(check.Result) bool) bool {
	for _, r := range rs {
		if f(r) {
			return true
		}
	}
	return false
}

// TestWorkloadCasesCoverEveryControl: every workload control has a passing
// and a failing case above.
func TestWorkloadCasesCoverEveryControl(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range wklCases {
		seen[c.control+"/"+string(c.want)] = true
	}
	for _, id := range wklControls {
		if _, ok := check.Lookup(id); !ok {
			t.Errorf("%s is not registered", id)
		}
		for _, st := range []check.Status{check.Pass, check.Fail} {
			if !seen[id+"/"+string(st)] {
				t.Errorf("%s has no %s case", id, st)
			}
		}
	}
}

// TestWorkloadRemediationNamesTheChange: a fail's remediation is a concrete
// manifest change naming the container and its path.
func TestWorkloadRemediationNamesTheChange(t *testing.T) {
	out := wklRun(wklLoad(t, "inheritance.yaml", "secrets.yaml"))
	want := map[string]string{
		"AKS-WKL-002": "set securityContext.allowPrivilegeEscalation: false on container app in Deployment shop/bare (spec.template.spec.containers[0])",
		"AKS-WKL-010": "set securityContext.readOnlyRootFilesystem: true on container app in Deployment shop/bare (spec.template.spec.containers[0])",
		"AKS-SEC-001": "move the value of DB_PASSWORD, storageAccessKey (container app in Deployment shop/leaky (spec.template.spec.containers[0])) to a Secret and use valueFrom.secretKeyRef (or the Key Vault CSI driver)",
	}
	for id, fix := range want {
		found := false
		for _, r := range out.Results {
			if r.Control == id && r.Status == check.Fail && strings.Contains(r.Remediation, fix) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no fail with remediation %q", id, fix)
		}
	}
}

func TestWorkloadSystemObjects(t *testing.T) {
	inv := wklLoad(t, "system.yaml")
	all := wklRun(inv)
	for ref, system := range map[string]bool{
		"DaemonSet/kube-system/node-agent":  true,
		"Deployment/monitoring/aks-managed": true,
		"Deployment/monitoring/user-app":    false,
	} {
		rs := wklResults(all.Results, "AKS-WKL-001", ref)
		if len(rs) != 1 || rs[0].Status != check.Fail || rs[0].System != system {
			t.Errorf("%s: want one fail with System=%v:%s", ref, system, wklDump(rs))
		}
	}
	def := wklRun(inv, func(o *engine.Options) { o.IncludeSystem = false })
	for _, r := range def.Results {
		if wklRef(r) != "Deployment/monitoring/user-app" {
			t.Errorf("system object not excluded by default: %s %s", r.Control, wklRef(r))
		}
	}
	if def.Excluded == 0 || def.ExcludedBy["AKS-managed or system object"] != def.Excluded {
		t.Errorf("excluded = %d %v, want the system objects counted", def.Excluded, def.ExcludedBy)
	}
}

func TestWorkloadWaiverAnnotation(t *testing.T) {
	inv := wklLoad(t, "waive.yaml")
	out := wklRun(inv)
	for _, c := range []struct{ control, ref, reason string }{
		{"AKS-WKL-001", "DaemonSet/storage/csi-node", "CSI node plugin needs privileged mounts"},
		{"AKS-WKL-008", "DaemonSet/storage/csi-node", "kubelet plugin dir"},
		{"AKS-WKL-009", "Deployment/storage/templ-waived", "legacy agent binds the node port"}, // pod template annotation
	} {
		rs := wklResults(out.Results, c.control, c.ref)
		if len(rs) != 1 || rs[0].Status != check.Waived || !strings.Contains(rs[0].Message, c.reason) {
			t.Errorf("%s %s: want waived with %q:%s", c.control, c.ref, c.reason, wklDump(rs))
		}
	}
	// Controls the annotation does not name still fail.
	if st := wklStatus(wklResults(out.Results, "AKS-WKL-002", "DaemonSet/storage/csi-node")); st != check.Fail {
		t.Errorf("AKS-WKL-002 on csi-node = %s, want fail", st)
	}
	strict := wklRun(inv, func(o *engine.Options) { o.Strict = true })
	if st := wklStatus(wklResults(strict.Results, "AKS-WKL-001", "DaemonSet/storage/csi-node")); st != check.Fail {
		t.Errorf("strict: AKS-WKL-001 = %s, want fail (annotations ignored)", st)
	}
}

// TestSEC001NeverLeaksValues: the literal values appear nowhere in the
// results or the report, in any form.
func TestSEC001NeverLeaksValues(t *testing.T) {
	inv := wklLoad(t, "secrets.yaml", "lists.yaml", "secretvalues.yaml")
	all := engine.Evaluate(inv, engine.Options{Settings: check.DefaultSettings(), Now: today, IncludeSystem: true})
	if wklStatus(wklResults(all.Results, "AKS-SEC-001", "Deployment/shop/leaky")) != check.Fail {
		t.Fatal("AKS-SEC-001 does not fail on the leaky Deployment")
	}
	js, err := json.Marshal(all.Results)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := json.Marshal(engine.Build(inv, all, "test", today, true))
	if err != nil {
		t.Fatal(err)
	}
	dump := string(js) + string(rep) + fmt.Sprintf("%+v", all.Results)
	for _, secret := range []string{"hunter2", "dont-print-me", "Pl4nt3d", "AKIAPLANTED", "UGxhbnRl", "sig=", "BEGIN RSA"} {
		if strings.Contains(dump, secret) {
			t.Errorf("the literal value %q leaks into the results", secret)
		}
	}
	for _, r := range wklResults(all.Results, "AKS-SEC-001", "Deployment/shop/leaky") {
		for _, e := range r.Evidence {
			if !strings.HasSuffix(e.Value, "literal value (not shown)") {
				t.Errorf("evidence %s = %q, want the name and \"literal value (not shown)\"", e.Path, e.Value)
			}
		}
	}
}

// TestSEC001NamesTheKindOfSecret: a value recognised by its format is
// reported by key and kind of secret.
func TestSEC001NamesTheKindOfSecret(t *testing.T) {
	out := wklRun(wklLoad(t, "secretvalues.yaml"))
	want := map[string]string{
		"GIT_REMOTE":       "a GitHub token",
		"AWS_KEY_ID":       "an AWS access key ID",
		"DATABASE_URL":     "a password in a URL",
		"BLOB_URL":         "an Azure SAS token",
		"appsettings.json": "an Azure connection string with an account or shared access key",
		"server.key":       "a PEM private key",
		"slack.bin":        "a Slack token",
	}
	got := map[string]string{}
	for _, ref := range []string{"Deployment/shop/formats", "ConfigMap/shop/app-settings"} {
		for _, r := range wklResults(out.Results, "AKS-SEC-001", ref) {
			for _, e := range r.Evidence {
				name, rest, _ := strings.Cut(e.Value, ": ")
				got[name] = rest
			}
		}
	}
	for name, kind := range want {
		if w := "literal value holding " + kind + " (not shown)"; got[name] != w {
			t.Errorf("%s: evidence %q, want %q", name, got[name], w)
		}
	}
}

// TestIMG001RegistryRules: the configured list, else mcr plus the scan's
// registries, else mcr plus any *.azurecr.io; the result says which.
func TestIMG001RegistryRules(t *testing.T) {
	statuses := func(inv *inventory.Inventory, mod func(*engine.Options)) (map[string]check.Status, []check.Result) {
		out := wklRun(inv, mod)
		rs := wklResults(out.Results, "AKS-IMG-001", "Deployment/shop/images")
		got := map[string]check.Status{}
		for _, name := range []string{"hub-implied", "hub-latest", "mcr", "acr", "other-acr", "ghcr-digest"} {
			got[name] = check.Pass
			for _, r := range rs {
				if strings.Contains(r.Message, "container "+name+" ") {
					got[name] = r.Status
				}
			}
		}
		return got, rs
	}
	cases := []struct {
		name       string
		trusted    []string
		registries []string
		want       map[string]check.Status
		says       string
	}{
		{name: "generic default", want: map[string]check.Status{"hub-implied": check.Fail, "hub-latest": check.Fail, "mcr": check.Pass, "acr": check.Pass, "other-acr": check.Pass, "ghcr-digest": check.Fail},
			says: "mcr.microsoft.com and any *.azurecr.io; default used"},
		{name: "scan's registries", registries: []string{"shopacr.azurecr.io"},
			want: map[string]check.Status{"hub-implied": check.Fail, "hub-latest": check.Fail, "mcr": check.Pass, "acr": check.Pass, "other-acr": check.Fail, "ghcr-digest": check.Fail},
			says: "the scan's container registries (shopacr.azurecr.io); default used"},
		{name: "configured", trusted: []string{"ghcr.io/acme", "*.AzureCR.io/", "docker.io/library"}, registries: []string{"shopacr.azurecr.io"},
			want: map[string]check.Status{"hub-implied": check.Pass, "hub-latest": check.Pass, "mcr": check.Fail, "acr": check.Pass, "other-acr": check.Pass, "ghcr-digest": check.Pass},
			says: "ghcr.io/acme, *.azurecr.io, docker.io/library"},
		{name: "configured host only", trusted: []string{"https://mcr.microsoft.com"},
			want: map[string]check.Status{"hub-implied": check.Fail, "hub-latest": check.Fail, "mcr": check.Pass, "acr": check.Fail, "other-acr": check.Fail, "ghcr-digest": check.Fail},
			says: "trustedRegistries (configuration)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := wklLoad(t, "images.yaml")
			for _, r := range c.registries {
				inv.Registries = append(inv.Registries, &inventory.Registry{Name: strings.Split(r, ".")[0], LoginServer: r})
			}
			got, rs := statuses(inv, func(o *engine.Options) { o.Settings.TrustedRegistries = c.trusted })
			for name, want := range c.want {
				if got[name] != want {
					t.Errorf("container %s = %s, want %s:%s", name, got[name], want, wklDump(rs))
				}
			}
			if !anyResult(rs, func(r check.Result) bool {
				if strings.Contains(r.Message, c.says) {
					return true
				}
				for _, e := range r.Evidence {
					if strings.Contains(e.Path+" "+e.Value, c.says) {
						return true
					}
				}
				return false
			}) {
				t.Errorf("no result says %q:%s", c.says, wklDump(rs))
			}
		})
	}
}

// TestWorkloadControlsOnRealCorpus runs every control over a few hundred
// real objects (testdata/corpus: chart and example output, see its README):
// no panic, no input error, and sane counts.
func TestWorkloadControlsOnRealCorpus(t *testing.T) {
	inv := source.Load([]string{"testdata/corpus"}, source.Options{})
	if len(inv.Errors) > 0 {
		t.Fatalf("input errors: %v", inv.Errors)
	}
	if inv.Kube == nil || len(inv.Kube.Workloads) < 300 || len(inv.Kube.ConfigMaps) < 50 {
		t.Fatalf("corpus too small: %+v", inv.Kube)
	}
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("panic: %v", p)
		}
	}()
	out := engine.Evaluate(inv, engine.Options{Settings: check.DefaultSettings(), Now: today, IncludeSystem: true})
	// Objects judged: every workload but pods (and the like) whose
	// controlling owner is in the corpus too.
	present := map[string]bool{}
	for _, w := range inv.Kube.Workloads {
		present[w.Kind+"/"+w.EffectiveNamespace()+"/"+w.Name] = true
	}
	workloads := 0
	for _, w := range inv.Kube.Workloads {
		if c := w.Controller(); c == nil || !present[c.Kind+"/"+w.EffectiveNamespace()+"/"+c.Name] {
			workloads++
		}
	}
	perWorkload := map[string]map[string]map[check.Status]int{} // control -> object -> status -> n
	mine := map[string]bool{}
	for _, id := range wklControls {
		mine[id] = true
	}
	for _, r := range out.Results {
		if !mine[r.Control] {
			continue
		}
		if r.Resource.Kind == "" || r.Resource.Name == "" || r.Source.File == "" || r.Source.Line == 0 || r.Message == "" {
			t.Errorf("incomplete result: %+v", r)
		}
		if perWorkload[r.Control] == nil {
			perWorkload[r.Control] = map[string]map[check.Status]int{}
		}
		ref := wklRef(r) + "@" + r.Source.File
		if perWorkload[r.Control][ref] == nil {
			perWorkload[r.Control][ref] = map[check.Status]int{}
		}
		perWorkload[r.Control][ref][r.Status]++
	}
	var summary []string
	for _, id := range wklControls {
		objs := perWorkload[id]
		fails, passes := 0, 0
		for ref, st := range objs {
			if st[check.Pass] > 1 || (st[check.Pass] == 1 && len(st) > 1) {
				t.Errorf("%s %s mixes a pass with other results: %v", id, ref, st)
			}
			fails += st[check.Fail]
			passes += st[check.Pass]
		}
		summary = append(summary, fmt.Sprintf("%s objects=%d pass=%d fail=%d", id, len(objs), passes, fails))
		want := workloads
		if id == "AKS-SEC-001" {
			want += len(inv.Kube.ConfigMaps)
		}
		if len(objs) != want {
			t.Errorf("%s judged %d objects, want %d (every workload once)", id, len(objs), want)
		}
		if passes == 0 && id != "AKS-WKL-006" && id != "AKS-IMG-001" {
			t.Errorf("%s never passes on real charts", id)
		}
		if fails == 0 && id != "AKS-WKL-006" {
			t.Errorf("%s never fails on real charts", id)
		}
	}
	sort.Strings(summary)
	t.Log("\n" + strings.Join(summary, "\n"))
	// Every workload kind of the corpus is judged, CronJobs included.
	kinds := map[string]bool{}
	for _, r := range out.Results {
		if r.Control == "AKS-WKL-001" {
			kinds[r.Resource.Kind] = true
		}
	}
	for _, k := range []string{"Deployment", "StatefulSet", "DaemonSet", "Pod", "ReplicationController", "Job", "CronJob"} {
		if !kinds[k] {
			t.Errorf("no AKS-WKL-001 result on a %s", k)
		}
	}
	if _, err := os.Stat("testdata/corpus/README.md"); err != nil {
		t.Errorf("testdata/corpus needs its README (provenance, licences): %v", err)
	}
}
