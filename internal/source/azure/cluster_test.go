package azure_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks" // the controls register themselves
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
	"github.com/aksguard/aksguard/internal/source/azure"
	"github.com/aksguard/aksguard/internal/source/azure/armtest"
)

var today = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// evaluate joins live batches like a scan and runs every control.
func evaluate(t *testing.T, batches []*inventory.Batch) (*inventory.Inventory, map[string][]check.Result) {
	t.Helper()
	inv := source.Load(nil, source.Options{Live: batches})
	out := engine.Evaluate(inv, engine.Options{Settings: check.DefaultSettings(), Now: today, IncludeSystem: true})
	by := map[string][]check.Result{}
	for _, r := range out.Results {
		by[r.Control] = append(by[r.Control], r)
	}
	return inv, by
}

func status(t *testing.T, by map[string][]check.Result, control string) check.Result {
	t.Helper()
	rs := by[control]
	if len(rs) == 0 {
		t.Fatalf("%s: no result", control)
	}
	return rs[0]
}

func read(t *testing.T, srv *armtest.Server, opts azure.Options) *azure.Read {
	t.Helper()
	r := srv.NewClient(t, nil).ReadCluster(context.Background(), armtest.ClusterID, opts)
	if r.Err != nil {
		t.Fatalf("ReadCluster: %v", r.Err)
	}
	return r
}

func TestReadClusterJoinsEveryCompanion(t *testing.T) {
	srv := armtest.New(t)
	r := read(t, srv, azure.Options{})
	inv, by := evaluate(t, r.Batches)
	if len(inv.Errors) > 0 {
		t.Fatalf("input errors: %v", inv.Errors)
	}
	if len(inv.Clusters) != 1 {
		t.Fatalf("clusters: %d", len(inv.Clusters))
	}
	c := inv.Clusters[0]
	if len(c.Unread) > 0 {
		t.Errorf("unread companions: %v", c.Unread)
	}
	var pools []string
	for _, p := range c.AgentPools {
		pools = append(pools, p.Name)
	}
	sort.Strings(pools)
	// nodepool1 from the cluster body, agentpool1 and agentpool2 from the
	// two pages of the agent pool list.
	if strings.Join(pools, ",") != "agentpool1,agentpool2,nodepool1" {
		t.Errorf("pools %v", pools)
	}
	if c.Diagnostics == nil || len(c.Diagnostics.Settings) != 1 || c.UpgradeProfile == nil || !c.UpgradeProfile.HaveControlPlane ||
		c.UpgradeProfile.Versions == nil || c.MaintenanceConfigs == nil || !c.MaintenanceConfigs.Authoritative ||
		c.DefenderPricing == nil || len(inv.Registries) != 1 {
		t.Fatalf("companion data not joined: diag=%v upgrade=%v maint=%v pricing=%v registries=%d",
			c.Diagnostics, c.UpgradeProfile, c.MaintenanceConfigs, c.DefenderPricing, len(inv.Registries))
	}
	if got := c.UpgradeProfile.Pools["agentpool2"]; got == nil || got.LatestNodeImageVersion == "" {
		t.Errorf("agentpool2's upgrade profile not joined: %+v", got)
	}
	if !strings.HasPrefix(c.Source.File, "azure:/subscriptions/") {
		t.Errorf("source %q should name the ARM path", c.Source.File)
	}

	for control, want := range map[string]check.Status{
		"AKS-MON-003": check.Pass, // allLogs to a storage account and an event hub
		"AKS-MON-002": check.Pass,
		"AKS-UPG-010": check.Pass, // maintenance configuration "default"
		"AKS-MON-005": check.Fail, // no Defender profile on the cluster
		"AKS-IMG-003": check.Fail, // the registry allows public access and its admin user
		"AKS-UPG-001": check.Fail, // 1.9.6 is long out of support
	} {
		if got := status(t, by, control); got.Status != want {
			t.Errorf("%s: %s (%s), want %s", control, got.Status, got.Message, want)
		}
	}
	// The node image of agentpool1 equals the latest of its upgrade profile.
	for _, res := range by["AKS-UPG-007"] {
		if strings.HasSuffix(res.Resource.Name, "agentpool1") && res.Status != check.Pass {
			t.Errorf("AKS-UPG-007 agentpool1: %s %s", res.Status, res.Message)
		}
	}
	if auth := srv.AuthHeaders(); len(auth) != 1 || auth[0] != "Bearer fake_token" {
		t.Errorf("Authorization headers %v", auth)
	}
}

