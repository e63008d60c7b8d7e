package checks_test

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
)

var rbacControls = []string{"AKS-RBA-001", "AKS-RBA-002", "AKS-RBA-003", "AKS-RBA-004", "AKS-RBA-005",
	"AKS-RBA-006", "AKS-RBA-007", "AKS-DSH-002", "AKS-IDN-005", "AKS-WKL-011"}

var (
	rbacLoadMu sync.Mutex
	rbacLoaded = map[string]*inventory.Inventory{}
)

// loadRBAC reads a testdata/rbac manifest once.
func loadRBAC(t *testing.T, file string) *inventory.Inventory {
	t.Helper()
	rbacLoadMu.Lock()
	defer rbacLoadMu.Unlock()
	if inv := rbacLoaded[file]; inv != nil {
		return inv
	}
	inv := source.Load([]string{filepath.Join("testdata", "rbac", file)}, source.Options{})
	if len(inv.Errors) > 0 {
		t.Fatalf("%s: input errors: %v", file, inv.Errors)
	}
	if inv.Kube == nil {
		t.Fatalf("%s: no Kubernetes objects decoded", file)
	}
	rbacLoaded[file] = inv
	return inv
}

func runKube(inv *inventory.Inventory, includeSystem bool, ids ...string) engine.Outcome {
	only := map[string]bool{}
	for _, id := range ids {
		only[id] = true
	}
	return engine.Evaluate(inv, engine.Options{Settings: check.DefaultSettings(), Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
		Only: only, IncludeSystem: includeSystem})
}

// nothingToJudge reports the result the engine gives a control that found
// nothing of the kinds it judges in the Kubernetes input.
func nothingToJudge(r check.Result) bool {
	return r.Status == check.NotApplicable && strings.HasPrefix(r.Message, "nothing this control judges")
}

func resKey(r check.Resource) string {
	if r.Namespace != "" {
		return r.Kind + "/" + r.Namespace + "/" + r.Name
	}
	return r.Kind + "/" + r.Name
}

func resultText(r check.Result) string {
	var b strings.Builder
	b.WriteString(r.Message)
	for _, e := range r.Evidence {
		b.WriteString("\n" + e.Path + ": " + e.Value)
	}
	return b.String()
}

