package kubeapi_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/rest"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/kubeapi"
	"github.com/aksguard/aksguard/internal/testkube"
)

// proxy puts a plain-HTTP proxy in front of the test server (with the
// admin's credentials) whose handler can delay or fail chosen requests.
func proxy(t *testing.T, intercept func(w http.ResponseWriter, r *http.Request) bool) *rest.Config {
	t.Helper()
	admin := testkube.Config(t)
	tr, err := rest.TransportFor(admin)
	if err != nil {
		t.Fatal(err)
	}
	target, _ := url.Parse(admin.Host)
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.Transport = tr
	rp.ErrorLog = log.New(io.Discard, "", 0)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if intercept(w, r) {
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &rest.Config{Host: srv.URL}
}

// TestPartialReads: a list that times out, one that breaks off after its
// first page and a continue token that expires are reported, never passed.
func TestPartialReads(t *testing.T) {
	c := testkube.NewCluster(t, testkube.Config(t))
	defer c.Cleanup()
	var cms []*unstructured.Unstructured
	for i := 0; i < 30; i++ {
		cms = append(cms, &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
			"metadata": map[string]any{"name": fmt.Sprintf("cm-%02d", i), "namespace": "partial"}}})
	}
	c.CreateParallel(cms)
	c.Create(testkube.Objects(t, "../../../examples/insecure/k8s/shop.yaml"))

	var expired atomic.Bool
	cfg := proxy(t, func(w http.ResponseWriter, r *http.Request) bool {
		cont := r.URL.Query().Get("continue")
		switch {
		case r.URL.Path == "/apis/apps/v1/deployments":
			<-r.Context().Done() // hangs until the read's timeout gives up
		case r.URL.Path == "/api/v1/configmaps" && cont != "":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","message":"etcd is sad","reason":"InternalError","code":500}`)
			return true
		case r.URL.Path == "/api/v1/serviceaccounts" && cont != "" && !expired.Swap(true):
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusGone)
			fmt.Fprint(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","message":"The provided continue parameter is too old","reason":"Expired","code":410}`)
			return true
		}
		return false
	})
	// The timeout only has to outlast the other lists (a few dozen small
	// pages), generously, so that a saturated machine still reads them all.
	inv, _ := readLive(t, cfg, kubeapi.Options{Timeout: 8 * time.Second, PageSize: 10})
	u := inv.Kube.Unread
	if !strings.Contains(u[inventory.ColWorkloads], "timed out listing deployments") {
		t.Errorf("workloads: %q", u[inventory.ColWorkloads])
	}
	if !strings.Contains(u[inventory.ColConfigMaps], "listing configmaps broke off after 10 objects") {
		t.Errorf("configmaps: %q", u[inventory.ColConfigMaps])
	}
	if _, ok := u[inventory.ColServiceAccounts]; ok {
		t.Errorf("an expired continue token should restart the list once: %q", u[inventory.ColServiceAccounts])
	}
	for _, r := range evaluate(inv) {
		if (r.Control == "AKS-WKL-001" || r.Control == "AKS-SEC-001") && r.Status != check.NotAssessed {
			t.Errorf("%s is %s on a partial read", r.Control, r.Status)
		}
	}
}