func TestAgentPoolsFollowNextLink(t *testing.T) {
	srv := armtest.New(t)
	r := read(t, srv, azure.Options{})
	var pools []string
	for _, b := range r.Batches {
		for _, p := range b.Pools {
			pools = append(pools, p.Pool.Name)
		}
	}
	if strings.Join(pools, ",") != "agentpool1,agentpool2" {
		t.Errorf("pools across pages: %v", pools)
	}
	if n := srv.Count("/agentPools"); n != 2 {
		t.Errorf("agent pool list requests: %d, want 2 pages", n)
	}
}

func TestRetryAfter429(t *testing.T) {
	srv := armtest.New(t)
	srv.On(armtest.Rule{Suffix: "/managedClusters/clustername1", Status: http.StatusTooManyRequests, Code: "TooManyRequests",
		Header: http.Header{"Retry-After": {"1"}}, Times: 1})
	r := read(t, srv, azure.Options{}) // azcore's default retry options
	at := srv.Arrivals("/managedClusters/clustername1")
	if len(at) != 2 {
		t.Fatalf("cluster requests: %d, want 2 (429, then the retry)", len(at))
	}
	// A lower bound: load can only make the gap longer.
	if gap := at[1].Sub(at[0]); gap < time.Second {
		t.Errorf("the retry came %v after the 429, before Retry-After's 1s", gap)
	}
	if r.Cluster == nil || r.Cluster.Name != "clustername1" {
		t.Errorf("cluster after retry: %+v", r.Cluster)
	}
}

func TestClusterForbidden(t *testing.T) {
	srv := armtest.New(t)
	srv.On(armtest.Rule{Suffix: "/managedClusters/clustername1", Status: http.StatusForbidden, Code: "AuthorizationFailed"})
	r := srv.NewClient(t, nil).ReadCluster(context.Background(), armtest.ClusterID, azure.Options{})
	if r.Err == nil {
		t.Fatal("no error on 403")
	}
	msg := r.Err.Error()
	for _, want := range []string{"Microsoft.ContainerService/managedClusters/read", "managedClusters/clustername1", "403"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not name %q", msg, want)
		}
	}
	if strings.Contains(msg, "fake_token") || strings.Contains(msg, "api-version") {
		t.Errorf("error leaks a token or the query: %q", msg)
	}
	if n := srv.Count("/agentPools"); n != 0 {
		t.Errorf("companions read after the cluster failed: %d", n)
	}
}

func TestClusterNotFound(t *testing.T) {
	srv := armtest.New(t)
	id := strings.Replace(armtest.ClusterID, "clustername1", "nosuch", 1)
	srv.On(armtest.Rule{Suffix: "/managedClusters/nosuch", Status: http.StatusNotFound, Code: "ResourceNotFound"})
	r := srv.NewClient(t, nil).ReadCluster(context.Background(), id, azure.Options{})
	if r.Err == nil || !strings.Contains(r.Err.Error(), "az aks list") || !strings.Contains(r.Err.Error(), id) {
		t.Fatalf("404 error %v should name the id and suggest az aks list", r.Err)
	}
}

func TestDiagnosticSettingsForbidden(t *testing.T) {
	srv := armtest.New(t)
	srv.On(armtest.Rule{Suffix: "/providers/Microsoft.Insights/diagnosticSettings", Status: http.StatusForbidden, Code: "AuthorizationFailed"})
	r := read(t, srv, azure.Options{})
	if reason := r.Cluster.Unread[inventory.CompanionDiagnostics]; !strings.Contains(reason, "Microsoft.Insights/diagnosticSettings/read") {
		t.Fatalf("unread reason %q", reason)
	}
	inv, by := evaluate(t, r.Batches)
	if len(inv.Errors) > 0 {
		t.Errorf("a 403 on a companion is not an input error: %v", inv.Errors)
	}
	for _, id := range []string{"AKS-MON-002", "AKS-MON-003", "AKS-MON-004"} {
		res := status(t, by, id)
		if res.Status != check.NotAssessed || !strings.Contains(res.Message, "Microsoft.Insights/diagnosticSettings/read") {
			t.Errorf("%s: %s %q, want not-assessed naming the permission", id, res.Status, res.Message)
		}
	}
	// The other companions were still read.
	if res := status(t, by, "AKS-UPG-010"); res.Status != check.Pass {
		t.Errorf("AKS-UPG-010: %s %s", res.Status, res.Message)
	}
}

