package checks_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
)

// ccControls are the cluster-level Kubernetes controls (namespaces.go,
// services.go, reboots.go) and the mixed controls with a Kubernetes half.
var ccControls = []string{
	"AKS-NET-004", "AKS-NET-005", "AKS-NET-006", "AKS-WKL-014", "AKS-GOV-002", "AKS-DSH-001", "AKS-DSH-003",
	"AKS-IDN-004", "AKS-UPG-008", "AKS-UPG-009", "AKS-NOD-004", "AKS-IMG-004",
}

const (
	ccHardenedJSON = "../../examples/hardened/aks-payments-prod.json"
	ccInsecureJSON = "../../examples/insecure/aks-shop-prod.json"
)

// ccLoad reads inputs: paths under testdata/, or relative to the package
// when they start with "../".
func ccLoad(t *testing.T, paths ...string) *inventory.Inventory {
	t.Helper()
	full := make([]string, len(paths))
	for i, p := range paths {
		if strings.HasPrefix(p, "../") {
			full[i] = p
		} else {
			full[i] = filepath.Join("testdata", p)
		}
	}
	inv := source.Load(full, source.Options{})
	if len(inv.Errors) > 0 {
		t.Fatalf("%v: input errors %v", paths, inv.Errors)
	}
	return inv
}

// ccRun evaluates the controls with system objects included, so the System
// flag can be asserted.
func ccRun(inv *inventory.Inventory, mod ...func(*engine.Options)) []check.Result {
	only := map[string]bool{}
	for _, id := range ccControls {
		only[id] = true
	}
	opts := engine.Options{Settings: check.DefaultSettings(), Now: today, Only: only, IncludeSystem: true}
	for _, m := range mod {
		m(&opts)
	}
	return engine.Evaluate(inv, opts).Results
}

func ccRef(r check.Result) string {
	return r.Resource.Kind + "/" + r.Resource.Namespace + "/" + r.Resource.Name
}

// ccWant is one expected result: the control's result on ref
// (Kind/namespace/name; Namespace//name for cluster-scoped objects).
type ccWant struct {
	control, ref string
	status       check.Status
	msg          string // substring of the message
	system       bool
	// src is a suffix of the result's source "file:line" ("" = not checked).
	src string
}

type ccCase struct {
	name  string
	files []string
	mod   func(*engine.Options)
	want  []ccWant
	// none lists control/ref pairs that must have no result.
	none []string
	// only makes the case fail on results of its controls that want does
	// not list (for controls that emit one result per scan).
	only []string
}

func ccRunCases(t *testing.T, cases []ccCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := ccLoad(t, tc.files...)
			var mods []func(*engine.Options)
			if tc.mod != nil {
				mods = append(mods, tc.mod)
			}
			rs := ccRun(inv, mods...)
			for _, w := range tc.want {
				var got []check.Result
				for _, r := range rs {
					if r.Control == w.control && ccRef(r) == w.ref {
						got = append(got, r)
					}
				}
				if len(got) != 1 {
					t.Errorf("%s on %s: %d results, want 1; all results:\n%s", w.control, w.ref, len(got), ccDump(rs, w.control))
					continue
				}
				r := got[0]
				if r.Status != w.status {
					t.Errorf("%s on %s: status %s, want %s (%s)", w.control, w.ref, r.Status, w.status, r.Message)
				}
				if w.msg != "" && !strings.Contains(r.Message, w.msg) {
					t.Errorf("%s on %s: message %q lacks %q", w.control, w.ref, r.Message, w.msg)
				}
				if r.System != w.system {
					t.Errorf("%s on %s: System %v, want %v", w.control, w.ref, r.System, w.system)
				}
				if w.src != "" {
					loc := filepath.ToSlash(r.Source.File) + ":" + strconv.Itoa(r.Source.Line)
					if !strings.HasSuffix(loc, w.src) {
						t.Errorf("%s on %s: source %s, want …%s", w.control, w.ref, loc, w.src)
					}
				}
				if r.Status == check.Fail && r.Remediation == "" {
					t.Errorf("%s on %s: a fail without remediation", w.control, w.ref)
				}
				if len(r.Evidence) == 0 {
					t.Errorf("%s on %s: no evidence", w.control, w.ref)
				}
			}
			for _, n := range tc.none {
				control, ref, _ := strings.Cut(n, " ")
				for _, r := range rs {
					if r.Control == control && ccRef(r) == ref {
						t.Errorf("%s on %s: unexpected result %s (%s)", control, ref, r.Status, r.Message)
					}
				}
			}
			for _, control := range tc.only {
				listed := map[string]bool{}
				for _, w := range tc.want {
					if w.control == control {
						listed[w.ref] = true
					}
				}
				for _, r := range rs {
					if r.Control == control && !listed[ccRef(r)] {
						t.Errorf("%s: unexpected result on %s: %s (%s)", control, ccRef(r), r.Status, r.Message)
					}
				}
			}
		})
	}
}

