package report

import (
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
)

// fwControls map two controls to CIS AKS 5.4.1 and one to 5.4.4; every
// other recommendation is manual.
func fwControls() []*check.Control {
	return []*check.Control{
		{ID: "AKS-ACC-001", Title: "API server not reachable", Mappings: check.Mappings{CIS18: []string{"5.4.1"}}},
		{ID: "AKS-ACC-002", Title: "Ranges narrow", Mappings: check.Mappings{CIS18: []string{"5.4.1"}}},
		{ID: "AKS-NET-001", Title: "Network policy", Mappings: check.Mappings{CIS18: []string{"5.4.4"}}},
		{ID: "AKS-NET-003", Title: "Unmapped"},
	}
}

var (
	fwA = check.Resource{Kind: "ManagedCluster", ID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-a", Name: "aks-a"}
	fwB = check.Resource{Kind: "ManagedCluster", ID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-b", Name: "aks-b"}
	// fwPoolB is a pool of aks-b with its ID spelled in another case.
	fwPoolB = check.Resource{Kind: "AgentPool", ID: "/subscriptions/s/resourcegroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-b/agentPools/sys", Name: "aks-b/sys"}
	fwPod   = check.Resource{Kind: "Deployment", Namespace: "web", Name: "shop"}
)

func fwRes(control string, r check.Resource, st check.Status) check.Result {
	return check.Result{Control: control, Resource: r, Status: st}
}

func TestFrameworkStatusRules(t *testing.T) {
	type want struct{ s541, s544 string }
	for _, tc := range []struct {
		name    string
		results []check.Result
		counted map[ControlScope]Counted
		want    want
		// clusters is 5.4.1's status per cluster name, "name=status,…".
		clusters string
	}{
		{"every mapped control passed", []check.Result{
			fwRes("AKS-ACC-001", fwA, check.Pass), fwRes("AKS-ACC-002", fwA, check.Pass), fwRes("AKS-NET-001", fwA, check.Pass)},
			nil, want{"pass", "pass"}, ""},
		{"passes only counted", nil, map[ControlScope]Counted{
			{"AKS-ACC-001", fwA.ID}: {Pass: 1}, {"AKS-ACC-002", fwA.ID}: {NotApplicable: 1}, {"AKS-NET-001", fwA.ID}: {Pass: 1}},
			want{"pass", "pass"}, ""},
		{"fail beats not-assessed", []check.Result{
			fwRes("AKS-ACC-001", fwA, check.NotAssessed), fwRes("AKS-ACC-002", fwA, check.Fail), fwRes("AKS-NET-001", fwA, check.Pass)},
			nil, want{"fail", "pass"}, ""},
		{"not-assessed beats pass", []check.Result{
			fwRes("AKS-ACC-001", fwA, check.Pass), fwRes("AKS-ACC-002", fwA, check.NotAssessed), fwRes("AKS-NET-001", fwA, check.NotAssessed)},
			nil, want{"not-assessed", "not-assessed"}, ""},
		{"waived between not-assessed and pass", []check.Result{
			fwRes("AKS-ACC-001", fwA, check.Waived), fwRes("AKS-ACC-002", fwA, check.Pass), fwRes("AKS-NET-001", fwA, check.Pass)},
			nil, want{"waived", "pass"}, ""},
		{"not-applicable only when every control is", []check.Result{
			fwRes("AKS-ACC-001", fwA, check.NotApplicable), fwRes("AKS-ACC-002", fwA, check.NotApplicable), fwRes("AKS-NET-001", fwA, check.Pass)},
			nil, want{"not-applicable", "pass"}, ""},
		{"a mapped control without results is not-assessed", []check.Result{
			fwRes("AKS-ACC-001", fwA, check.Pass)},
			nil, want{"not-assessed", "not-assessed"}, ""},
		{"a failure on one object fails the item", []check.Result{
			fwRes("AKS-ACC-001", fwA, check.Pass), fwRes("AKS-ACC-002", fwA, check.Pass), fwRes("AKS-NET-001", fwPod, check.Fail)},
			map[ControlScope]Counted{{"AKS-NET-001", ""}: {Pass: 40}}, want{"pass", "fail"}, ""},
		{"per cluster: a pass on one cluster does not cover the other", []check.Result{
			fwRes("AKS-ACC-001", fwB, check.Fail), fwRes("AKS-ACC-002", fwPoolB, check.NotAssessed)},
			map[ControlScope]Counted{{"AKS-ACC-001", fwA.ID}: {Pass: 1}, {"AKS-ACC-002", fwA.ID}: {Pass: 1}, {"AKS-NET-001", fwA.ID}: {Pass: 1}, {"AKS-NET-001", fwB.ID}: {Pass: 1}},
			want{"fail", "pass"}, "aks-a=pass,aks-b=fail"},
		{"per cluster: a cluster missing a control's result is not-assessed", []check.Result{
			fwRes("AKS-ACC-001", fwA, check.Pass), fwRes("AKS-ACC-002", fwA, check.Pass), fwRes("AKS-ACC-001", fwB, check.Pass),
			fwRes("AKS-NET-001", fwA, check.Pass), fwRes("AKS-NET-001", fwB, check.Pass)},
			nil, want{"not-assessed", "pass"}, "aks-a=pass,aks-b=not-assessed"},
		{"per cluster: a fleet cluster that could not be read is not-assessed", []check.Result{
			fwRes("AKS-ACC-001", fwA, check.Pass), fwRes("AKS-ACC-002", fwA, check.Pass), fwRes("AKS-NET-001", fwA, check.Pass),
			fwRes("AKS-ACC-001", fwPod, check.Pass)},
			nil, want{"not-assessed", "not-assessed"}, "aks-a=pass,aks-b=not-assessed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &Report{Results: tc.results, Counted: tc.counted}
			if strings.Contains(tc.name, "could not be read") {
				r.Clusters = []ClusterSummary{{ID: fwA.ID, Name: "aks-a"}, {ID: fwB.ID, Name: "aks-b", Error: "forbidden"}}
			}
			v, err := FrameworkFor(r, "cis-aks-1.8", fwControls())
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]FrameworkItem{}
			for _, it := range v.Items {
				got[it.ID] = it
			}
			if g := (want{got["5.4.1"].Status, got["5.4.4"].Status}); g != tc.want {
				t.Errorf("5.4.1, 5.4.4 = %v, want %v", g, tc.want)
			}
			var cl []string
			for _, c := range got["5.4.1"].Clusters {
				cl = append(cl, c.Name+"="+c.Status)
			}
			if strings.Join(cl, ",") != tc.clusters {
				t.Errorf("5.4.1 per cluster = %q, want %q", strings.Join(cl, ","), tc.clusters)
			}
			// Every other judged item is manual, with its id and title.
			manual := 0
			for _, it := range v.Items {
				if it.ID == "5.4.1" || it.ID == "5.4.4" {
					continue
				}
				if it.Status != ItemManual || it.Title == "" || len(it.Controls) != 0 {
					t.Errorf("item %s: %+v, want manual", it.ID, it)
				}
				manual++
			}
			if manual != 49 || v.Summary[ItemManual] != 49 {
				t.Errorf("%d manual items (summary %d), want 49", manual, v.Summary[ItemManual])
			}
		})
	}
}