func TestCompanionNotFoundAndServerError(t *testing.T) {
	srv := armtest.New(t)
	srv.On(armtest.Rule{Suffix: "/maintenanceConfigurations", Status: http.StatusNotFound, Code: "NotFound"})
	srv.On(armtest.Rule{Suffix: "/pricings/Containers", Status: http.StatusForbidden, Code: "AuthorizationFailed"})
	srv.On(armtest.Rule{Suffix: "/upgradeProfiles/default", Status: http.StatusBadRequest, Code: "BadRequest"})
	r := read(t, srv, azure.Options{})
	inv, by := evaluate(t, r.Batches)
	if res := status(t, by, "AKS-UPG-010"); res.Status != check.NotAssessed || !strings.Contains(res.Message, "404") {
		t.Errorf("AKS-UPG-010: %s %q", res.Status, res.Message)
	}
	if res := status(t, by, "AKS-MON-005"); res.Status != check.Fail {
		t.Errorf("AKS-MON-005 without pricing and without the Defender profile: %s %q", res.Status, res.Message)
	}
	if len(inv.Errors) == 0 || !strings.Contains(inv.Errors[0].Message, "/upgradeProfiles/default") {
		t.Errorf("a 400 on a companion should be an input error naming its path: %v", inv.Errors)
	}
}

func TestRegistryHosts(t *testing.T) {
	srv := armtest.New(t)
	r := read(t, srv, azure.Options{RegistryHosts: []string{"docker.io", "ShopProdACR.azurecr.io"}})
	if !strings.Contains(strings.Join(srv.Requests(), "\n"), "GET /subscriptions/"+armtest.Subscription+"/providers/Microsoft.ContainerRegistry/registries") {
		t.Errorf("registries not listed at subscription scope: %v", srv.Requests())
	}
	inv, _ := evaluate(t, r.Batches)
	if len(inv.Registries) != 1 || inv.Registries[0].Name != "shopprodacr" {
		t.Errorf("registries %v", inv.Registries)
	}
	r = read(t, srv, azure.Options{RegistryHosts: []string{"other.azurecr.io"}})
	inv, by := evaluate(t, r.Batches)
	if len(inv.Registries) != 0 {
		t.Errorf("a registry that is not pulled from was kept")
	}
	if res := status(t, by, "AKS-IMG-003"); res.Status != check.NotAssessed || !strings.Contains(res.Message, "other.azurecr.io") {
		t.Errorf("AKS-IMG-003: %s %q", res.Status, res.Message)
	}
}

func TestParseClusterID(t *testing.T) {
	if _, _, _, err := azure.ParseClusterID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/x"); err == nil {
		t.Error("a VM id was accepted")
	}
	s, rg, n, err := azure.ParseClusterID("/subscriptions/s/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/x/")
	if err != nil || s != "s" || rg != "rg" || n != "x" {
		t.Errorf("%s %s %s %v", s, rg, n, err)
	}
	var ae *azure.Error
	if errors.As(errors.New("x"), &ae) {
		t.Error("errors.As on a plain error")
	}
}

func TestDefenderPlan(t *testing.T) {
	srv := armtest.New(t)
	withProfile := func(r *azure.Read) *azure.Read {
		r.Cluster.Defender = inventory.Set(true, "properties.securityProfile.defender.securityMonitoring.enabled", 1)
		return r
	}
	_, by := evaluate(t, withProfile(read(t, srv, azure.Options{})).Batches)
	if res := status(t, by, "AKS-MON-005"); res.Status != check.Pass || !strings.Contains(res.Message, "Standard") {
		t.Errorf("profile on, plan Standard: %s %q", res.Status, res.Message)
	}
	srv.On(armtest.Rule{Suffix: "/pricings/Containers", Status: http.StatusForbidden, Code: "AuthorizationFailed"})
	_, by = evaluate(t, withProfile(read(t, srv, azure.Options{})).Batches)
	if res := status(t, by, "AKS-MON-005"); res.Status != check.NotAssessed || !strings.Contains(res.Message, "Microsoft.Security/pricings/read") {
		t.Errorf("profile on, plan unreadable: %s %q", res.Status, res.Message)
	}
}

