package e2e

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// The kube-apiserver of the tests runs without nodes. For exec, attach,
// port-forward and the service proxy to answer as in a cluster, the test
// gives it what it proxies to: a Node whose kubelet is a local TLS server
// that accepts the stream upgrade (101), and Endpoints for the dashboard's
// Service that lead to a local TLS server answering like the dashboard.
// The API server refuses to proxy to loopback addresses, so both listen
// on the machine's first non-loopback IPv4 address.

const (
	auditNode    = "aks-nodepool1-12345678-vmss000000"
	dashboardPod = "kubernetes-dashboard-7d8b9c5f4-x2k9q"
)

// hostIP is the machine's first non-loopback IPv4 address.
func hostIP(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	t.Fatal("the machine has no non-loopback IPv4 address for the API server to proxy to")
	return ""
}

// serveTLS starts a TLS server (HTTP/1.1 only: stream upgrades) on ip.
func serveTLS(t *testing.T, ip string, h http.Handler) int {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener = l
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return l.Addr().(*net.TCPAddr).Port
}

// fakeKubelet accepts every exec, attach and port-forward stream upgrade
// (the kubelet's /exec, /attach and /portForward paths) and closes it.
func fakeKubelet(rw http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/exec/") && !strings.HasPrefix(p, "/attach/") && !strings.HasPrefix(p, "/portForward/") {
		http.NotFound(rw, r)
		return
	}
	conn, buf, err := rw.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	proto := r.Header.Get("X-Stream-Protocol-Version")
	if i := strings.IndexByte(proto, ','); i >= 0 {
		proto = strings.TrimSpace(proto[:i])
	}
	fmt.Fprintf(buf, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: %s\r\nX-Stream-Protocol-Version: %s\r\n\r\n",
		r.Header.Get("Upgrade"), proto)
	_ = buf.Flush()
}

func fakeDashboard(rw http.ResponseWriter, _ *http.Request) {
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(rw, `<!doctype html><html><head><title>Kubernetes Dashboard</title></head><body><kd-root></kd-root></body></html>`)
}

