package audit

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
)

// The observers are fed inventory.AuditEvent values directly (as the
// readers stream them), then each control judges the accumulated state.

const clusterID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-demo"

var t0 = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)

// ev builds a ResponseComplete event; opts adjust it.
func ev(user, verb, resource, sub, ns, name string, code int, opts ...func(*inventory.AuditEvent)) inventory.AuditEvent {
	e := inventory.AuditEvent{AuditID: fmt.Sprintf("id-%s-%s-%s", verb, resource, name), Stage: "ResponseComplete", Level: "Metadata",
		Verb: verb, User: inventory.AuditUser{Username: user}, SourceIPs: []string{"10.224.0.4"}, UserAgent: "kubectl/v1.31.0",
		Object: inventory.AuditObjectRef{Resource: resource, Subresource: sub, Namespace: ns, Name: name, APIVersion: "v1"},
		Code:   code, Received: t0, StageTime: t0, Input: "audit.log", Line: 1, ClusterID: clusterID, Category: "kube-audit"}
	for _, o := range opts {
		o(&e)
	}
	return e
}

func group(g string) func(*inventory.AuditEvent) {
	return func(e *inventory.AuditEvent) { e.User.Groups = append(e.User.Groups, g) }
}
func apiGroup(g string) func(*inventory.AuditEvent) {
	return func(e *inventory.AuditEvent) { e.Object.APIGroup = g }
}
func body(b string) func(*inventory.AuditEvent) {
	return func(e *inventory.AuditEvent) { e.RequestObject = []byte(b); e.Level = "Request" }
}
func ips(s ...string) func(*inventory.AuditEvent) {
	return func(e *inventory.AuditEvent) { e.SourceIPs = s }
}
func uri(u string) func(*inventory.AuditEvent) {
	return func(e *inventory.AuditEvent) { e.RequestURI = u }
}
func stage(s string) func(*inventory.AuditEvent) {
	return func(e *inventory.AuditEvent) { e.Stage = s }
}
func at(d time.Duration) func(*inventory.AuditEvent) {
	return func(e *inventory.AuditEvent) { e.Received = t0.Add(d); e.StageTime = e.Received }
}
func decision(d string) func(*inventory.AuditEvent) {
	return func(e *inventory.AuditEvent) { e.Annotations = map[string]string{"authorization.k8s.io/decision": d} }
}

// input is the coverage of the events, as a reader reports it.
func input(cats ...string) inventory.AuditInput {
	return inventory.AuditInput{Input: "audit.log", Line: 1, Form: inventory.AuditFormAKSAuditTable, Categories: cats,
		ClusterIDs: []string{clusterID}, First: t0, Last: t0.Add(time.Hour), Events: 100}
}

// cluster is the Azure view of the cluster the logs are of.
func cluster(ranges ...string) *inventory.Cluster {
	c := &inventory.Cluster{ID: clusterID, Name: "aks-demo", ResourceGroup: "rg"}
	c.PrivateCluster = inventory.Set(false, "properties.apiServerAccessProfile.enablePrivateCluster", 0)
	if ranges != nil {
		c.AuthorizedIPRanges = inventory.Set(ranges, "properties.apiServerAccessProfile.authorizedIPRanges", 0)
	}
	return c
}

// judge streams the events through the control's observer and runs it.
func judge(c *check.Control, s check.Settings, evs []inventory.AuditEvent, ins []inventory.AuditInput, clusters ...*inventory.Cluster) []check.Result {
	obs := c.Audit(s)
	for i := range evs {
		obs.Observe(&evs[i])
	}
	inv := &inventory.Inventory{Clusters: clusters, Audit: &inventory.AuditLog{Inputs: ins, States: map[string]inventory.AuditObserver{c.ID: obs}}}
	return c.Run(&check.Context{Inv: inv, Settings: s, Now: t0})
}

func summary(rs []check.Result) string {
	var out []string
	for _, r := range rs {
		s := string(r.Status)
		if r.System {
			s += "(system)"
		}
		out = append(out, s+": "+r.Message)
	}
	return strings.Join(out, "\n")
}