func TestPoolUpgradeProfilesForbidden(t *testing.T) {
	srv := armtest.New(t)
	srv.On(armtest.Rule{Suffix: "/agentPools/agentpool1/upgradeProfiles/default", Status: http.StatusForbidden, Code: "AuthorizationFailed"})
	r := read(t, srv, azure.Options{})
	_, by := evaluate(t, r.Batches)
	for _, res := range by["AKS-UPG-007"] {
		if strings.HasSuffix(res.Resource.Name, "/agentpool1") {
			// Without the latest image, the image's build date still decides
			// (2020-03-11 is far too old); the evidence says why the profile
			// is missing.
			evidence := ""
			for _, e := range res.Evidence {
				evidence += e.Path + "=" + e.Value + "; "
			}
			if res.Status != check.Fail || !strings.Contains(evidence, azure.PermPoolUpgrades) {
				t.Errorf("AKS-UPG-007 agentpool1: %s %q %s", res.Status, res.Message, evidence)
			}
			return
		}
	}
	t.Fatalf("no AKS-UPG-007 result for agentpool1: %v", by["AKS-UPG-007"])
}

func TestCredentialFailure(t *testing.T) {
	srv := armtest.New(t)
	cred := &fake.TokenCredential{}
	cred.SetError(errors.New("DefaultAzureCredential: failed to acquire a token"))
	c, err := azure.NewClient(cred, srv.ClientOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	r := c.ReadCluster(context.Background(), armtest.ClusterID, azure.Options{})
	if r.Err == nil || !strings.Contains(r.Err.Error(), "could not authenticate to Azure: run az login") {
		t.Fatalf("error %v", r.Err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent without a token", n)
	}
}

// TestBodyCap: an answer larger than the cap is refused with an error
// naming the path, instead of being read into memory whole.
func TestBodyCap(t *testing.T) {
	srv := armtest.New(t)
	big := append([]byte(`{"id":"x","properties":{"pad":"`), bytes.Repeat([]byte("x"), 33<<20)...)
	big = append(big, `"}}`...)
	srv.On(armtest.Rule{Suffix: "/managedClusters/clustername1", Body: big})
	r := srv.NewClient(t, nil).ReadCluster(context.Background(), armtest.ClusterID, azure.Options{})
	if r.Err == nil || !strings.Contains(r.Err.Error(), "larger than 32 MiB") {
		t.Fatalf("error: %v", r.Err)
	}
}

// TestLiveBodyVerdicts: a live cluster body is a deployed one. A body whose
// properties is not an object is an input error naming the ARM path and
// judges nothing from defaults; one that omits enableRBAC leaves ACC-006
// not-assessed (its default depended on the API version that created the
// cluster).
func TestLiveBodyVerdicts(t *testing.T) {
	const head = `{"id": "` + armtest.ClusterID + `", "name": "clustername1", "location": "location1", "type": "Microsoft.ContainerService/ManagedClusters",`
	tests := []struct {
		name    string
		body    string
		errs    []string
		control string
		want    check.Status
		msg     string
	}{
		{"properties is a string", head + ` "properties": "Succeeded"}`,
			[]string{`managedClusters/clustername1:1: properties is a string ("Succeeded"), not an object`}, "AKS-ACC-006", check.NotAssessed, "cannot be determined"},
		{"enableRBAC omitted", head + ` "properties": {"kubernetesVersion": "1.36.3", "agentPoolProfiles": [{"name": "nodepool1", "osType": "Linux"}]}}`,
			nil, "AKS-ACC-006", check.NotAssessed, "enableRBAC is not in this deployed cluster's body"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := armtest.New(t)
			srv.On(armtest.Rule{Suffix: "/managedClusters/clustername1", Body: []byte(tc.body)})
			r := read(t, srv, azure.Options{})
			inv, by := evaluate(t, r.Batches)
			var errs []string
			for _, e := range inv.Errors {
				errs = append(errs, e.Error())
			}
			if len(errs) != len(tc.errs) {
				t.Fatalf("input errors %q, want %q", errs, tc.errs)
			}
			for i, want := range tc.errs {
				if !strings.Contains(errs[i], want) || !strings.HasPrefix(errs[i], "azure:/subscriptions/") {
					t.Errorf("input error %q, want the ARM path and %q", errs[i], want)
				}
			}
			got := status(t, by, tc.control)
			if got.Status != tc.want || !strings.Contains(got.Message, tc.msg) {
				t.Errorf("%s: %s %q, want %s %q", tc.control, got.Status, got.Message, tc.want, tc.msg)
			}
			for _, res := range by["AKS-NET-007"] {
				if tc.errs != nil && res.Status == check.Pass {
					t.Errorf("AKS-NET-007 passes on a malformed body: %s", res.Message)
				}
			}
		})
	}
}

// TestLiveDuplicateKeys: a live body whose keys fold together with
// different values is refused, naming the ARM path and both lines; no
// cluster is judged from it.
func TestLiveDuplicateKeys(t *testing.T) {
	const head = `{"id": "` + armtest.ClusterID + `", "name": "clustername1", "location": "location1", "type": "Microsoft.ContainerService/ManagedClusters",`
	tests := []struct {
		name, body, err string
	}{
		{"enableRBAC twice", head + "\n" + `"properties": {"enableRBAC": true,` + "\n" + `"enableRBAC": false, "agentPoolProfiles": [{"name": "nodepool1", "osType": "Linux"}]}}`,
			`key "enableRBAC" is given twice in properties (lines 2 and 3)`},
		{"case variants", head + "\n" + `"properties": {"enableRBAC": true,` + "\n" + `"enableRbac": false}}`,
			`keys "enableRBAC" (line 2) and "enableRbac" (line 3) in properties are the same key to Azure`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := armtest.New(t)
			srv.On(armtest.Rule{Suffix: "/managedClusters/clustername1", Body: []byte(tc.body)})
			r := srv.NewClient(t, nil).ReadCluster(context.Background(), armtest.ClusterID, azure.Options{})
			if r.Err == nil || !strings.Contains(r.Err.Error(), tc.err) || !strings.Contains(r.Err.Error(), "/managedClusters/clustername1") {
				t.Fatalf("error %v, want the ARM path and %q", r.Err, tc.err)
			}
			if len(r.Batches) != 0 {
				t.Errorf("%d batches read from a body with conflicting keys", len(r.Batches))
			}
		})
	}
}

