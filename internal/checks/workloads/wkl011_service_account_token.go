package workloads

import (
	"sort"
	"strconv"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/rbacidx"
	"github.com/aksguard/aksguard/internal/inventory"
	rbacv1 "k8s.io/api/rbac/v1"
)

var wkl011 = &check.Control{
	ID: "AKS-WKL-011", Title: "Service account token", Severity: check.Low, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.Reads(kit.ReadsRBAC, []string{inventory.ColWorkloads, inventory.ColServiceAccounts}),
	Rationale:   "A mounted token the pod does not need is a credential an attacker in the container can use against the API server, for nothing in return.",
	FailsWhen:   "A workload's token is automounted (neither the pod spec nor its ServiceAccount sets automountServiceAccountToken false; the pod's setting wins) although its ServiceAccount has no role bindings.",
	Remediation: "Set automountServiceAccountToken: false in the pod template (or on the ServiceAccount).",
	References: []string{"https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
		"https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security"},
	// CIS 4.1.6 only. Not mapped: policy 423dd1ba flags every automounted
	// token; this control only tokens whose ServiceAccount has no bindings
	// (weaker).
	Mappings: check.Mappings{
		CIS17: []string{"4.1.6"}, CIS18: []string{"4.1.6"},
	},
	Run: kit.PerKube(runWKL011),
}

func runWKL011(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	x := rbacidx.For(ctx, k)
	// The bindings of an account name in any namespace, once per name:
	// the workloads that set no namespace mostly run as "default", bound
	// in many namespaces of a large input.
	byName := map[string][]string{}
	for _, w := range k.Workloads {
		if x.OwnedByInputWorkload(w) {
			continue
		}
		ns := w.EffectiveNamespace()
		saName := rbacidx.PodServiceAccount(w)
		saPath := w.SpecPath + ".serviceAccountName"
		saVal := saName
		if w.Spec.ServiceAccountName == "" && w.Spec.DeprecatedServiceAccount == "" {
			saVal = "not set (default)"
		}
		ev := []kit.Evidence{kit.KubeEv(&w.Meta, saPath, saVal)}
		podPath := w.SpecPath + ".automountServiceAccountToken"
		state, sa := x.AccountExists(ns, saName)

		var mounted bool
		switch {
		case w.Spec.AutomountServiceAccountToken != nil:
			mounted = *w.Spec.AutomountServiceAccountToken
			ev = append(ev, kit.KubeEv(&w.Meta, podPath, strconv.FormatBool(mounted)))
		case sa != nil && sa.AutomountServiceAccountToken != nil:
			mounted = *sa.AutomountServiceAccountToken
			ev = append(ev, kit.KubeEv(&w.Meta, podPath, "not set"), kit.KubeEv(&sa.Meta, sa.Ref()+" automountServiceAccountToken", strconv.FormatBool(mounted)))
		case sa != nil || state == "implicit":
			mounted = true
			ev = append(ev, kit.KubeEv(&w.Meta, podPath, "not set (true by default)"))
			if sa != nil {
				ev = append(ev, kit.KubeEv(&sa.Meta, sa.Ref()+" automountServiceAccountToken", "not set (true by default)"))
			}
		default:
			rbacidx.EmitRBAC(o, &w.Meta, check.NotAssessed, "ServiceAccount "+ns+"/"+saName+" is not in this scan: whether it disables token automounting cannot be told", "",
				append(ev, kit.KubeEv(&w.Meta, podPath, "not set"))...)
			continue
		}
		if !mounted {
			rbacidx.EmitRBAC(o, &w.Meta, check.Pass, "the service account token is not mounted", "", ev...)
			continue
		}
		bound := saBindings(x, ns, saName)
		if len(bound) > 0 {
			rbacidx.EmitRBAC(o, &w.Meta, check.Pass, "ServiceAccount "+ns+"/"+saName+" has role bindings ("+rbacidx.ListNames(bound, 3)+"): the token may be needed", "", ev...)
			continue
		}
		if !w.NamespaceSet() {
			// kubectl -n X puts the workload (and its account) in X: a
			// binding of the account's name in X would then apply.
			elsewhere, ok := byName[saName]
			if !ok {
				elsewhere = saBindingsByName(x, saName)
				byName[saName] = elsewhere
			}
			if len(elsewhere) > 0 {
				rbacidx.EmitRBAC(o, &w.Meta, check.NotAssessed, "the manifest sets no namespace and ServiceAccount "+saName+" is bound in "+rbacidx.ListNames(elsewhere, 3)+
					": whether this pod's account has bindings depends on the namespace it is applied to", "", ev...)
				continue
			}
		}
		fix := "Set automountServiceAccountToken: false in " + w.SpecPath + " of " + w.Ref()
		if saName != "default" {
			fix += " (or on ServiceAccount " + ns + "/" + saName + " if no pod using it calls the API)"
		}
		rbacidx.EmitRBAC(o, &w.Meta, check.Fail, "the pod mounts a token for ServiceAccount "+ns+"/"+saName+", which no RoleBinding or ClusterRoleBinding in this scan names",
			fix+".", ev...)
	}
}

// saBindings names the bindings that give a ServiceAccount permissions:
// as a subject, or through the system:serviceaccounts groups.
func saBindings(x *rbacidx.Index, ns, name string) []string {
	var out []string
	seen := map[*inventory.RoleBinding]bool{}
	for _, key := range []rbacidx.SubjectRef{
		{Kind: rbacv1.ServiceAccountKind, Namespace: ns, Name: name},
		{Kind: rbacv1.GroupKind, Name: "system:serviceaccounts"},
		{Kind: rbacv1.GroupKind, Name: "system:serviceaccounts:" + ns},
	} {
		for _, bs := range x.BySubject[key] {
			// Every cluster binds all service accounts to the bootstrap
			// discovery roles (system:service-account-issuer-discovery,
			// ...): that is no reason for a pod to hold a token.
			if key.Name == "system:serviceaccounts" && kit.IsSystemRBACName(bs.Binding.Name) {
				continue
			}
			if !seen[bs.Binding] {
				seen[bs.Binding] = true
				out = append(out, bs.Binding.Ref())
			}
		}
	}
	return out
}

// saBindingsByName names the bindings of ServiceAccounts called name in
// any namespace, as "namespace ns (RoleBinding/ns/b)", sorted.
func saBindingsByName(x *rbacidx.Index, name string) []string {
	var out []string
	for _, key := range x.SaSubjects[name] {
		for _, b := range x.BySubject[key] {
			out = append(out, "namespace "+key.Namespace+" ("+b.Binding.Ref()+")")
		}
	}
	sort.Strings(out)
	return out
}