func TestObservers(t *testing.T) {
	def := check.DefaultSettings()
	full := []inventory.AuditInput{input("kube-audit")}
	admin := []inventory.AuditInput{input("kube-audit-admin")}
	ordinary := []inventory.AuditEvent{
		ev("alice@contoso.com", "get", "pods", "", "shop", "web-0", 200),
		ev("alice@contoso.com", "list", "deployments", "", "shop", "", 200, apiGroup("apps")),
		ev("system:serviceaccount:kube-system:replicaset-controller", "create", "pods", "", "shop", "web-1", 201),
	}
	privPod := `{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx","securityContext":{"privileged":true}}]}}`
	hostNetDeploy := `{"kind":"Deployment","apiVersion":"apps/v1","spec":{"template":{"spec":{"hostNetwork":true,"containers":[{"name":"c","image":"nginx"}]}}}}`
	plainPod := `{"kind":"Pod","apiVersion":"v1","spec":{"containers":[{"name":"c","image":"nginx"}]}}`
	hostPathCron := `{"kind":"CronJob","spec":{"jobTemplate":{"spec":{"template":{"spec":{"volumes":[{"name":"h","hostPath":{"path":"/"}}],"containers":[{"name":"c","image":"x"}]}}}}}}`
	crb := func(role string) string {
		return `{"kind":"ClusterRoleBinding","roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"` + role + `"},"subjects":[{"kind":"User","name":"mallory"}]}`
	}
	burst := func(user string, n int, every time.Duration) []inventory.AuditEvent {
		var out []inventory.AuditEvent
		for i := range n {
			out = append(out, ev(user, "list", "secrets", "", "kube-system", "", 403, at(time.Duration(i)*every)))
		}
		return out
	}
	narrow := def
	narrow.AuditBurstCount, narrow.AuditBurstWindow = 3, time.Minute
	allowAlice := def
	allowAlice.AuditAllow = []check.AuditAllow{{Controls: []string{"AKS-AUD-002"}, Users: []string{"alice@*"}}}

	tests := []struct {
		name     string
		c        *check.Control
		settings *check.Settings
		evs      []inventory.AuditEvent
		ins      []inventory.AuditInput
		clusters []*inventory.Cluster
		want     []string // "status" or "status(system)", in order; then message fragments
		contains []string
	}{
		{name: "001 ordinary activity passes with the range", c: aud001, evs: ordinary, ins: full,
			want: []string{"pass"}, contains: []string{"from 2026-11-30T10:00:00Z to 2026-11-30T11:00:00Z hold no anonymous"}},
		{name: "001 anonymous health probes are counted, not reported", c: aud001, ins: full,
			evs:  []inventory.AuditEvent{ev("system:anonymous", "get", "", "", "", "", 200, uri("/readyz?verbose"), group("system:unauthenticated"))},
			want: []string{"pass"}},
		{name: "001 anonymous list of pods allowed", c: aud001, ins: full,
			evs: []inventory.AuditEvent{ev("system:anonymous", "list", "pods", "", "", "", 200, group("system:unauthenticated")),
				ev("system:anonymous", "list", "pods", "", "", "", 200, group("system:unauthenticated"), at(time.Minute))},
			want: []string{"fail"}, contains: []string{"user system:anonymous: allowed without authentication: list pods, 2 times"}},
		{name: "001 anonymous denied is not a finding", c: aud001, ins: full,
			evs: []inventory.AuditEvent{ev("system:anonymous", "list", "pods", "", "", "", 403)}, want: []string{"pass"}},
		{name: "001 allow decision without a code", c: aud001, ins: full,
			evs:  []inventory.AuditEvent{ev("system:anonymous", "get", "", "", "", "", 0, uri("/metrics"), decision("allow"))},
			want: []string{"fail"}, contains: []string{"get /metrics"}},
		{name: "001 authorized, then refused by admission", c: aud001, ins: full,
			evs:  []inventory.AuditEvent{ev("system:anonymous", "create", "pods", "", "shop", "", 422, decision("allow"))},
			want: []string{"fail"}},
		{name: "001 only RequestReceived stage events", c: aud001, ins: full,
			evs:  []inventory.AuditEvent{ev("system:anonymous", "list", "pods", "", "", "", 0, stage("RequestReceived"))},
			want: []string{"not-assessed"}, contains: []string{"only RequestReceived"}},
		{name: "001 incomplete input never passes", c: aud001, evs: ordinary,
			ins: []inventory.AuditInput{func() inventory.AuditInput {
				in := input("kube-audit")
				in.Incomplete = "gzip stream truncated"
				return in
			}()},
			want: []string{"not-assessed"}, contains: []string{"gzip stream truncated"}},
		{name: "001 no events", c: aud001, ins: full, want: []string{"not-assessed"}, contains: []string{"hold no events"}},

		{name: "002 exec by a person", c: aud002, ins: admin,
			evs:  append([]inventory.AuditEvent{ev("alice@contoso.com", "create", "pods", "exec", "shop", "web-0", 101, func(e *inventory.AuditEvent) { e.User.Extra = map[string][]string{"oid": {"1111-2222"}} })}, ordinary...),
			want: []string{"fail"}, contains: []string{"exec into pods in namespace shop, once"}},
		{name: "002 port-forward by websocket get", c: aud002, ins: full,
			evs: []inventory.AuditEvent{ev("bob", "get", "pods", "portforward", "shop", "web-0", 101)}, want: []string{"fail"}},
		{name: "002 exec allow-listed", c: aud002, settings: &allowAlice, ins: full,
			evs: []inventory.AuditEvent{ev("alice@contoso.com", "create", "pods", "exec", "shop", "web-0", 101)}, want: []string{"pass"}},
		{name: "002 exec by a system identity is marked", c: aud002, ins: full,
			evs: []inventory.AuditEvent{ev("aksService", "create", "pods", "exec", "kube-system", "coredns-0", 101)}, want: []string{"fail(system)", "pass"}},
		{name: "002 logs view of pods is not exec", c: aud002, ins: full,
			evs: []inventory.AuditEvent{ev("bob", "get", "pods", "log", "shop", "web-0", 200)}, want: []string{"pass"}},

		{name: "003 secret list by a person", c: aud003, ins: full,
			evs: append([]inventory.AuditEvent{ev("alice@contoso.com", "list", "secrets", "", "", "", 200)}, ordinary...), want: []string{"fail"}, contains: []string{"read Secrets in all namespaces"}},
		{name: "003 secret read by an app service account", c: aud003, ins: full,
			evs: []inventory.AuditEvent{ev("system:serviceaccount:shop:web", "get", "secrets", "", "shop", "db", 200)}, want: []string{"fail"}},
		{name: "003 secret read by a kube-system controller is system", c: aud003, ins: full,
			evs: []inventory.AuditEvent{ev("system:serviceaccount:kube-system:csi-secrets-store", "get", "secrets", "", "shop", "db", 200)}, want: []string{"fail(system)", "pass"}},
		{name: "003 secret read by system:node is system", c: aud003, ins: full,
			evs: []inventory.AuditEvent{ev("system:node:aks-nodepool1-0", "get", "secrets", "", "shop", "db", 200)}, want: []string{"fail(system)", "pass"}},
		{name: "003 admin-only logs cannot show reads", c: aud003, ins: admin,
			evs:  []inventory.AuditEvent{ev("alice@contoso.com", "create", "deployments", "", "shop", "web", 201, apiGroup("apps"))},
			want: []string{"not-assessed"}, contains: []string{"kube-audit-admin"}},
		{name: "003 no reads in a plain log", c: aud003, ins: []inventory.AuditInput{input()},
			evs:  []inventory.AuditEvent{ev("alice@contoso.com", "create", "deployments", "", "shop", "web", 201, apiGroup("apps"))},
			want: []string{"not-assessed"}, contains: []string{"no get, list or watch"}},
		{name: "003 impersonation acts as the impersonated user", c: aud003, ins: full,
			evs: []inventory.AuditEvent{ev("system:serviceaccount:kube-system:x", "get", "secrets", "", "shop", "db", 200,
				func(e *inventory.AuditEvent) { e.Impersonated = &inventory.AuditUser{Username: "mallory"} })},
			want: []string{"fail"}, contains: []string{"user mallory (impersonated by system:serviceaccount:kube-system:x)"}},

		{name: "004 privileged pod", c: aud004, ins: full,
			evs: []inventory.AuditEvent{ev("alice", "create", "pods", "", "shop", "p", 201, body(privPod))}, want: []string{"fail"}, contains: []string{"create privileged pods"}},
		{name: "004 hostNetwork deployment", c: aud004, ins: full,
			evs: []inventory.AuditEvent{ev("alice", "patch", "deployments", "", "shop", "d", 200, apiGroup("apps"), body(hostNetDeploy))}, want: []string{"fail"}, contains: []string{"hostNetwork"}},
		{name: "004 hostPath cronjob", c: aud004, ins: full,
			evs: []inventory.AuditEvent{ev("alice", "create", "cronjobs", "", "shop", "c", 201, apiGroup("batch"), body(hostPathCron))}, want: []string{"fail"}, contains: []string{"hostPath"}},
		{name: "004 ordinary pod passes", c: aud004, ins: full,
			evs: []inventory.AuditEvent{ev("alice", "create", "pods", "", "shop", "p", 201, body(plainPod))}, want: []string{"pass"}},
		{name: "004 privileged pod denied by admission is not created", c: aud004, ins: full,
			evs: []inventory.AuditEvent{ev("alice", "create", "pods", "", "shop", "p", 403, body(privPod))}, want: []string{"pass"}},
		{name: "004 metadata level cannot show the spec", c: aud004, ins: full,
			evs:  []inventory.AuditEvent{ev("alice", "create", "pods", "", "shop", "p", 201)},
			want: []string{"not-assessed"}, contains: []string{"no request body"}},
		{name: "004 json patch cannot show the spec", c: aud004, ins: full,
			evs:  []inventory.AuditEvent{ev("alice", "patch", "deployments", "", "shop", "d", 200, apiGroup("apps"), body(`[{"op":"add","path":"/spec/template/spec/hostPID","value":true}]`))},
			want: []string{"not-assessed"}, contains: []string{"JSON patch"}},
		{name: "004 controller-created privileged pod is system", c: aud004, ins: full,
			evs: []inventory.AuditEvent{ev("system:serviceaccount:kube-system:daemon-set-controller", "create", "pods", "", "shop", "p", 201, body(privPod))}, want: []string{"fail(system)", "pass"}},

		{name: "005 binding to cluster-admin", c: aud005, ins: full,
			evs:  []inventory.AuditEvent{ev("alice", "create", "clusterrolebindings", "", "", "mallory-admin", 201, apiGroup("rbac.authorization.k8s.io"), body(crb("cluster-admin")))},
			want: []string{"fail"}},
		{name: "005 binding to view", c: aud005, ins: full,
			evs:  []inventory.AuditEvent{ev("alice", "create", "clusterrolebindings", "", "", "v", 201, apiGroup("rbac.authorization.k8s.io"), body(crb("view")))},
			want: []string{"pass"}},
		{name: "005 metadata only, judged by the name", c: aud005, ins: admin,
			evs:  []inventory.AuditEvent{ev("alice", "create", "clusterrolebindings", "", "", "oncall-cluster-admin", 201, apiGroup("rbac.authorization.k8s.io"))},
			want: []string{"fail"}, contains: []string{"judged by the binding's name"}},
		{name: "005 metadata only, other name", c: aud005, ins: admin,
			evs:  []inventory.AuditEvent{ev("alice", "create", "rolebindings", "", "shop", "devs", 201, apiGroup("rbac.authorization.k8s.io"))},
			want: []string{"not-assessed"}, contains: []string{"roleRef is not known"}},

		{name: "006 admin certificate", c: aud006, ins: admin,
			evs: []inventory.AuditEvent{ev("masterclient", "get", "nodes", "", "", "", 200, group("system:masters"), group("system:authenticated"))}, want: []string{"fail"}},
		{name: "006 aksService with system:masters is system", c: aud006, ins: admin,
			evs: []inventory.AuditEvent{ev("aksService", "patch", "nodes", "", "", "n", 200, group("system:masters"))}, want: []string{"fail(system)", "pass"}},
		{name: "006 entra users pass", c: aud006, ins: admin, evs: ordinary, want: []string{"pass"}},

		{name: "007 request from outside the ranges", c: aud007, ins: full, clusters: []*inventory.Cluster{cluster("203.0.113.0/24")},
			evs:  append([]inventory.AuditEvent{ev("alice", "get", "pods", "", "shop", "", 200, ips("198.51.100.7"))}, ordinary...),
			want: []string{"fail"}, contains: []string{"198.51.100.7"}},
		{name: "007 request from inside the ranges", c: aud007, ins: full, clusters: []*inventory.Cluster{cluster("203.0.113.0/24", "198.51.100.7")},
			evs: []inventory.AuditEvent{ev("alice", "get", "pods", "", "shop", "", 200, ips("198.51.100.7"))}, want: []string{"pass"}},
		{name: "007 the nodes' egress address is the cluster's own", c: aud007, ins: full, clusters: []*inventory.Cluster{cluster("203.0.113.0/24")},
			evs: []inventory.AuditEvent{ev("system:serviceaccount:shop:web", "get", "pods", "", "shop", "", 200, ips("20.50.1.1")),
				ev("system:node:aks-nodepool1-0", "get", "nodes", "", "", "aks-nodepool1-0", 200, ips("20.50.1.1"))}, want: []string{"pass"}},
		{name: "007 without Azure input", c: aud007, ins: full,
			evs: []inventory.AuditEvent{ev("alice", "get", "pods", "", "shop", "", 200, ips("198.51.100.7"))}, want: []string{"not-assessed"}, contains: []string{"no Azure input"}},
		{name: "007 private cluster", c: aud007, ins: full, clusters: []*inventory.Cluster{func() *inventory.Cluster {
			c := cluster()
			c.PrivateCluster = inventory.Set(true, "enablePrivateCluster", 0)
			return c
		}()}, evs: ordinary, want: []string{"not-applicable"}},
		{name: "007 no ranges", c: aud007, ins: full, clusters: []*inventory.Cluster{cluster()}, evs: ordinary, want: []string{"not-applicable"}},

		{name: "008 burst", c: aud008, settings: &narrow, ins: full, evs: burst("mallory", 5, 10*time.Second),
			want: []string{"fail"}, contains: []string{"forbidden (403) responses, 5 times"}},
		{name: "008 spread out", c: aud008, settings: &narrow, ins: full, evs: burst("mallory", 5, time.Minute), want: []string{"pass"}},
		{name: "008 default threshold not reached", c: aud008, ins: full, evs: burst("mallory", 19, time.Second), want: []string{"pass"}},
		{name: "008 default threshold reached", c: aud008, ins: full, evs: burst("mallory", 20, time.Second), want: []string{"fail"}},
		{name: "008 admin-only input, no burst of writes", c: aud008, ins: admin,
			evs:  []inventory.AuditEvent{ev("mallory", "create", "pods", "", "shop", "p", 403)},
			want: []string{"not-assessed"}, contains: []string{"kube-audit-admin", "write events were judged"}},

		{name: "009 dashboard through the proxy", c: aud009, ins: full,
			evs:  []inventory.AuditEvent{ev("alice", "get", "services", "proxy", "kubernetes-dashboard", "https:kubernetes-dashboard:", 200)},
			want: []string{"fail"}, contains: []string{"kubernetes-dashboard/kubernetes-dashboard"}},
		{name: "009 other service proxy", c: aud009, ins: full,
			evs: []inventory.AuditEvent{ev("alice", "get", "services", "proxy", "monitoring", "grafana:80", 200)}, want: []string{"pass"}},
		{name: "009 admin-only", c: aud009, ins: admin,
			evs: []inventory.AuditEvent{ev("alice", "create", "pods", "", "shop", "p", 201)}, want: []string{"not-assessed"}},

		{name: "010 networkpolicy deleted", c: aud010, ins: admin,
			evs: []inventory.AuditEvent{ev("alice", "delete", "networkpolicies", "", "shop", "deny-all", 200, apiGroup("networking.k8s.io"))}, want: []string{"fail"}},
		{name: "010 gatekeeper constraint deleted", c: aud010, ins: admin,
			evs: []inventory.AuditEvent{ev("alice", "delete", "k8sazurev2noprivilege", "", "", "no-priv", 200, apiGroup("constraints.gatekeeper.sh"))}, want: []string{"fail"}},
		{name: "010 validating admission policy deleted", c: aud010, ins: admin,
			evs: []inventory.AuditEvent{ev("alice", "deletecollection", "validatingadmissionpolicies", "", "", "", 200, apiGroup("admissionregistration.k8s.io"))}, want: []string{"fail"}},
		{name: "010 azure policy reconciling is system", c: aud010, ins: admin,
			evs: []inventory.AuditEvent{ev("system:serviceaccount:kube-system:azure-policy", "delete", "k8sazurev2noprivilege", "", "", "x", 200, apiGroup("constraints.gatekeeper.sh"))}, want: []string{"fail(system)", "pass"}},
		{name: "010 configmap deleted is not a guardrail", c: aud010, ins: admin,
			evs: []inventory.AuditEvent{ev("alice", "delete", "configmaps", "", "shop", "x", 200)}, want: []string{"pass"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := def
			if tc.settings != nil {
				s = *tc.settings
			}
			rs := judge(tc.c, s, tc.evs, tc.ins, tc.clusters...)
			var got []string
			for _, r := range rs {
				st := string(r.Status)
				if r.System {
					st += "(system)"
				}
				got = append(got, st)
				if r.Resource.ID != clusterID {
					t.Errorf("result on %+v, want the cluster %s", r.Resource, clusterID)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("got %v, want %v:\n%s", got, tc.want, summary(rs))
			}
			all := summary(rs)
			for _, c := range tc.contains {
				if !strings.Contains(all, c) {
					t.Errorf("no %q in:\n%s", c, all)
				}
			}
		})
	}
}