// TestLiveWrongTypes: in a live body, a profile, the pool list or the
// add-on map of the wrong JSON type is an input error naming the ARM path,
// and it never makes a control pass that the real body does not pass
// (NET-003 and NET-007 read the pool list and the add-on map). null means
// absent, as az prints it; it too passes nothing the body without the key
// does not.
func TestLiveWrongTypes(t *testing.T) {
	real, err := os.ReadFile("armtest/testdata/managedcluster.json")
	if err != nil {
		t.Fatal(err)
	}
	liveVerdicts := func(t *testing.T, body []byte) (map[string]check.Status, []string) {
		srv := armtest.New(t)
		srv.On(armtest.Rule{Suffix: "/managedClusters/clustername1", Body: body})
		r := read(t, srv, azure.Options{})
		inv, by := evaluate(t, r.Batches)
		out := map[string]check.Status{}
		for control, rs := range by {
			for _, res := range rs {
				if res.Resource.Name != "" && (out[control+" "+res.Resource.Name] != check.Pass) {
					out[control+" "+res.Resource.Name] = res.Status
				}
			}
		}
		var errs []string
		for _, e := range inv.Errors {
			errs = append(errs, e.Error())
		}
		return out, errs
	}
	mutate := func(key string, v any, del bool) []byte {
		var body map[string]any
		if err := json.Unmarshal(real, &body); err != nil {
			t.Fatal(err)
		}
		props := body["properties"].(map[string]any)
		if del {
			delete(props, key)
		} else {
			props[key] = v
		}
		data, _ := json.Marshal(body)
		return data
	}
	base, baseErrs := liveVerdicts(t, real)
	if len(baseErrs) > 0 {
		t.Fatalf("the real body has input errors: %q", baseErrs)
	}
	for _, key := range []string{"agentPoolProfiles", "addonProfiles", "networkProfile", "apiServerAccessProfile", "aadProfile", "securityProfile", "autoUpgradeProfile", "linuxProfile"} {
		var absent map[string]check.Status
		for _, v := range []any{"x", 7, true, nil, []any{map[string]any{"enabled": true}}, map[string]any{"name": "p"}} {
			_, isList := v.([]any)
			_, isObject := v.(map[string]any)
			if key == "agentPoolProfiles" && isList || key != "agentPoolProfiles" && isObject {
				continue // the right kind
			}
			name := fmt.Sprintf("%s=%s", key, jsonOf(v))
			t.Run(name, func(t *testing.T) {
				got, errs := liveVerdicts(t, mutate(key, v, false))
				if v != nil && (len(errs) != 1 || !strings.Contains(errs[0], "properties."+key+" is ") || !strings.HasPrefix(errs[0], "azure:/subscriptions/")) {
					t.Errorf("input errors %q, want one naming the ARM path and properties.%s", errs, key)
				}
				for k, st := range got {
					if st != check.Pass || base[k] == check.Pass {
						continue
					}
					if v == nil {
						if absent == nil {
							absent, _ = liveVerdicts(t, mutate(key, nil, true))
						}
						if absent[k] == check.Pass {
							continue
						}
					}
					t.Errorf("%s passes (%s on the real body)", k, base[k])
				}
			})
		}
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
