package source

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The offline test renders hostile charts and kustomizations in a child
// process (this test binary run again) whose PATH holds only fake git, ssh,
// helm and kustomize programs that record being run, whose proxies and
// kubeconfig point at a local listener that records every connection, and
// whose "remote" references name that listener. Any exec or dial fails the
// test.
const offlineChildEnv = "AKSGUARD_OFFLINE_CHILD"

type offlineResult struct {
	Errors []string `json:"errors"`
	Canary bool     `json:"canary"`
	Output string   `json:"output"`
}

// TestOfflineChild is the child's body: it loads each case beside the
// canary kustomization and prints what it found.
func TestOfflineChild(t *testing.T) {
	spec := os.Getenv(offlineChildEnv)
	if spec == "" {
		t.Skip("run by TestRenderStaysOffline")
	}
	var cases map[string]string // name -> dir
	var canary string
	parts := strings.SplitN(spec, "\n", 2)
	canary = parts[0]
	if err := json.Unmarshal([]byte(parts[1]), &cases); err != nil {
		t.Fatal(err)
	}
	out := map[string]offlineResult{}
	for name, dir := range cases {
		inv := Load([]string{dir, canary}, Options{})
		var r offlineResult
		for _, e := range inv.Errors {
			r.Errors = append(r.Errors, e.Error())
		}
		if inv.Kube != nil {
			for _, w := range inv.Kube.Workloads {
				if w.Name == "canary" {
					r.Canary = true
				}
				for k, v := range w.Annotations {
					r.Output += k + "=" + v + "\n"
				}
			}
		}
		out[name] = r
	}
	b, _ := json.Marshal(out)
	fmt.Println("OFFLINE-RESULT " + string(b))
}

const canaryDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: canary}
spec:
  selector: {matchLabels: {app: canary}}
  template:
    metadata: {labels: {app: canary}}
    spec: {containers: [{name: c, image: nginx}]}