func TestRBACControls(t *testing.T) {
	type tc struct {
		file, control, resource string
		want                    check.Status
		// contains are substrings of the message or evidence of the
		// result; they also pick one result among several on a resource.
		contains []string
		fix      string // substring of the remediation of a fail
	}
	tests := []tc{
		// AKS-RBA-001
		{"clusteradmin.yaml", "AKS-RBA-001", "ClusterRoleBinding/ops-admin", check.Fail, []string{"User alice@contoso.com", "ClusterRole/cluster-admin"}, "replace User alice@contoso.com with an Entra ID group"},
		{"clusteradmin.yaml", "AKS-RBA-001", "ClusterRoleBinding/admins-group", check.Pass, nil, ""},
		{"clusteradmin.yaml", "AKS-RBA-001", "ClusterRoleBinding/everyone-super", check.Fail, []string{"system:authenticated", "ClusterRole/super"}, "kubectl delete clusterrolebinding everyone-super"},
		{"clusteradmin.yaml", "AKS-RBA-001", "ClusterRoleBinding/ci-deployer-admin", check.Fail, []string{"ServiceAccount ci/deployer"}, ""},
		{"clusteradmin.yaml", "AKS-RBA-001", "ClusterRoleBinding/bob-view", check.Pass, []string{"does not grant * on *"}, ""},
		{"clusteradmin.yaml", "AKS-RBA-001", "ClusterRoleBinding/operator-unknown", check.NotAssessed, []string{"some-operator-role is not in this scan"}, ""},
		{"clusteradmin.yaml", "AKS-RBA-001", "ClusterRoleBinding/anonymous-admin", check.Waived, []string{"break-glass lab", "system:anonymous"}, ""},
		{"bound.yaml", "AKS-RBA-001", "ClusterRoleBinding/everything", check.Pass, []string{"bound only to groups"}, ""},
		{"bound.yaml", "AKS-RBA-001", "ClusterRoleBinding/nobody", check.Pass, nil, ""},

		// Redefined built-in roles (issue #8): unprotected, the API server
		// restores the built-in rules; with autoupdate "false" it keeps the
		// redefinition. Either way the redefinition is an RBA-001 finding.
		{"../rbac-builtin/harmless-admin.yaml", "AKS-RBA-001", "ClusterRoleBinding/ci-admin", check.Fail, []string{"ServiceAccount ci/deployer", "ClusterRole/cluster-admin built-in rule", "restored by the API server"}, "replace ServiceAccount ci/deployer"},
		{"../rbac-builtin/harmless-admin.yaml", "AKS-RBA-001", "ClusterRole/cluster-admin", check.Fail, []string{"redefines Kubernetes' built-in cluster-admin", "lacks 2 of the 2 built-in rules", "not set (the API server reconciles the role)"}, "Remove ClusterRole cluster-admin from the manifests"},
		{"../rbac-builtin/harmless-admin.yaml", "AKS-RBA-004", "ClusterRoleBinding/ci-admin", check.Fail, []string{"get/list/watch secrets", "restored by the API server"}, "Bind ClusterRole/cluster-admin with RoleBindings"},
		{"../rbac-builtin/harmless-admin.yaml", "AKS-RBA-005", "ClusterRoleBinding/ci-admin", check.Fail, []string{"escalate on roles", "ClusterRole/cluster-admin built-in rule: apiGroups [*] resources [*] verbs [*]"}, ""},
		{"../rbac-builtin/protected-admin.yaml", "AKS-RBA-001", "ClusterRoleBinding/ci-admin", check.Pass, []string{"does not grant * on *"}, ""},
		{"../rbac-builtin/protected-admin.yaml", "AKS-RBA-001", "ClusterRole/cluster-admin", check.Fail, []string{"replaces Kubernetes' built-in cluster-admin", "opts out of reconciliation", `autoupdate: "false"`}, "kubectl delete clusterrole cluster-admin"},
		{"../rbac-builtin/protected-admin.yaml", "AKS-RBA-004", "ClusterRoleBinding/ci-admin", check.Pass, nil, ""},
		{"../rbac-builtin/protected-view.yaml", "AKS-RBA-001", "ClusterRole/view", check.Fail, []string{"has no aggregationRule", "aggregate-to-view=true"}, ""},
		{"../rbac-builtin/protected-view.yaml", "AKS-RBA-004", "ClusterRoleBinding/auditors-view", check.Fail, []string{"get/list secrets", "ClusterRole/view rules[0]"}, "Bind ClusterRole/view with RoleBindings"},
		{"../rbac-builtin/stripped-edit.yaml", "AKS-RBA-001", "ClusterRole/edit", check.Fail, []string{"has no aggregationRule"}, ""},
		{"../rbac-builtin/stripped-edit.yaml", "AKS-RBA-004", "ClusterRoleBinding/devs-edit", check.Fail, []string{"ClusterRole/system:aggregate-to-edit rules[0] (aggregated into ClusterRole/edit)"}, ""},
		{"../rbac-builtin/stripped-edit.yaml", "AKS-RBA-005", "ClusterRoleBinding/devs-edit", check.Fail, []string{"create/patch/update pods"}, ""},
		{"../rbac-builtin/stripped-edit.yaml", "AKS-RBA-001", "Role/apps/view", check.Status(""), nil, ""},
		{"../rbac-builtin/server-copies.yaml", "AKS-RBA-001", "ClusterRole/cluster-admin", check.Pass, []string{"keeps Kubernetes' definition", `"true"`}, ""},
		{"../rbac-builtin/server-copies.yaml", "AKS-RBA-001", "ClusterRole/admin", check.Pass, []string{"keeps Kubernetes' definition"}, ""},
		{"../rbac-builtin/server-copies.yaml", "AKS-RBA-001", "ClusterRoleBinding/admins", check.Pass, []string{"bound only to groups"}, ""},

		// AKS-RBA-002
		{"clusteradmin.yaml", "AKS-RBA-002", "ClusterRoleBinding/ops-admin", check.Fail, []string{"alice@contoso.com"}, "replace subject User alice@contoso.com with an Entra ID group in ClusterRoleBinding ops-admin"},
		{"clusteradmin.yaml", "AKS-RBA-002", "ClusterRoleBinding/bob-view", check.Fail, []string{"bob@contoso.com"}, ""},
		{"clusteradmin.yaml", "AKS-RBA-002", "ClusterRoleBinding/admins-group", check.Pass, nil, ""},
		{"clusteradmin.yaml", "AKS-RBA-002", "ClusterRoleBinding/anonymous-admin", check.Pass, nil, ""},
		{"subjects.yaml", "AKS-RBA-002", "RoleBinding/apps/web-config", check.Pass, nil, ""},

		// AKS-RBA-003
		{"wildcards.yaml", "AKS-RBA-003", "Role/apps/wild-verbs", check.Fail, []string{"* verbs in rule 2", "rules[1]"}, "Remove the wildcard from rule 2 of Role wild-verbs in namespace apps"},
		{"wildcards.yaml", "AKS-RBA-003", "ClusterRole/wild-resources", check.Fail, []string{"* resources in rule 1"}, "rule 1 of ClusterRole wild-resources"},
		{"wildcards.yaml", "AKS-RBA-003", "ClusterRole/tidy", check.Pass, nil, ""},
		{"wildcards.yaml", "AKS-RBA-003", "ClusterRole/aggregated-empty", check.Pass, []string{"aggregated"}, ""},
		{"bound.yaml", "AKS-RBA-003", "ClusterRole/everything", check.Fail, []string{"* verbs and * resources in rule 1"}, ""},
		{"clusteradmin.yaml", "AKS-RBA-003", "ClusterRole/super", check.Fail, nil, ""},

		// AKS-RBA-004
		{"bound.yaml", "AKS-RBA-004", "ClusterRoleBinding/secret-reader", check.Fail, []string{"list/watch secrets", "ServiceAccount tools/reader"}, "rule 2 of ClusterRole/secret-reader"},
		{"bound.yaml", "AKS-RBA-004", "ClusterRoleBinding/pod-reader", check.Pass, nil, ""},
		{"bound.yaml", "AKS-RBA-004", "ClusterRoleBinding/deployer", check.Pass, nil, ""},
		{"bound.yaml", "AKS-RBA-004", "ClusterRoleBinding/everything", check.Fail, []string{"get/list/watch secrets"}, ""},
		{"bound.yaml", "AKS-RBA-004", "ClusterRoleBinding/devs-edit", check.Fail, []string{"ClusterRole/edit", "ClusterRole/system:aggregate-to-edit rules[0] (aggregated into ClusterRole/edit)"}, "RoleBindings in the namespaces"},
		{"bound.yaml", "AKS-RBA-004", "ClusterRoleBinding/devs-view", check.Pass, []string{"system:aggregate-to-view"}, ""},
		{"bound.yaml", "AKS-RBA-004", "ClusterRoleBinding/leads-admin", check.Fail, []string{"ClusterRole/admin"}, ""},
		{"bound.yaml", "AKS-RBA-004", "ClusterRoleBinding/delegator", check.Pass, nil, ""},
		{"bound.yaml", "AKS-RBA-004", "ClusterRoleBinding/monitoring", check.Fail, []string{"ClusterRole/monitoring-secrets rules[0] (aggregated into ClusterRole/monitoring)"}, "rule 1 of ClusterRole/monitoring-secrets"},
		{"bound.yaml", "AKS-RBA-004", "ClusterRoleBinding/nobody", check.Pass, []string{"binds no subject"}, ""},
		{"viewagg.yaml", "AKS-RBA-004", "ClusterRoleBinding/auditors-view", check.Fail, []string{"ClusterRole/widgets-view rules[0] (aggregated into ClusterRole/view)"}, ""},
		{"clusteradmin.yaml", "AKS-RBA-004", "ClusterRoleBinding/operator-unknown", check.NotAssessed, []string{"not in this scan"}, ""},

		// AKS-RBA-004: a rule restricted with resourceNames grants only
		// the Secrets it names, as the fix recommends.
		{"escalation.yaml", "AKS-RBA-004", "ClusterRoleBinding/named-secret-reader", check.Pass, []string{"grants no read access to secrets"}, ""},

		// AKS-RBA-005
		{"escalation.yaml", "AKS-RBA-005", "ClusterRoleBinding/token-minter", check.Fail, []string{"mint service account tokens (serviceaccounts/token)", "rules[0]"}, "rule 1 of ClusterRole/token-minter"},
		{"escalation.yaml", "AKS-RBA-005", "ClusterRoleBinding/debugger", check.Fail, []string{"add ephemeral containers to pods (pods/ephemeralcontainers)", "port-forward to pods (pods/portforward)"}, "rules 1, 2 of ClusterRole/debugger"},
		{"escalation.yaml", "AKS-RBA-005", "ClusterRoleBinding/rollout", check.Fail, []string{"patch/update deployments", "patch/update daemonsets", "update cronjobs"}, ""},
		{"escalation.yaml", "AKS-RBA-005", "ClusterRoleBinding/scaler", check.Pass, nil, ""},
		{"bound.yaml", "AKS-RBA-005", "ClusterRoleBinding/everything", check.Fail, []string{"create/patch/update pods", "mint service account tokens", "port-forward to pods", "add ephemeral containers"}, ""},
		{"bound.yaml", "AKS-RBA-005", "ClusterRoleBinding/deployer", check.Fail, []string{"create/patch/update deployments", "exec into pods (pods/exec)"}, "rules 1, 2 of ClusterRole/deployer"},
		{"bound.yaml", "AKS-RBA-005", "ClusterRoleBinding/impersonator", check.Fail, []string{"impersonate", "bind roles", "escalate on roles", "nodes/proxy"}, ""},
		{"bound.yaml", "AKS-RBA-005", "ClusterRoleBinding/everything", check.Fail, []string{"create/patch/update pods", "create/patch/update cronjobs"}, ""},
		{"bound.yaml", "AKS-RBA-005", "ClusterRoleBinding/devs-edit", check.Fail, []string{"create/patch/update pods", "impersonate", "exec into pods"}, ""},
		{"bound.yaml", "AKS-RBA-005", "ClusterRoleBinding/devs-view", check.Pass, nil, ""},
		{"bound.yaml", "AKS-RBA-005", "ClusterRoleBinding/leads-admin", check.Fail, []string{"create/patch/update deployments"}, ""},
		{"bound.yaml", "AKS-RBA-005", "ClusterRoleBinding/secret-reader", check.Pass, nil, ""},
		{"bound.yaml", "AKS-RBA-005", "ClusterRoleBinding/pod-reader", check.Pass, nil, ""},
		{"bound.yaml", "AKS-RBA-005", "ClusterRoleBinding/delegator", check.Pass, nil, ""},
		{"bound.yaml", "AKS-RBA-005", "ClusterRoleBinding/monitoring", check.Pass, []string{"monitoring-pods", "monitoring-secrets"}, ""},

		// AKS-RBA-006
		{"subjects.yaml", "AKS-RBA-006", "RoleBinding/apps/web-config", check.Pass, []string{"ServiceAccount apps/web exists"}, ""},
		{"subjects.yaml", "AKS-RBA-006", "RoleBinding/apps/ghost-config", check.Fail, []string{"ServiceAccount apps/ghost does not exist"}, "kubectl delete rolebinding ghost-config -n apps"},
		{"subjects.yaml", "AKS-RBA-006", "RoleBinding/apps/default-config", check.Pass, []string{"every namespace has a default ServiceAccount"}, ""},
		{"subjects.yaml", "AKS-RBA-006", "ClusterRoleBinding/elsewhere-view", check.NotAssessed, []string{"namespace elsewhere is not in this scan"}, ""},
		{"clusteradmin.yaml", "AKS-RBA-006", "ClusterRoleBinding/ci-deployer-admin", check.NotAssessed, []string{"namespace ci is not in this scan"}, ""},

		// AKS-RBA-007
		{"subjects.yaml", "AKS-RBA-007", "RoleBinding/apps/default-config", check.Fail, []string{"default ServiceAccount of namespace apps"}, "replace subject ServiceAccount apps/default"},
		{"subjects.yaml", "AKS-RBA-007", "ClusterRoleBinding/all-sa-view", check.Fail, []string{"system:serviceaccounts:apps"}, ""},
		{"subjects.yaml", "AKS-RBA-007", "RoleBinding/apps/web-config", check.Pass, nil, ""},
		{"subjects.yaml", "AKS-RBA-007", "RoleBinding/apps/ghost-config", check.Pass, nil, ""},

		// AKS-DSH-002
		{"dashboard.yaml", "AKS-DSH-002", "ClusterRoleBinding/kubernetes-dashboard", check.Fail, []string{"ServiceAccount kubernetes-dashboard/kubernetes-dashboard"}, "kubectl delete clusterrolebinding kubernetes-dashboard"},
		{"dashboard.yaml", "AKS-DSH-002", "RoleBinding/kube-system/kubernetes-dashboard-minimal", check.Fail, []string{"ServiceAccount kube-system/kubernetes-dashboard"}, "Remove the kubernetes-dashboard ServiceAccount from the subjects"},
		{"dashboard.yaml", "AKS-DSH-002", "ClusterRoleBinding/metrics-reader", check.Pass, nil, ""},
		{"bound.yaml", "AKS-DSH-002", "ClusterRoleBinding/devs-edit", check.Pass, nil, ""},

		// AKS-IDN-005
		{"pullsecrets.yaml", "AKS-IDN-005", "Secret/shop/acr-pull", check.Fail, []string{"myregistry.azurecr.io", "Deployment/shop/frontend"}, "--attach-acr myregistry"},
		{"pullsecrets.yaml", "AKS-IDN-005", "Secret/shop/acr-legacy", check.Fail, []string{"legacy.azurecr.io", "CronJob/shop/nightly-build", "ServiceAccount/shop/builder imagePullSecrets"}, "remove acr-legacy from the imagePullSecrets of ServiceAccount/shop/builder; then kubectl delete secret acr-legacy -n shop"},
		{"pullsecrets.yaml", "AKS-IDN-005", "Secret/shop/hub-pull", check.Pass, []string{"index.docker.io"}, ""},

		// AKS-WKL-011
		{"tokens.yaml", "AKS-WKL-011", "Deployment/web/plain", check.Fail, []string{"ServiceAccount web/default", "not set (true by default)"}, "Set automountServiceAccountToken: false in spec.template.spec of Deployment/web/plain"},
		{"tokens.yaml", "AKS-WKL-011", "Deployment/web/opted-out", check.Pass, []string{"not mounted"}, ""},
		{"tokens.yaml", "AKS-WKL-011", "Deployment/web/quiet-sa", check.Pass, []string{"ServiceAccount/web/quiet automountServiceAccountToken: false"}, ""},
		{"tokens.yaml", "AKS-WKL-011", "StatefulSet/web/pod-wins", check.Fail, []string{"spec.template.spec.automountServiceAccountToken: true"}, "or on ServiceAccount web/quiet"},
		{"tokens.yaml", "AKS-WKL-011", "CronJob/web/operator-sync", check.Pass, []string{"RoleBinding/web/operator"}, ""},
		{"tokens.yaml", "AKS-WKL-011", "Deployment/web/unknown-sa", check.NotAssessed, []string{"not-in-scan is not in this scan"}, ""},
		{"subjects.yaml", "AKS-WKL-011", "Deployment/web/plain", check.Status(""), nil, ""}, // no workloads: no result
	}
	for _, tt := range tests {
		t.Run(tt.control+" "+tt.resource+" "+string(tt.want), func(t *testing.T) {
			rs := runKube(loadRBAC(t, tt.file), true, tt.control).Results
			var got []check.Result
			for _, r := range rs {
				if resKey(r.Resource) != tt.resource {
					continue
				}
				text := resultText(r)
				ok := true
				for _, c := range tt.contains {
					if !strings.Contains(text, c) {
						ok = false
					}
				}
				if ok {
					got = append(got, r)
				}
			}
			if tt.want == "" {
				if len(got) > 0 {
					t.Fatalf("want no result, got %v", got)
				}
				return
			}
			if len(got) == 0 {
				var all []string
				for _, r := range rs {
					all = append(all, resKey(r.Resource)+" "+string(r.Status)+": "+resultText(r))
				}
				t.Fatalf("no result on %s containing %q; results:\n%s", tt.resource, tt.contains, strings.Join(all, "\n"))
			}
			for _, r := range got {
				if r.Status != tt.want {
					t.Errorf("status %s, want %s: %s", r.Status, tt.want, resultText(r))
				}
				if r.Source.File == "" || r.Source.Line == 0 {
					t.Errorf("no source location: %+v", r.Source)
				}
				if r.Status == check.Fail || r.Status == check.Waived {
					if r.Remediation == "" {
						t.Errorf("fail without remediation: %s", r.Message)
					}
					if !strings.Contains(r.Remediation, tt.fix) {
						t.Errorf("remediation %q does not contain %q", r.Remediation, tt.fix)
					}
				}
			}
		})
	}
}

