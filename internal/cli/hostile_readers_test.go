package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/testproc"
)

// readerCases are issue #9's reproducers for the readers and evaluators,
// run through the CLI in a memory-capped child like hostileCases: each ends
// in a judged object or an input error naming the place (exit 2), with the
// canary Pod beside it judged and peak RSS under hostileRSS. The readers'
// own tests cover each limit in detail; these prove the whole process stays
// bounded.
var readerCases = []hostileCase{
	{
		name: "a privileged Pod in a List inside a List",
		setup: func(t *testing.T, dir string) {
			write(t, dir, "nested.yaml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: PodList\n  items:\n  - "+jsonPod("hidden")+"\n")
		},
		args:  []string{"$DIR"},
		code:  0,
		check: judges("Pod", "hidden"),
	},
	{
		name:   "a JSON object followed by a NUL",
		setup:  func(t *testing.T, dir string) { write(t, dir, "t.yaml", jsonPod("first")+"\n\x00") },
		args:   []string{"$DIR"},
		code:   2,
		stderr: []string{"t.yaml:2: text after the JSON object of line 1"},
		check:  judges("Pod", "first"),
	},
	{
		name: "a manifest key given twice with different values",
		setup: func(t *testing.T, dir string) {
			write(t, dir, "d.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: dup\n  namespace: ns\nspec:\n  containers:\n  - name: c\n    image: i\n    securityContext:\n      privileged: true\n      privileged: false\n")
		},
		args:   []string{"$DIR"},
		code:   2,
		stderr: []string{`d.yaml:12: key "privileged" is given twice (lines 11 and 12)`},
	},
	{
		name: "a 2 MiB YAML alias bomb (expands past 5 GB)",
		setup: func(t *testing.T, dir string) {
			write(t, dir, "bomb.yaml", aliasBomb("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n", "  "))
		},
		args:   []string{"$DIR"},
		code:   2,
		stderr: []string{"bomb.yaml:", "aliases expand to more than 32 MiB"},
	},
	{
		name: "a Helm values file that is an alias bomb",
		setup: func(t *testing.T, dir string) {
			chart(t, dir, "chart", aliasBomb("", ""), map[string]string{"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"})
		},
		args:   []string{"$DIR"},
		code:   2,
		stderr: []string{"values.yaml:", "aliases expand to more than 32 MiB"},
	},
	{
		name: "a Helm template that loops 10^10 times",
		setup: func(t *testing.T, dir string) {
			chart(t, dir, "chart", "", map[string]string{"loop.yaml": "{{- range until 100000 }}{{- range until 100000 }}x{{- end }}{{- end }}\n"})
		},
		args:   []string{"$DIR"},
		code:   2,
		stderr: []string{"chart/templates/loop.yaml", "more than 5000000 evaluation steps"},
	},
	{
		name: "a Helm template that repeats a string 2^40 times",
		setup: func(t *testing.T, dir string) {
			chart(t, dir, "chart", "", map[string]string{"rep.yaml": "{{ repeat 1099511627776 \"x\" }}\n"})
		},
		args:   []string{"$DIR"},
		code:   2,
		stderr: []string{"chart", "repeat"},
	},
	{
		name: "a Helm template that includes itself forever",
		setup: func(t *testing.T, dir string) {
			chart(t, dir, "chart", "", map[string]string{"_rec.tpl": "{{- define \"r\" }}{{ include \"r\" . }}{{ include \"r\" . }}{{- end }}", "rec.yaml": "{{ include \"r\" . }}\n"})
		},
		args:   []string{"$DIR"},
		code:   2,
		stderr: []string{"chart/templates/rec.yaml", "nest include/tpl more than 1000 deep"},
	},
	{
		name: "55 kustomize bases each including all the later ones",
		setup: func(t *testing.T, dir string) {
			const n = 55
			for i := 0; i < n; i++ {
				var res []string
				for j := i + 1; j < n; j++ {
					res = append(res, fmt.Sprintf("../d%02d", j))
				}
				res = append(res, "cm.yaml")
				d := fmt.Sprintf("k/d%02d", i)
				write(t, dir, d+"/kustomization.yaml", fmt.Sprintf("namePrefix: p%d-\nresources: [%s]\n", i, strings.Join(res, ", ")))
				write(t, dir, d+"/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
			}
			write(t, dir, ".git/HEAD", "ref: refs/heads/main\n")
		},
		args:   []string{"$DIR/k/d00", "$DIR/canary.yaml"},
		code:   2,
		stderr: []string{"kustomization.yaml", "times"},
	},
	{
		name: "a kustomization with a remote base (scp-style)",
		setup: func(t *testing.T, dir string) {
			write(t, dir, "k/kustomization.yaml", "resources:\n- git@github.com:org/repo//base?ref=main\n")
		},
		args:   []string{"$DIR/k", "$DIR/canary.yaml"},
		code:   2,
		stderr: []string{"kustomization.yaml:2", "resources"},
	},
	{
		name: "Terraform locals doubling a string 40 times",
		setup: func(t *testing.T, dir string) {
			var b strings.Builder
			b.WriteString("locals {\n  l0 = \"xxxxxxxxxxxxxxxx\"\n")
			for i := 1; i <= 40; i++ {
				fmt.Fprintf(&b, "  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
			}
			b.WriteString("}\n")
			write(t, dir, "tf/main.tf", b.String())
		},
		args:   []string{"$DIR"},
		code:   2,
		stderr: []string{"main.tf:", "budget"},
	},
	{
		name: "Terraform for expressions nested over large ranges",
		setup: func(t *testing.T, dir string) {
			write(t, dir, "tf/main.tf", "locals {\n  x = [for a in range(1000): [for b in range(1000): [for c in range(1000): \"${a}${b}${c}\"]]]\n}\n")
		},
		args:   []string{"$DIR"},
		code:   2,
		stderr: []string{"main.tf:2", "budget"},
	},
	{
		name: "az JSON with enableRbac given twice",
		setup: func(t *testing.T, dir string) {
			write(t, dir, "cluster.json", exampleCluster(t, `"enableRbac": true,`, `"enableRbac": true, "enableRBAC": false,`))
		},
		args:   []string{"$DIR"},
		code:   2,
		stderr: []string{"cluster.json:121", `keys "enableRbac" (line 121) and "enableRBAC" (line 121)`},
	},
	{
		name: "az JSON with agentPoolProfiles of the wrong type",
		setup: func(t *testing.T, dir string) {
			write(t, dir, "cluster.json", exampleCluster(t, `"agentPoolProfiles": [`, `"agentPoolProfiles": "none", "x": [`))
		},
		args:   []string{"$DIR"},
		code:   2,
		stderr: []string{"cluster.json:17: agentPoolProfiles is a string"},
	},
	{
		name: "an ARM template nested 100,000 levels",
		setup: func(t *testing.T, dir string) {
			write(t, dir, "deep.json", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": `+
				strings.Repeat("[", 100000)+strings.Repeat("]", 100000)+`}`)
		},
		args:   []string{"$DIR"},
		code:   2,
		stderr: []string{"deep.json:1", "512"},
	},
	{
		name: "a Calico policy whose selector nests 1,000,000 parentheses",
		setup: func(t *testing.T, dir string) {
			sel := strings.Repeat("(", 1_000_000) + "all()" + strings.Repeat(")", 1_000_000)
			write(t, dir, "np.yaml", "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: deep\n  namespace: canary\nspec:\n  selector: \""+sel+"\"\n  types: [Ingress]\n")
		},
		args: []string{"$DIR"},
		code: 0,
	},
}

func TestHostileReaders(t *testing.T) { runHostile(t, readerCases) }

// jsonPod is a privileged Pod in namespace ns, as one line of JSON.
func jsonPod(name string) string {
	return `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"` + name + `","namespace":"ns"},"spec":{"containers":[{"name":"c","image":"i","securityContext":{"privileged":true}}]}}`
}

// aliasBomb is about 2 MiB of YAML whose aliases would expand past 5 GB,
// after head, with its mapping keys indented by indent.
func aliasBomb(head, indent string) string {
	var b strings.Builder
	b.WriteString(head + indent + "big: &big \"" + strings.Repeat("x", 16<<10) + "\"\n")
	for i := 0; b.Len() < 2<<20; i++ {
		fmt.Fprintf(&b, "%sk%d: [%s]\n", indent, i, strings.TrimSuffix(strings.Repeat("*big, ", 2500), ", "))
	}
	return b.String()
}

// chart writes a Helm chart named name under dir with the given
// values.yaml and templates.
func chart(t *testing.T, dir, name, values string, templates map[string]string) {
	t.Helper()
	write(t, dir, name+"/Chart.yaml", "apiVersion: v2\nname: "+name+"\nversion: 0.1.0\n")
	write(t, dir, name+"/values.yaml", values)
	for f, s := range templates {
		write(t, dir, name+"/templates/"+f, s)
	}
}

// exampleCluster is the shipped insecure example's az JSON cluster with
// the first occurrence of old replaced by new.
func exampleCluster(t *testing.T, old, new string) string {
	t.Helper()
	b, err := os.ReadFile("../../examples/insecure/aks-shop-prod.json")
	must(t, err)
	if !strings.Contains(string(b), old) {
		t.Fatalf("the example lacks %q", old)
	}
	return strings.Replace(string(b), old, new, 1)
}

func write(t *testing.T, dir, rel, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	must(t, os.MkdirAll(filepath.Dir(p), 0o755))
	must(t, os.WriteFile(p, []byte(data), 0o644))
}

// judges asserts the JSON report holds a result on the named object.
func judges(kind, name string) func(t *testing.T, r testproc.Result) {
	return func(t *testing.T, r testproc.Result) {
		t.Helper()
		if !strings.Contains(r.Stdout, `"kind": "`+kind+`"`) || !strings.Contains(r.Stdout, `"name": "`+name+`"`) {
			t.Errorf("no result on %s %s in the report", kind, name)
		}
	}
}