// TestFrameworkCounts: a control's counts add its kept and counted results.
func TestFrameworkCounts(t *testing.T) {
	r := &Report{
		Results: []check.Result{fwRes("AKS-ACC-001", fwA, check.Fail), fwRes("AKS-ACC-001", fwPod, check.Waived)},
		Counted: map[ControlScope]Counted{{"AKS-ACC-001", fwA.ID}: {Pass: 2, NotApplicable: 1}},
	}
	v, err := FrameworkFor(r, "cis-aks-1.8", fwControls())
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range v.Items {
		if it.ID != "5.4.1" {
			continue
		}
		if len(it.Controls) != 2 {
			t.Fatalf("controls %+v", it.Controls)
		}
		if c := it.Controls[0]; c.ID != "AKS-ACC-001" || c.Counts != (ControlCounts{Pass: 2, Fail: 1, NotApplicable: 1, Waived: 1}) || c.Status != "fail" {
			t.Errorf("AKS-ACC-001: %+v", c)
		}
		if c := it.Controls[1]; c.ID != "AKS-ACC-002" || c.Status != "not-assessed" || c.Reason != noResult {
			t.Errorf("AKS-ACC-002 without results: %+v", c)
		}
	}
}

func TestFrameworkUnknownName(t *testing.T) {
	if _, err := FrameworkFor(&Report{}, "pci", fwControls()); err == nil || !strings.Contains(err.Error(), "cis-aks-1.8, cis-aks-1.7, azure-policy") {
		t.Errorf("error %v, want one naming the frameworks", err)
	}
}

func TestClusterOf(t *testing.T) {
	for _, tc := range []struct {
		r    check.Resource
		want string
	}{
		{fwA, fwA.ID},
		{fwPoolB, "/subscriptions/s/resourcegroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-b"},
		{check.Resource{Kind: "AgentPool", Name: "aks-c/user"}, "aks-c"},
		{check.Resource{Kind: "ManagedCluster", Name: "aks-c"}, "aks-c"},
		{check.Resource{Kind: "Cluster", Name: "kubernetes"}, ""},
		{check.Resource{Kind: "Cluster", ID: fwA.ID, Name: "aks-a"}, fwA.ID},
		{fwPod, ""},
		{check.Resource{Kind: "ContainerRegistry", ID: "/subscriptions/s/x/registries/acr", Name: "acr"}, ""},
	} {
		if got := ClusterOf(check.Result{Resource: tc.r}); got != tc.want {
			t.Errorf("ClusterOf(%+v) = %q, want %q", tc.r, got, tc.want)
		}
	}
}
