package kubeapi_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
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

// TestReadLimits: a page over the byte cap is asked for again with a
// smaller limit and read whole; a server that answers a page larger than
// the cap whatever the limit, and a kind with more objects than the cap,
// mark their kinds unread — the read's memory is bounded by the caps, not
// by what the server sends.
func TestReadLimits(t *testing.T) {
	c := testkube.NewCluster(t, testkube.Config(t))
	defer c.Cleanup()
	pad := strings.Repeat("x", 10<<10)
	var cms []*unstructured.Unstructured
	for i := 0; i < 40; i++ {
		cms = append(cms, &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
			"metadata": map[string]any{"name": fmt.Sprintf("big-%02d", i), "namespace": "caps"},
			"data":     map[string]any{"pad": pad}}})
	}
	c.CreateParallel(cms)

	var podLimits []string
	var mu sync.Mutex
	huge := `{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[` + strings.TrimSuffix(strings.Repeat(`{"metadata":{"name":"p","namespace":"caps"}},`, 20000), ",") + `]}`
	cfg := proxy(t, func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/api/v1/pods" {
			return false
		}
		// A server that ignores limit: every answer is the same huge page.
		mu.Lock()
		podLimits = append(podLimits, r.URL.Query().Get("limit"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, huge)
		return true
	})
	inv, stats := readLive(t, cfg, kubeapi.Options{PageSize: 16, MaxPageBytes: 96 << 10})
	u := inv.Kube.Unread
	if !strings.Contains(u[inventory.ColWorkloads], "one page of pods was larger than 96 KiB even with a limit of 1") {
		t.Errorf("workloads: %q", u[inventory.ColWorkloads])
	}
	if got := strings.Join(podLimits, ","); got != "16,8,4,2,1" {
		t.Errorf("pod page limits asked: %s, want the limit halved down to 1", got)
	}
	if reason, ok := u[inventory.ColConfigMaps]; ok {
		t.Errorf("configmaps should be read whole with smaller pages: %q", reason)
	}
	n := 0
	for _, cm := range inv.Kube.ConfigMaps {
		if cm.Namespace == "caps" {
			n++
		}
	}
	if n != 40 {
		t.Errorf("configmaps of namespace caps read: %d, want 40", n)
	}
	if stats.Objects["configmaps"] < 40 {
		t.Errorf("stats: %v", stats.Objects)
	}

	inv, _ = readLive(t, testkube.Config(t), kubeapi.Options{MaxObjects: 39})
	if !strings.Contains(inv.Kube.Unread[inventory.ColConfigMaps], "more than 39 objects of configmaps") {
		t.Errorf("configmaps over --kube-max-objects: %q", inv.Kube.Unread[inventory.ColConfigMaps])
	}
}

// TestReadNothingReadable: an identity that may read nothing at all gets an
// error (the scan could not do what was asked), not a report of
// not-assessed results that exits 0.
func TestReadNothingReadable(t *testing.T) {
	cfg := proxy(t, func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/version" {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","message":"forbidden","reason":"Forbidden","code":403}`)
		return true
	})
	o := kubeapi.Options{Config: cfg}
	conn, err := kubeapi.Connect(o)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = kubeapi.Read(context.Background(), conn, o)
	if err == nil || !strings.Contains(err.Error(), "no kind could be read") || !strings.Contains(err.Error(), "forbidden") {
		t.Fatalf("error: %v", err)
	}
}