`

func TestRenderStaysOffline(t *testing.T) {
	if os.Getenv(offlineChildEnv) != "" {
		t.Skip("child")
	}
	// The listener every dial would reach: directly ("remote" hosts name
	// it), through the proxies, or through the kubeconfig.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	dials := 0
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			dials++
			mu.Unlock()
			c.Close()
		}
	}()
	host := ln.Addr().String()
	remote := "https://" + host

	// The programs kustomize or helm could run: each records its run.
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	ran := filepath.Join(tmp, "ran")
	for _, prog := range []string{"git", "ssh", "helm", "kustomize", "kubectl", "sh", "bash"} {
		writeFile(t, filepath.Join(bin, prog), "#!/bin/sh\necho "+prog+" \"$@\" >> "+ran+"\nexit 1\n")
		if err := os.Chmod(filepath.Join(bin, prog), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	kubeconfig := filepath.Join(tmp, "kubeconfig")
	writeFile(t, kubeconfig, fmt.Sprintf(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: %q, insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`, remote))

	// The scanned repository: a .git makes it the scan root; outside/
	// lies beyond it.
	repo := filepath.Join(tmp, "repo")
	writeFile(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	outside := filepath.Join(tmp, "outside")
	writeFile(t, filepath.Join(outside, "kustomization.yaml"), "resources: [secret.yaml]\n")
	writeFile(t, filepath.Join(outside, "secret.yaml"), canaryDeployment)
	canary := filepath.Join(repo, "canary")
	writeFile(t, filepath.Join(canary, "kustomization.yaml"), "resources: [deploy.yaml]\n")
	writeFile(t, filepath.Join(canary, "deploy.yaml"), canaryDeployment)

	// Kustomizations: field -> the kustomization referring to a remote.
	kust := map[string]struct{ body, field string }{
		"resources https":             {"resources: [" + remote + "/r.yaml]\n", "resources"},
		"resources scp-style":         {"resources: ['git@" + host + ":org/repo']\n", "resources"},
		"resources scp no user":       {"resources: ['" + strings.Replace(host, ":", "-", 1) + ":org/repo//base']\n", "resources"},
		"resources git::":             {"resources: ['git::" + remote + "/org/repo//base?ref=v1']\n", "resources"},
		"resources github.com":        {"resources: ['github.com/org/repo/base?ref=v1']\n", "resources"},
		"resources ssh://":            {"resources: ['ssh://git@" + host + "/org/repo.git']\n", "resources"},
		"resources file:// out":       {"resources: ['file://" + outside + "']\n", "resources"},
		"resources ../ out":           {"resources: [../../../../outside]\n", ""},
		"resources absolute":          {"resources: ['" + filepath.Join(outside, "secret.yaml") + "']\n", "resources"},
		"bases":                       {"bases: [" + remote + "/org/repo]\n", "bases"},
		"components":                  {"components: ['git@" + host + ":org/comp']\n", "components"},
		"crds":                        {"crds: [" + remote + "/crd.yaml]\n", "crds"},
		"configurations":              {"configurations: [" + remote + "/c.yaml]\n", "configurations"},
		"patches":                     {"resources: [d.yaml]\npatches: [{path: " + remote + "/p.yaml}]\n", "path"},
		"patchesStrategicMerge":       {"resources: [d.yaml]\npatchesStrategicMerge: [" + remote + "/p.yaml]\n", "patchesStrategicMerge"},
		"patchesJson6902":             {"resources: [d.yaml]\npatchesJson6902: [{path: " + remote + "/p.yaml, target: {kind: Deployment, name: canary}}]\n", "path"},
		"configMapGenerator files":    {"configMapGenerator: [{name: c, files: [k=" + remote + "/f]}]\n", "files"},
		"configMapGenerator envs":     {"configMapGenerator: [{name: c, envs: [" + remote + "/e.env]}]\n", "envs"},
		"secretGenerator files":       {"secretGenerator: [{name: s, files: [" + remote + "/f]}]\n", "files"},
		"secretGenerator env":         {"secretGenerator: [{name: s, env: " + remote + "/e.env}]\n", "env"},
		"openapi":                     {"resources: [d.yaml]\nopenapi: {path: " + remote + "/schema.json}\n", "path"},
		"replacements":                {"resources: [d.yaml]\nreplacements: [{path: " + remote + "/r.yaml}]\n", "path"},
		"generators":                  {"generators: [" + remote + "/g.yaml]\n", "generators"},
		"transformers":                {"resources: [d.yaml]\ntransformers: [" + remote + "/t.yaml]\n", "transformers"},
		"inline transformer":          {"resources: [d.yaml]\ntransformers:\n- |\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n  path: " + remote + "/p.yaml\n", "path"},
		"validators":                  {"resources: [d.yaml]\nvalidators: [" + remote + "/v.yaml]\n", "validators"},
		"helmCharts":                  {"helmCharts: [{name: x, repo: " + remote + ", version: 1.0.0}]\n", "helmCharts"},
		"helmChartInflationGenerator": {"helmChartInflationGenerator: [{chartName: x, chartRepoUrl: " + remote + "}]\n", "helmChartInflationGenerator"},
		"nested base":                 {"resources: [../../../nested-base]\n", "resources"},
		"symlink out":                 {"resources: [link/secret.yaml]\n", ""},
		"symlinked base out":          {"resources: [link]\n", ""},
	}
	writeFile(t, filepath.Join(repo, "nested-base", "kustomization.yaml"), "resources: ['git@"+host+":org/deep']\n")
	cases := map[string]string{}
	for name, k := range kust {
		dir := filepath.Join(repo, "k", strings.NewReplacer(" ", "-", "/", "-", ":", "-").Replace(name), "x")
		writeFile(t, filepath.Join(dir, "kustomization.yaml"), k.body)
		writeFile(t, filepath.Join(dir, "d.yaml"), canaryDeployment)
		if strings.HasPrefix(name, "symlink") {
			if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
				t.Fatal(err)
			}
		}
		cases["kustomize "+name] = dir
	}

	// Helm: a chart that uses lookup and getHostByName, with a schema
	// referring to a remote one; a chart with a remote dependency in
	// Chart.yaml; an apiVersion v1 chart with one in requirements.yaml.
	lookupChart := filepath.Join(repo, "charts", "lookup")
	writeFile(t, filepath.Join(lookupChart, "Chart.yaml"), "apiVersion: v2\nname: lookup\nversion: 0.1.0\n")
	writeFile(t, filepath.Join(lookupChart, "values.schema.json"), `{"$ref": "`+remote+`/schema.json"}`)
	writeFile(t, filepath.Join(lookupChart, "templates", "d.yaml"), `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    lookup: {{ lookup "v1" "Secret" "default" "x" | toJson | quote }}
    ns: {{ (lookup "v1" "Namespace" "" "") | toJson | quote }}
    host: {{ getHostByName "localhost" | quote }}
    remote: {{ getHostByName "`+strings.Split(host, ":")[0]+`" | quote }}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
`)
	cases["helm lookup getHostByName"] = lookupChart
	depChart := filepath.Join(repo, "charts", "dep")
	writeFile(t, filepath.Join(depChart, "Chart.yaml"), "apiVersion: v2\nname: dep\nversion: 0.1.0\ndependencies:\n- {name: redis, version: 1.0.0, repository: "+remote+"}\n- {name: oci, version: 1.0.0, repository: 'oci://"+host+"/charts'}\n")
	writeFile(t, filepath.Join(depChart, "templates", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
	cases["helm Chart.yaml dependency"] = depChart
	reqChart := filepath.Join(repo, "charts", "req")
	writeFile(t, filepath.Join(reqChart, "Chart.yaml"), "apiVersion: v1\nname: req\nversion: 0.1.0\n")
	writeFile(t, filepath.Join(reqChart, "requirements.yaml"), "dependencies:\n- {name: redis, version: 1.0.0, repository: "+remote+"}\n")
	writeFile(t, filepath.Join(reqChart, "templates", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
	cases["helm requirements.yaml dependency"] = reqChart

	spec, _ := json.Marshal(cases)
	cmd := exec.Command(os.Args[0], "-test.run=^TestOfflineChild$", "-test.v")
	cmd.Env = append(os.Environ(),
		offlineChildEnv+"="+canary+"\n"+string(spec),
		"PATH="+bin,
		"HTTP_PROXY=http://"+host, "HTTPS_PROXY=http://"+host, "ALL_PROXY=http://"+host,
		"http_proxy=http://"+host, "https_proxy=http://"+host, "NO_PROXY=", "no_proxy=",
		"KUBECONFIG="+kubeconfig, "HOME="+tmp, "GIT_TERMINAL_PROMPT=0",
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	mu.Lock()
	n := dials
	mu.Unlock()
	if n != 0 {
		t.Errorf("%d network connections were made", n)
	}
	if b, err := os.ReadFile(ran); err == nil {
		t.Errorf("programs were run:\n%s", b)
	}
	_, res, ok := strings.Cut(string(out), "OFFLINE-RESULT ")
	if !ok {
		t.Fatalf("child printed no result:\n%s", out)
	}
	res, _, _ = strings.Cut(res, "\n")
	var got map[string]offlineResult
	if err := json.Unmarshal([]byte(res), &got); err != nil {
		t.Fatal(err)
	}
	for name, k := range kust {
		r := got["kustomize "+name]
		t.Run("kustomize "+name, func(t *testing.T) {
			if !r.Canary {
				t.Errorf("the canary beside it was not judged")
			}
			if len(r.Errors) != 1 {
				t.Fatalf("errors %q, want one", r.Errors)
			}
			e := r.Errors[0]
			if !strings.Contains(e, "kustomization.yaml") && !strings.Contains(e, "outside the scanned tree") {
				t.Errorf("error %q names neither the kustomization file nor the scanned tree", e)
			}
			if k.field != "" && !strings.Contains(e, `field "`+k.field+`"`) {
				t.Errorf("error %q does not name the field %q", e, k.field)
			}
		})
	}
	t.Run("helm lookup getHostByName", func(t *testing.T) {
		r := got["helm lookup getHostByName"]
		if len(r.Errors) != 0 || !r.Canary {
			t.Fatalf("errors %q, canary %v", r.Errors, r.Canary)
		}
		for _, want := range []string{"lookup={}", "ns={}", "host=\n", "remote=\n"} {
			if !strings.Contains(r.Output, want) {
				t.Errorf("rendered annotations %q lack %q (lookup and DNS must be off)", r.Output, want)
			}
		}
	})
	for _, name := range []string{"helm Chart.yaml dependency", "helm requirements.yaml dependency"} {
		t.Run(name, func(t *testing.T) {
			r := got[name]
			if len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "does not download charts") || !r.Canary {
				t.Errorf("errors %q, canary %v", r.Errors, r.Canary)
			}
		})
	}
}