func ccDump(rs []check.Result, control string) string {
	var b strings.Builder
	for _, r := range rs {
		if r.Control == control {
			b.WriteString("  " + ccRef(r) + " " + string(r.Status) + ": " + r.Message + "\n")
		}
	}
	return b.String()
}

func TestNamespaceControls(t *testing.T) {
	ccRunCases(t, []ccCase{
		{name: "isolated namespace with PSA baseline", files: []string{"namespaces/isolated.yaml"}, want: []ccWant{
			{control: "AKS-NET-004", ref: "Namespace//shop", status: check.Pass, msg: "default-deny-ingress selects every pod", src: "isolated.yaml:44"},
			{control: "AKS-WKL-014", ref: "Namespace//shop", status: check.Pass, msg: "baseline", src: "isolated.yaml:3"},
		}},
		{name: "policies that do not isolate, no PSA label", files: []string{"namespaces/open.yaml"}, want: []ccWant{
			{control: "AKS-NET-004", ref: "Namespace//open", status: check.Fail, msg: "namespace open is open: NetworkPolicy allow-all admit(s) ingress from anywhere", src: "open.yaml:4"},
			{control: "AKS-WKL-014", ref: "Namespace//open", status: check.Fail, msg: "does not enforce a Pod Security level", src: "open.yaml:4"},
		}},
		{name: "selector covering every workload, defaulted policyTypes; privileged level", files: []string{"namespaces/selector.yaml"}, want: []ccWant{
			{control: "AKS-NET-004", ref: "Namespace//legacy", status: check.Pass, msg: "selects the pods of all 2 workloads"},
			{control: "AKS-WKL-014", ref: "Namespace//legacy", status: check.Fail, msg: "privileged Pod Security level"},
		}},
		{name: "implied namespaces", files: []string{"namespaces/implied.yaml"}, want: []ccWant{
			{control: "AKS-NET-004", ref: "Namespace//batch", status: check.Fail, msg: "no NetworkPolicy: every pod accepts traffic", src: "implied.yaml:5"},
			{control: "AKS-NET-004", ref: "Namespace//default", status: check.Fail, src: "implied.yaml:18"},
			{control: "AKS-WKL-014", ref: "Namespace//batch", status: check.Fail, msg: "not declared in the input, so nothing in it sets a Pod Security level", src: "implied.yaml:5"},
			{control: "AKS-WKL-014", ref: "Namespace//default", status: check.Fail, msg: "kubectl's context namespace"},
		}},
		{name: "system namespaces are flagged", files: []string{"namespaces/system.yaml"}, want: []ccWant{
			{control: "AKS-NET-004", ref: "Namespace//kube-system", status: check.Fail, system: true},
			{control: "AKS-WKL-014", ref: "Namespace//kube-system", status: check.Fail, system: true},
			{control: "AKS-WKL-014", ref: "Namespace//aks-managed", status: check.Fail, system: true},
		}, none: []string{"AKS-NET-004 Namespace//aks-managed"}},
		{name: "waiver annotation on the namespace", files: []string{"namespaces/waived.yaml"}, want: []ccWant{
			{control: "AKS-WKL-014", ref: "Namespace//tools", status: check.Waived, msg: "OPS-42"},
		}},
	})
}

func TestNamespaceControlsExcludeSystemByDefault(t *testing.T) {
	inv := ccLoad(t, "namespaces/system.yaml", "namespaces/isolated.yaml")
	o := engine.Evaluate(inv, engine.Options{Settings: check.DefaultSettings(), Now: today,
		Only: map[string]bool{"AKS-NET-004": true, "AKS-WKL-014": true}})
	for _, r := range o.Results {
		if r.Resource.Name != "shop" {
			t.Errorf("%s on %s: a system namespace was not excluded", r.Control, ccRef(r))
		}
	}
	if o.Excluded != 3 {
		t.Errorf("excluded %d results, want 3 (NET-004 and WKL-014 on kube-system, WKL-014 on aks-managed)", o.Excluded)
	}
}