// The source line of a binding result is the binding's, even when the
// evidence also points at the role.
func TestRBACSourceLines(t *testing.T) {
	rs := runKube(loadRBAC(t, "bound.yaml"), true, "AKS-RBA-004").Results
	for _, r := range rs {
		if resKey(r.Resource) == "ClusterRoleBinding/monitoring" {
			if !strings.HasSuffix(r.Source.File, "bound.yaml") || r.Source.Line != 166 {
				t.Fatalf("source %s:%d, want bound.yaml:166", r.Source.File, r.Source.Line)
			}
			return
		}
	}
	t.Fatal("no result for ClusterRoleBinding/monitoring")
}

func TestRBACSystemObjects(t *testing.T) {
	inv := loadRBAC(t, "system.yaml")
	all := runKube(inv, true, rbacControls...)
	want := map[string]check.Status{
		"AKS-RBA-001 ClusterRoleBinding/system:controller:custom": check.Fail,
		"AKS-RBA-001 ClusterRoleBinding/aks-service-rolebinding":  check.Fail,
		"AKS-RBA-001 ClusterRoleBinding/cluster-admin":            check.Pass,
		"AKS-RBA-002 RoleBinding/kube-system/coredns-autoscaler":  check.Fail,
		"AKS-RBA-003 ClusterRole/azure-managed-star":              check.Fail,
	}
	seen := map[string]bool{}
	for _, r := range all.Results {
		key := r.Control + " " + resKey(r.Resource)
		if nothingToJudge(r) {
			continue // the engine's answer for a control with nothing to judge
		}
		if !r.System {
			t.Errorf("%s: not marked System", key)
		}
		if st, ok := want[key]; ok {
			seen[key] = true
			if r.Status != st {
				t.Errorf("%s: %s, want %s", key, r.Status, st)
			}
		}
	}
	for k := range want {
		if !seen[k] {
			t.Errorf("%s: no result", k)
		}
	}
	def := runKube(inv, false, rbacControls...)
	judged := 0
	for _, r := range def.Results {
		if !nothingToJudge(r) {
			t.Errorf("system result not excluded by default: %+v", r)
		}
	}
	for _, r := range all.Results {
		if !nothingToJudge(r) {
			judged++
		}
	}
	if def.Excluded != judged {
		t.Errorf("excluded %d, want %d", def.Excluded, judged)
	}
}