// setupBackends registers the node of the pod "web" and the dashboard's
// endpoints (as the admin, before the runs).
func setupBackends(t *testing.T, admin *rest.Config) {
	t.Helper()
	ip := hostIP(t)
	kubelet := serveTLS(t, ip, http.HandlerFunc(fakeKubelet))
	dash := serveTLS(t, ip, http.HandlerFunc(fakeDashboard))
	dyn, err := dynamic.NewForConfig(admin)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	nodes := dyn.Resource(schema.GroupVersionResource{Version: "v1", Resource: "nodes"})
	node := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Node",
		"metadata": map[string]any{"name": auditNode, "labels": map[string]any{"kubernetes.azure.com/agentpool": "nodepool1"}}}}
	created, err := nodes.Create(ctx, node, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	created.Object["status"] = map[string]any{
		"addresses":       []any{map[string]any{"type": "InternalIP", "address": ip}},
		"daemonEndpoints": map[string]any{"kubeletEndpoint": map[string]any{"Port": int64(kubelet)}},
		"conditions":      []any{map[string]any{"type": "Ready", "status": "True", "reason": "KubeletReady"}},
	}
	if _, err := nodes.UpdateStatus(ctx, created, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	// The API server proxies only to endpoints that are pods with that
	// address.
	pods := dyn.Resource(schema.GroupVersionResource{Version: "v1", Resource: "pods"}).Namespace("kubernetes-dashboard")
	dashPod := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Pod",
		"metadata": map[string]any{"name": dashboardPod, "namespace": "kubernetes-dashboard", "labels": map[string]any{"k8s-app": "kubernetes-dashboard"}},
		"spec": map[string]any{"nodeName": auditNode, "automountServiceAccountToken": false,
			"containers": []any{map[string]any{"name": "kubernetes-dashboard", "image": "docker.io/kubernetesui/dashboard:v2.7.0",
				"ports": []any{map[string]any{"containerPort": int64(8443), "protocol": "TCP"}}}}}}}
	createdPod, err := pods.Create(ctx, dashPod, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	createdPod.Object["status"] = map[string]any{"phase": "Running", "podIP": ip, "podIPs": []any{map[string]any{"ip": ip}}, "hostIP": ip}
	if _, err := pods.UpdateStatus(ctx, createdPod, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	target := map[string]any{"kind": "Pod", "namespace": "kubernetes-dashboard", "name": dashboardPod}
	eps := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Endpoints",
		"metadata": map[string]any{"name": "kubernetes-dashboard", "namespace": "kubernetes-dashboard"},
		"subsets": []any{map[string]any{"addresses": []any{map[string]any{"ip": ip, "targetRef": target}},
			"ports": []any{map[string]any{"name": "", "port": int64(dash), "protocol": "TCP"}}}}}}
	if _, err := dyn.Resource(schema.GroupVersionResource{Version: "v1", Resource: "endpoints"}).Namespace("kubernetes-dashboard").
		Create(ctx, eps, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	slice := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
		"metadata": map[string]any{"name": "kubernetes-dashboard-abcde", "namespace": "kubernetes-dashboard",
			"labels": map[string]any{"kubernetes.io/service-name": "kubernetes-dashboard", "endpointslice.kubernetes.io/managed-by": "aksguard-test"}},
		"addressType": "IPv4",
		"endpoints":   []any{map[string]any{"addresses": []any{ip}, "conditions": map[string]any{"ready": true}, "targetRef": target}},
		"ports":       []any{map[string]any{"name": "", "port": int64(dash), "protocol": "TCP"}}}}
	if _, err := dyn.Resource(schema.GroupVersionResource{Group: "discovery.k8s.io", Version: "v1", Resource: "endpointslices"}).
		Namespace("kubernetes-dashboard").Create(ctx, slice, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// The API server learns EndpointSlices through an informer: wait
	// (not a speed assertion) until it proxies.
	hc, err := rest.HTTPClientFor(admin)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		last := ""
		resp, err := hc.Get(strings.TrimSuffix(admin.Host, "/") + "/api/v1/namespaces/kubernetes-dashboard/services/https:kubernetes-dashboard:/proxy/")
		if err == nil {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = fmt.Sprintf("%d %s", resp.StatusCode, b)
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			t.Fatalf("the API server never proxied to the dashboard's endpoints: %s", last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// upgrade sends a stream upgrade request (SPDY, as kubectl exec, attach
// and port-forward do) over HTTP/1.1 and returns the answer's status.
func (c *client) upgrade(code int, path string, cfg *rest.Config) {
	c.t.Helper()
	tc, err := rest.TLSConfigFor(cfg)
	if err != nil {
		c.t.Fatal(err)
	}
	tc.NextProtos = []string{"http/1.1"}
	host := strings.TrimPrefix(c.host, "https://")
	conn, err := tls.Dial("tcp", host, tc)
	if err != nil {
		c.t.Fatal(err)
	}
	defer conn.Close()
	proto := "v4.channel.k8s.io"
	if strings.Contains(path, "/portforward") {
		proto = "portforward.k8s.io"
	}
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: %s\r\nContent-Length: 0\r\n\r\n",
		path, host, c.ua, proto)
	br := bufio.NewReader(conn)
	line, err := br.ReadString('\n')
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	f := strings.Fields(line)
	if len(f) < 2 {
		c.t.Fatalf("POST %s: %q", path, line)
	}
	if got, _ := strconv.Atoi(f[1]); got != code {
		rest := make([]byte, 2048)
		n, _ := io.ReadAtLeast(br, rest, 1)
		c.t.Fatalf("POST %s as %s: %s, want %d: %s", path, c.ua, strings.TrimSpace(line), code, rest[:n])
	}
}