func TestAdmissionPolicies(t *testing.T) {
	gov := func(st check.Status, msg string) []ccWant {
		return []ccWant{{control: "AKS-GOV-002", ref: "Cluster//kubernetes", status: st, msg: msg}}
	}
	ccRunCases(t, []ccCase{
		{name: "azure policy constraints deny", files: []string{"admission/namespaces.yaml", "admission/gatekeeper.yaml"},
			want: gov(check.Pass, "denied and images restricted in all 2 non-system namespaces"), only: []string{"AKS-GOV-002"}},
		{name: "dryrun and escalation constraints do not deny privileged", files: []string{"admission/namespaces.yaml", "admission/gatekeeper-audit.yaml"},
			want: gov(check.Fail, "privileged containers are not denied in 2 namespace(s): team-a, team-b"), only: []string{"AKS-GOV-002"}},
		{name: "constraints limited to one namespace", files: []string{"admission/namespaces.yaml", "admission/gatekeeper-team-a.yaml"},
			want: gov(check.Fail, "privileged containers are not denied in 1 namespace(s): team-b"), only: []string{"AKS-GOV-002"}},
		{name: "PSA without image restriction", files: []string{"admission/psa.yaml"},
			want: gov(check.Fail, "no enforced allowed-images policy"), only: []string{"AKS-GOV-002"}},
		{name: "PSA plus image constraint", files: []string{"admission/psa.yaml", "admission/gatekeeper-audit.yaml"},
			want: gov(check.Pass, ""), only: []string{"AKS-GOV-002"}},
		{name: "validating admission policies bound with Deny", files: []string{"admission/namespaces.yaml", "admission/vap.yaml"},
			want: gov(check.Pass, ""), only: []string{"AKS-GOV-002"}},
		{name: "validating admission policies bound with Warn/Audit", files: []string{"admission/namespaces.yaml", "admission/vap-warn.yaml"},
			want: gov(check.Fail, "privileged containers are not denied in 2 namespace(s)"), only: []string{"AKS-GOV-002"}},
		{name: "namespace selector on an undeclared namespace", files: []string{"admission/selector.yaml"},
			want: gov(check.NotAssessed, "undeclared"), only: []string{"AKS-GOV-002"}},
		{name: "named after the only cluster", files: []string{"admission/namespaces.yaml", "admission/gatekeeper.yaml", ccHardenedJSON},
			want: []ccWant{{control: "AKS-GOV-002", ref: "Cluster//aks-payments-prod", status: check.Pass}}, only: []string{"AKS-GOV-002"}},
		{name: "only system namespaces", files: []string{"namespaces/system.yaml"},
			want: gov(check.NotAssessed, "no non-system namespace"), only: []string{"AKS-GOV-002"}},
	})
}

// TestClusterControlsOnRealCorpus runs every control of this file's set over
// a few hundred real objects (testdata/corpus-net): nothing panics, every
// result is well formed, each namespace and object is judged once, and the
// known facts of the corpus show.
func TestClusterControlsOnRealCorpus(t *testing.T) {
	for _, extra := range [][]string{nil, {ccHardenedJSON}, {ccInsecureJSON}, {ccHardenedJSON, ccInsecureJSON}} {
		inv := ccLoad(t, append([]string{"corpus-net"}, extra...)...)
		if n := len(inv.Kube.Workloads) + len(inv.Kube.Services) + len(inv.Kube.NetworkPolicies); n < 250 {
			t.Fatalf("corpus-net: %d objects read, want a few hundred", n)
		}
		rs := ccRun(inv)
		seen := map[string]bool{}
		by := map[string]check.Status{}
		for _, r := range rs {
			key := r.Control + " " + ccRef(r)
			if seen[key] {
				t.Errorf("%v: %s judged twice", extra, key)
			}
			seen[key] = true
			by[key] = r.Status
			if r.Message == "" || r.Resource.Kind == "" || r.Resource.Name == "" {
				t.Errorf("%v: malformed result %+v", extra, r)
			}
			if r.Status == check.Fail && r.Remediation == "" {
				t.Errorf("%v: %s fails without remediation", extra, key)
			}
			if r.Resource.Kind == "Namespace" || r.Resource.Kind == "Service" || r.Resource.Kind == "Ingress" {
				if r.Source.File == "" || r.Source.Line == 0 {
					t.Errorf("%v: %s has no source location", extra, key)
				}
			}
		}
		for key, want := range map[string]check.Status{
			"AKS-NET-005 Service/default/store-front":                               check.Fail, // aks-store-demo: public LoadBalancer
			"AKS-NET-006 Ingress/default/store-front":                               check.Fail, // aks-store-demo: no tls
			"AKS-NET-004 Namespace//kubeflow":                                       check.Fail, // kubeflow: its webhooks' policies admit every source on their ports
			"AKS-WKL-014 Namespace//kubeflow":                                       check.Pass, // kubeflow labels its namespaces restricted
			"AKS-WKL-014 Namespace//development":                                    check.Fail, // kubernetes/examples: bare Namespace
			"AKS-NET-004 Namespace//wordpress":                                      check.Fail, // bitnami: the policy selects wordpress only, not mariadb
			"AKS-WKL-014 Namespace//wordpress":                                      check.Fail, // implied, not declared: nothing labels it
			"AKS-NET-005 Service/nginx-ingress-controller/nginx-ingress-controller": check.Fail,
		} {
			if got := by[key]; got != want {
				t.Errorf("%v: %s = %q, want %s", extra, key, got, want)
			}
		}
		scope := "Cluster//kubernetes"
		if len(extra) == 1 {
			scope = "Cluster//" + map[string]string{ccHardenedJSON: "aks-payments-prod", ccInsecureJSON: "aks-shop-prod"}[extra[0]]
		}
		for _, id := range []string{"AKS-GOV-002", "AKS-DSH-003"} {
			if _, ok := by[id+" "+scope]; !ok {
				t.Errorf("%v: no %s result on %s", extra, id, scope)
			}
		}
	}
}