// AKS-DSH-002 reports the dashboard's bindings even in kube-system.
func TestDashboardBindingNotSystem(t *testing.T) {
	rs := runKube(loadRBAC(t, "dashboard.yaml"), false, "AKS-DSH-002").Results
	found := false
	for _, r := range rs {
		if resKey(r.Resource) == "RoleBinding/kube-system/kubernetes-dashboard-minimal" && r.Status == check.Fail {
			found = true
		}
	}
	if !found {
		t.Fatalf("kube-system dashboard binding excluded: %v", rs)
	}
	// The other controls still treat the kube-system binding as system.
	for _, r := range runKube(loadRBAC(t, "dashboard.yaml"), false, "AKS-RBA-006").Results {
		if r.Resource.Namespace == "kube-system" {
			t.Errorf("kube-system result not excluded: %s", resultText(r))
		}
	}
}

// IDN-005 names the cluster in the remediation when the scan has exactly one.
func TestIDN005ClusterInFix(t *testing.T) {
	base := loadRBAC(t, "pullsecrets.yaml")
	inv := *base
	inv.Clusters = []*inventory.Cluster{{Name: "prod", ResourceGroup: "rg-prod", ID: "/subscriptions/s/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/prod"}}
	// What the join records for a scan with one cluster.
	inv.KubeOwner = inventory.KubeOwner{Cluster: inv.Clusters[0], Views: inv.Clusters, Reason: "the only cluster in the scan"}
	for _, r := range runKube(&inv, true, "AKS-IDN-005").Results {
		if r.Resource.Name == "acr-pull" {
			if !strings.Contains(r.Remediation, "az aks update -g rg-prod -n prod --attach-acr myregistry") {
				t.Fatalf("remediation %q", r.Remediation)
			}
			return
		}
	}
	t.Fatal("no result for acr-pull")
}

