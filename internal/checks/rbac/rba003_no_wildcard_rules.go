package rbac

import (
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/rbacidx"
	"github.com/aksguard/aksguard/internal/inventory"
	rbacv1 "k8s.io/api/rbac/v1"
)

var rba003 = &check.Control{
	ID: "AKS-RBA-003", Title: "No wildcard rules", Severity: check.High, Area: kit.AreaRBAC,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsRBAC,
	Rationale:   "A * in verbs or resources grants today's and every future verb or resource type, including escalate, bind, impersonate and secrets.",
	FailsWhen:   "A Role or ClusterRole has a rule with \"*\" in verbs or in resources.",
	Remediation: "List the verbs and resources the role needs instead of *.",
	References:  rbacReferences,
	Mappings: check.Mappings{
		CIS17: []string{"4.1.3"}, CIS18: []string{"4.1.3"},
		AzurePolicy: []string{
			"ca8d5704-aa2b-40cf-b110-dc19052825ad", // Kubernetes clusters should minimize wildcard use in role and cluster role
		},
	},
	Run: kit.PerKube(runRBA003),
}

func runRBA003(ctx *check.Context, k *inventory.Kube, o *kit.KubeOut) {
	x := rbacidx.For(ctx, k)
	for _, r := range x.InputRoles {
		var ev []kit.Evidence
		var what, nums []string
		for i := range r.Rules {
			rule := &r.Rules[i]
			var w []string
			if rbacidx.HasValue(rule.Verbs, rbacv1.VerbAll) && len(rule.NonResourceURLs) == 0 {
				w = append(w, "* verbs")
			}
			if rbacidx.HasValue(rule.Resources, rbacv1.ResourceAll) {
				w = append(w, "* resources")
			}
			if len(w) == 0 {
				continue
			}
			n := strconv.Itoa(i + 1)
			nums = append(nums, n)
			what = append(what, strings.Join(w, " and ")+" in rule "+n)
			ev = append(ev, kit.KubeEv(r.Meta, "rules["+strconv.Itoa(i)+"]", rbacidx.RuleString(rule)))
		}
		if len(ev) == 0 {
			msg := r.Ref() + " lists its verbs and resources"
			if len(r.Rules) == 0 && r.Aggregation != nil {
				msg = r.Ref() + " is aggregated: its rules come from the ClusterRoles it selects, judged on their own"
			}
			rbacidx.EmitRBAC(o, r.Meta, check.Pass, msg, "")
			continue
		}
		rules := "rule " + nums[0]
		if len(nums) > 1 {
			rules = "rules " + strings.Join(nums, ", ")
		}
		rbacidx.EmitRBAC(o, r.Meta, check.Fail, r.Ref()+" grants "+strings.Join(what, "; "),
			"Remove the wildcard from "+rules+" of "+rbacidx.Named(r.Meta)+": list the verbs and resources it needs.", ev...)
	}
}
