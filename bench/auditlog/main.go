// Command auditlog measures the audit-log reader: it writes a generated
// kube-apiserver audit log (JSON lines, a realistic mix: 95 % get, list and
// watch at Metadata level, the rest writes, some with their request body)
// and times source.Load streaming it to an observer that touches every
// event, with the peak RSS.
//
//	go run ./bench/auditlog -gen 1024 -out /tmp/audit-1g.log   # write 1 GiB
//	go run ./bench/auditlog /tmp/audit-1g.log                   # read it
//	GOMAXPROCS=1 go run ./bench/auditlog /tmp/audit-1g.log      # one core
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
)

func main() {
	genMiB := flag.Int("gen", 0, "write a generated log of this many MiB to -out instead of reading")
	out := flag.String("out", "/tmp/audit.log", "where -gen writes")
	flag.Parse()
	if *genMiB > 0 {
		if err := generate(*out, int64(*genMiB)<<20); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: auditlog [-gen MiB -out FILE] | FILE...")
		os.Exit(2)
	}
	var size int64
	for _, p := range flag.Args() {
		if st, err := os.Stat(p); err == nil {
			size += st.Size()
		}
	}
	obs := &touch{}
	start := time.Now()
	inv := source.Load(flag.Args(), source.Options{Audit: obs, MaxScanBytes: 1 << 40})
	elapsed := time.Since(start)
	var events int64
	if inv.Audit != nil {
		for _, in := range inv.Audit.Inputs {
			events += in.Events
		}
	}
	mb := float64(size) / 1e6
	fmt.Printf("%d events (%d observed, %d errors) from %.0f MB in %.2fs: %.0f MB/s with GOMAXPROCS=%d; peak RSS %s\n",
		events, obs.n, len(inv.Errors), mb, elapsed.Seconds(), mb/elapsed.Seconds(), runtime.GOMAXPROCS(0), peakRSS())
}

// touch reads the fields a detection reads, as the audit controls do.
type touch struct {
	n     int64
	bytes int
}

func (t *touch) Observe(ev *inventory.AuditEvent) {
	t.n++
	t.bytes += len(ev.User.Username) + len(ev.Verb) + len(ev.Object.Resource) + len(ev.SourceIPs) + ev.Code
}

// peakRSS reads VmHWM from /proc (Linux); "?" elsewhere.
func peakRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

type user struct {
	name   string
	groups []string
	ua     string
	ip     string
}

var users = []user{
	{"system:serviceaccount:kube-system:coredns", []string{"system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"}, "coredns/v0.0.0 (linux/amd64) kubernetes/$Format", "10.244.0.12"},
	{"system:kube-controller-manager", []string{"system:authenticated"}, "kube-controller-manager/v1.30.5 (linux/amd64) kubernetes/74e84a9/leader-election", "10.224.0.4"},
	{"system:kube-scheduler", []string{"system:authenticated"}, "kube-scheduler/v1.30.5 (linux/amd64) kubernetes/74e84a9/scheduler", "10.224.0.4"},
	{"system:node:aks-system-12345678-vmss000000", []string{"system:nodes", "system:authenticated"}, "kubelet/v1.30.5 (linux/amd64) kubernetes/74e84a9", "10.224.0.5"},
	{"system:serviceaccount:kube-system:konnectivity-agent", []string{"system:serviceaccounts", "system:authenticated"}, "proxy-agent/v0.0.0 (linux/amd64) kubernetes/$Format", "10.244.1.7"},
	{"alice@contoso.com", []string{"aad-admins", "system:authenticated"}, "kubectl/v1.30.1 (linux/amd64) kubernetes/7c48c2b", "203.0.113.10"},
	{"system:serviceaccount:argocd:argocd-application-controller", []string{"system:serviceaccounts", "system:serviceaccounts:argocd", "system:authenticated"}, "argocd-application-controller/v0.0.0 (linux/amd64) kubernetes/$Format", "10.244.2.9"},
}

var resources = []struct{ res, group string }{
	{"pods", ""}, {"configmaps", ""}, {"secrets", ""}, {"nodes", ""}, {"leases", "coordination.k8s.io"},
	{"deployments", "apps"}, {"endpointslices", "discovery.k8s.io"}, {"services", ""}, {"events", ""},
}

// generate writes size bytes (about) of audit events, one per line.
func generate(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	var written int64
	for i := 0; written < size; i++ {
		ui := rng.IntN(len(users))
		u := users[ui]
		r := resources[rng.IntN(len(resources))]
		ns := []string{"default", "kube-system", "payments", "argocd"}[rng.IntN(4)]
		verb := []string{"get", "list", "watch"}[rng.IntN(3)]
		level := "Metadata"
		var body any
		code := 200
		name := fmt.Sprintf("%s-%d", r.res, rng.IntN(500))
		if rng.IntN(100) < 5 {
			verb = []string{"create", "update", "patch", "delete"}[rng.IntN(4)]
			if verb == "create" {
				code = 201
			}
			if rng.IntN(2) == 0 && (r.res == "configmaps" || r.res == "deployments") {
				level = "Request"
				body = map[string]any{"kind": "ConfigMap", "apiVersion": "v1", "metadata": map[string]any{"name": name, "namespace": ns,
					"labels": map[string]string{"app": "web", "team": "payments"}}, "data": map[string]string{"config.yaml": strings.Repeat("key: value\n", 40)}}
			}
		} else if rng.IntN(50) == 0 {
			code = 403
		}
		path := "/api/v1/namespaces/" + ns + "/" + r.res
		if r.group != "" {
			path = "/apis/" + r.group + "/v1/namespaces/" + ns + "/" + r.res
		}
		if verb != "list" && verb != "watch" {
			path += "/" + name
		}
		t := t0.Add(time.Duration(i) * time.Millisecond)
		ev := map[string]any{
			"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": level,
			"auditID": fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", rng.Uint32(), rng.IntN(1<<16), rng.IntN(1<<12), rng.IntN(1<<12), rng.Uint64()&(1<<48-1)),
			"stage":   "ResponseComplete", "requestURI": path, "verb": verb,
			"user":      map[string]any{"username": u.name, "uid": fmt.Sprintf("5f1c%04x-0000-4000-8000-00000000%04x", ui, ui), "groups": u.groups},
			"sourceIPs": []string{u.ip}, "userAgent": u.ua,
			"objectRef":                map[string]any{"resource": r.res, "namespace": ns, "name": name, "apiGroup": r.group, "apiVersion": "v1"},
			"responseStatus":           map[string]any{"metadata": map[string]any{}, "code": code},
			"requestReceivedTimestamp": t.Format("2006-01-02T15:04:05.000000Z"),
			"stageTimestamp":           t.Add(3 * time.Millisecond).Format("2006-01-02T15:04:05.000000Z"),
			"annotations": map[string]string{"authorization.k8s.io/decision": "allow",
				"authorization.k8s.io/reason": "RBAC: allowed by ClusterRoleBinding \"system:" + r.res + "\" of ClusterRole \"system:" + r.res + "\" to User \"" + u.name + "\""},
		}
		if body != nil {
			ev["requestObject"] = body
		}
		b, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		b = append(b, '\n')
		n, err := w.Write(b)
		if err != nil {
			return err
		}
		written += int64(n)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
