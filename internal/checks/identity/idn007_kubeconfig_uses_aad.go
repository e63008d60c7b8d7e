package identity

import (
	"slices"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var idn007 = &check.Control{
	ID: "AKS-IDN-007", Title: "Kubeconfig uses AAD, not a client certificate", Severity: check.Medium, Area: kit.AreaIdentity,
	Inputs:      []check.Input{check.K8S},
	Needs:       "a live connection (--kube, --kubeconfig) or a kubeconfig file in the scanned paths",
	Rationale:   "An admin client certificate (system:masters) bypasses RBAC, cannot be revoked short of rotating the cluster CA, and names no person in the audit log; Entra ID sign-in through kubelogin is per user, revocable and subject to Conditional Access.",
	FailsWhen:   "The kubeconfig context used for --kube, or a context of a kubeconfig file in the scanned paths, authenticates with a client certificate in the system:masters group (az aks get-credentials --admin, or local accounts on a cluster without Entra ID). Other methods pass; without a live connection or a kubeconfig file the control is not-assessed.",
	Remediation: "Use Entra ID: az aks get-credentials without --admin, then kubelogin convert-kubeconfig -l azurecli; disable local accounts (az aks update --disable-local-accounts).",
	References:  []string{"https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad", "https://azure.github.io/kubelogin/"},
	Run:         runIDN007,
}

// adminCertNames are the common names AKS gives its admin client
// certificates.
var adminCertNames = []string{"masterclient", "clusterAdmin"}

func runIDN007(ctx *check.Context) []check.Result {
	rs := kubeconfigUsers(ctx.Inv)
	if ctx.Inv.Kube == nil || ctx.Inv.Kube.API == nil {
		return rs
	}
	api := ctx.Inv.Kube.API
	target, res, rgName := liveTarget(ctx.Inv)
	r := check.Result{Resource: res, Source: check.Location{File: api.Kubeconfig}}
	if target != nil {
		r.Resource = kit.ClusterResource(target)
	}
	ctxName := kit.OrPlaceholder(api.Context, "(current)")
	r.Evidence = []check.Evidence{{Path: "kubeconfig context", Value: ctxName}}
	judgeAuth(&r, api.Auth, "context "+ctxName, rgName)
	return append(rs, r)
}

// kubeconfigUsers judges the users of the kubeconfig files of the scan,
// one result per context (a user no context names is judged on its own,
// against the kubeconfig's only cluster entry, if it has one).
func kubeconfigUsers(inv *inventory.Inventory) []check.Result {
	var rs []check.Result
	for _, kc := range inv.Kubeconfigs {
		users := map[string]inventory.ClientAuth{}
		for _, u := range kc.Users {
			users[u.Name] = u.Auth
		}
		used := map[string]bool{}
		judge := func(what, cluster, user string, ev []check.Evidence) {
			a, ok := users[user]
			if !ok {
				a = inventory.ClientAuth{Method: inventory.AuthNone, User: user}
			}
			res, _, rgName := kubeconfigResource(inv, cluster)
			r := check.Result{Resource: res, Source: check.Location{File: kc.Source.File, Line: kc.Source.Line}, Evidence: ev}
			if !ok {
				r.Status = check.NotAssessed
				r.Message = what + " names user " + user + ", which the kubeconfig does not define"
				rs = append(rs, r)
				return
			}
			judgeAuth(&r, a, what, rgName)
			rs = append(rs, r)
		}
		for _, c := range kc.Contexts {
			used[c.User] = true
			judge("kubeconfig "+kc.Source.File+" context "+c.Name, c.Cluster, c.User,
				[]check.Evidence{{Path: "kubeconfig " + kc.Source.File, Value: "context " + c.Name + " (cluster " + c.Cluster + ")"}})
		}
		for _, u := range kc.Users {
			if used[u.Name] {
				continue
			}
			cluster := ""
			if len(kc.Clusters) == 1 {
				cluster = kc.Clusters[0].Name
			}
			judge("kubeconfig "+kc.Source.File+" user "+u.Name, cluster, u.Name,
				[]check.Evidence{{Path: "kubeconfig " + kc.Source.File, Value: "user " + u.Name + " (no context names it)"}})
		}
	}
	return rs
}

// judgeAuth judges one kubeconfig user's authentication for AKS-IDN-007;
// what names it in messages ("context x").
func judgeAuth(r *check.Result, a inventory.ClientAuth, what, rgName string) {
	r.Evidence = append(r.Evidence, check.Evidence{Path: "users[" + kit.OrPlaceholder(a.User, "?") + "]", Value: a.Method})
	switch a.Method {
	case inventory.AuthServiceToken:
		r.Status, r.Message = check.NotApplicable, "aksguard runs in a pod with its service account: no kubeconfig is in use"
	case inventory.AuthClientCert:
		r.Evidence = append(r.Evidence, check.Evidence{Path: "client certificate subject",
			Value: "CN=" + a.CertCommonName + ", O=" + strings.Join(a.CertOrganizations, ",")})
		if slices.Contains(a.CertOrganizations, "system:masters") || slices.Contains(adminCertNames, a.CertCommonName) {
			r.Status = check.Fail
			r.Message = what + " authenticates with a cluster-admin client certificate (" + a.CertCommonName + ", group system:masters): it bypasses RBAC and cannot be revoked"
			r.Remediation = "Sign in with Entra ID: az aks get-credentials " + rgName + " (without --admin), kubelogin convert-kubeconfig -l azurecli; then az aks update " + rgName + " --disable-local-accounts."
		} else {
			r.Status = check.Pass
			r.Message = what + " uses a client certificate (" + a.CertCommonName + ") outside system:masters; Entra ID sign-in would still be revocable where a certificate is not"
		}
	case inventory.AuthExec:
		r.Evidence = append(r.Evidence, check.Evidence{Path: "exec", Value: strings.TrimSpace(a.ExecCommand + " " + strings.Join(a.ExecArgs, " "))})
		r.Status = check.Pass
		r.Message = what + " signs in through the exec plugin " + a.ExecCommand
		if strings.Contains(a.ExecCommand, "kubelogin") {
			r.Message += " (Entra ID)"
		}
	case inventory.AuthProvider:
		r.Status = check.Pass
		r.Message = what + " signs in through the " + a.AuthProvider + " auth provider (legacy: move to kubelogin)"
	default:
		r.Status = check.Pass
		r.Message = what + " authenticates with " + a.Method + ", not a client certificate"
	}
}