// A scan without Kubernetes input yields no result from these controls.
func TestRBACWithoutKubernetes(t *testing.T) {
	rs := runKube(&inventory.Inventory{}, true, rbacControls...)
	if len(rs.Results) != 0 {
		t.Fatalf("results without Kubernetes input: %v", rs.Results)
	}
}

// TestRBACCorpus runs the controls over real chart output (argo-cd,
// prometheus-community, Bitnami): no panic, complete results, and the
// findings known to be in those charts.
func TestRBACCorpus(t *testing.T) {
	inv := source.Load([]string{filepath.Join("testdata", "corpus-rbac")}, source.Options{})
	if len(inv.Errors) > 0 {
		t.Fatalf("input errors: %v", inv.Errors)
	}
	if n := inv.Kube.Total(); n < 500 {
		t.Fatalf("only %d objects read", n)
	}
	out := runKube(inv, true, rbacControls...)
	count := map[string]map[check.Status]int{}
	for _, r := range out.Results {
		if count[r.Control] == nil {
			count[r.Control] = map[check.Status]int{}
		}
		count[r.Control][r.Status]++
		if nothingToJudge(r) {
			continue
		}
		if r.Resource.Kind == "" || r.Resource.Name == "" || r.Message == "" || r.Source.File == "" || r.Source.Line == 0 {
			t.Errorf("incomplete result: %+v", r)
		}
		if r.Status == check.Fail && r.Remediation == "" {
			t.Errorf("fail without remediation: %s %s", r.Control, resultText(r))
		}
	}
	for _, id := range rbacControls {
		t.Logf("%s: %v", id, count[id])
	}
	find := func(control, resource string, st check.Status) {
		t.Helper()
		for _, r := range out.Results {
			if r.Control == control && resKey(r.Resource) == resource {
				if r.Status != st {
					t.Errorf("%s %s: %s, want %s: %s", control, resource, r.Status, st, resultText(r))
				}
				return
			}
		}
		t.Errorf("%s %s: no result", control, resource)
	}
	// Argo CD's application controller holds * on * cluster-wide through
	// its ServiceAccount: the textbook RBA-001 finding.
	find("AKS-RBA-001", "ClusterRoleBinding/argocd-application-controller", check.Fail)
	find("AKS-RBA-003", "ClusterRole/argocd-application-controller", check.Fail)
	find("AKS-RBA-004", "ClusterRoleBinding/argocd-server", check.Fail)
	// kube-state-metrics lists Secrets cluster-wide.
	find("AKS-RBA-004", "ClusterRoleBinding/prometheus-kube-state-metrics", check.Fail)
	for _, id := range []string{"AKS-RBA-001", "AKS-RBA-003", "AKS-RBA-004", "AKS-RBA-005", "AKS-RBA-006", "AKS-WKL-011"} {
		if count[id][check.Pass] == 0 {
			t.Errorf("%s: no pass over the corpus: %v", id, count[id])
		}
	}
}
