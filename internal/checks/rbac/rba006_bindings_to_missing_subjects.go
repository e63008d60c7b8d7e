package rbac

import (
	"strconv"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/rbacidx"
	"github.com/aksguard/aksguard/internal/inventory"
	rbacv1 "k8s.io/api/rbac/v1"
)

var rba006 = &check.Control{
	ID: "AKS-RBA-006", Title: "Bindings to missing subjects", Severity: check.Low, Area: kit.AreaRBAC,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.Reads(kit.ReadsRBAC, []string{inventory.ColNamespaces, inventory.ColServiceAccounts}),
	Rationale:   "A binding to a ServiceAccount that does not exist hands its permissions to whoever creates an account of that name later.",
	FailsWhen:   "A binding's ServiceAccount subject does not exist (every namespace's default exists); a live scan, which lists every namespace, also fails a subject in a namespace that does not exist, where a manifests scan is not-assessed.",
	Remediation: "Remove the subject (or the binding), or create the ServiceAccount it was meant for.",
	References:  rbacReferences,
	Run:         kit.PerKube(runRBA006),
}

func runRBA006(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	x := rbacidx.For(ctx, k)
	for _, b := range rbacidx.AllBindings(k) {
		for i, s := range b.Subjects {
			key := rbacidx.SubjectKey(b, s)
			if key.Kind != rbacv1.ServiceAccountKind {
				continue
			}
			ev := rbacidx.SubjectEv(b, i)
			removeFix := "Remove subject " + key.Describe() + " from " + rbacidx.Named(&b.Meta)
			if len(b.Subjects) == 1 {
				removeFix += " (" + rbacidx.DeleteCmd(&b.Meta) + ")"
			}
			if key.Namespace == "" {
				rbacidx.EmitRBAC(o, &b.Meta, check.Fail, rbacidx.Named(&b.Meta)+" names ServiceAccount "+key.Name+" without a namespace: the API server rejects the binding",
					"Set subjects["+strconv.Itoa(i)+"].namespace in "+rbacidx.Named(&b.Meta)+".", ev)
				continue
			}
			state, sa := x.AccountExists(key.Namespace, key.Name)
			switch state {
			case "yes":
				rbacidx.EmitRBAC(o, &b.Meta, check.Pass, key.Describe()+" exists", "", ev, kit.KubeEv(&sa.Meta, sa.Ref(), "exists"))
			case "implicit":
				rbacidx.EmitRBAC(o, &b.Meta, check.Pass, key.Describe()+" exists: every namespace has a default ServiceAccount", "", ev)
			case "unset":
				rbacidx.EmitRBAC(o, &b.Meta, check.NotAssessed, "ServiceAccount "+key.Name+" is in this scan without metadata.namespace: it exists in "+key.Namespace+" only if applied there", "",
					ev, kit.KubeEv(&sa.Meta, "ServiceAccount "+sa.Name+" metadata.namespace", inventory.NamespaceUnset))
			case "unknown":
				if k.API != nil {
					// A live scan lists every namespace: this one does not exist.
					rbacidx.EmitRBAC(o, &b.Meta, check.Fail, key.Describe()+" does not exist (the cluster has no namespace "+key.Namespace+"): "+rbacidx.Named(&b.Meta)+" grants "+b.RoleRef.Kind+" "+b.RoleRef.Name+" to whoever creates them",
						removeFix+", or create the namespace and ServiceAccount if they are missing by mistake.", ev)
					continue
				}
				rbacidx.EmitRBAC(o, &b.Meta, check.NotAssessed, "namespace "+key.Namespace+" is not in this scan: whether "+key.Describe()+" exists cannot be told from these manifests (scan its manifests or the live cluster)", "", ev)
			default:
				rbacidx.EmitRBAC(o, &b.Meta, check.Fail, key.Describe()+" does not exist: "+rbacidx.Named(&b.Meta)+" grants "+b.RoleRef.Kind+" "+b.RoleRef.Name+" to whoever creates it",
					removeFix+", or create the ServiceAccount if it is missing by mistake.", ev)
			}
		}
	}
}