// NetworkPolicies add up, across the engines AKS ships (testdata/netpol):
// a pod is isolated when a policy restricting ingress selects it and no
// policy selecting it admits traffic from anywhere.
func TestNetworkPoliciesAddUp(t *testing.T) {
	ns := func(name string, st check.Status, msg string) ccWant {
		return ccWant{control: "AKS-NET-004", ref: "Namespace//" + name, status: st, msg: msg}
	}
	dsh := func(st check.Status, msg string) ccWant {
		return ccWant{control: "AKS-DSH-003", ref: "Deployment/kubernetes-dashboard/kubernetes-dashboard", status: st, msg: msg}
	}
	ccRunCases(t, []ccCase{
		{name: "default deny plus ingress: [{}]", files: []string{"netpol/deny-plus-allow-all.yaml"}, want: []ccWant{
			ns("open-all", check.Fail, "NetworkPolicy allow-all admit(s) ingress from anywhere to Deployment/open-all/web")}},
		{name: "default deny plus a rule with ports and no from", files: []string{"netpol/deny-plus-port.yaml"}, want: []ccWant{
			ns("open-port", check.Fail, "NetworkPolicy allow-http admit(s) ingress from anywhere")}},
		{name: "default deny plus namespaceSelector {}", files: []string{"netpol/deny-plus-namespaces.yaml"}, want: []ccWant{
			ns("open-ns", check.Fail, "NetworkPolicy allow-cluster admit(s) ingress from anywhere")}},
		{name: "default deny plus ipBlock 0.0.0.0/0", files: []string{"netpol/deny-plus-ipblock.yaml"}, want: []ccWant{
			ns("open-cidr", check.Fail, "NetworkPolicy allow-internet admit(s) ingress from anywhere")}},
		{name: "two policies select one workload each", files: []string{"netpol/union.yaml"}, want: []ccWant{
			ns("union", check.Pass, "2 policies together select the pods of all 2 workloads")}},
		{name: "isolated by a CiliumNetworkPolicy only", files: []string{"netpol/cilium.yaml"}, want: []ccWant{
			ns("cilium", check.Pass, "CiliumNetworkPolicy web-only selects every pod for ingress")}},
		{name: "cilium default deny plus a clusterwide policy from the world", files: []string{"netpol/cilium-open.yaml"}, want: []ccWant{
			ns("cilium-open", check.Fail, "CiliumClusterwideNetworkPolicy web-from-world admit(s) ingress from anywhere")}},
		{name: "isolated by a Calico NetworkPolicy only (CRD form)", files: []string{"netpol/calico.yaml"}, want: []ccWant{
			ns("calico", check.Pass, "NetworkPolicy web-only selects every pod")}},
		{name: "isolated by a Calico NetworkPolicy only (projectcalico.org/v3)", files: []string{"netpol/v3/calico.yaml"}, want: []ccWant{
			ns("calico-v3", check.Pass, "NetworkPolicy web-only selects every pod")}},
		{name: "isolated by a Calico GlobalNetworkPolicy (CRD form)", files: []string{"netpol/calico-global.yaml"}, want: []ccWant{
			ns("calico-global", check.Pass, "GlobalNetworkPolicy default-deny")}},
		{name: "calico default deny plus an unnarrowed Allow", files: []string{"netpol/calico-open.yaml"}, want: []ccWant{
			ns("calico-open", check.Fail, "NetworkPolicy allow-http admit(s) ingress from anywhere")}},
		{name: "a calico selector that cannot be read", files: []string{"netpol/calico-unread.yaml"}, want: []ccWant{
			ns("calico-unread", check.NotAssessed, "cannot be told")}},
		{name: "dashboard behind a Cilium deny-all", files: []string{"netpol/dashboard-cilium.yaml"}, want: []ccWant{
			dsh(check.Pass, "dashboard-deny")}},
		{name: "dashboard denied and opened", files: []string{"netpol/dashboard-deny-plus-allow.yaml"}, want: []ccWant{
			dsh(check.Fail, "allow-all allows it"), ns("kubernetes-dashboard", check.Fail, "allow-all")}},
	})
}
