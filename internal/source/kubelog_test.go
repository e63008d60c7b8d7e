package source

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// The Kubernetes input Load attributes to each cluster by folder is what
// merging the files of that folder read alone gives: the objects of every
// collection in file order, the counts (Objects, Ignored, Skipped) and the
// number of inputs. Load only marks where each file's objects landed in
// the merged inventory (kubeLog) and cuts them out again.
func TestLoadAttributesKubeByFolder(t *testing.T) {
	root := t.TempDir()
	write := func(rel, body string) string {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	copyFile := func(from, rel string) {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		write(rel, string(b))
	}
	copyFile(filepath.Join("..", "..", "examples", "insecure", "aks-shop-prod.json"), "shop/aks.json")
	copyFile(filepath.Join("..", "..", "examples", "hardened", "aks-payments-prod.json"), "pay/aks.json")
	deployment := func(ns, name string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name + ", namespace: " + ns + "}\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: nginx}]\n"
	}
	files := map[string][]string{ // folder's cluster → its manifests, in walk order
		"shop": {
			write("shop/deploy.yaml", deployment("shop", "web")+"---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\n---\nname: not an object\n"),
			write("shop/rbac/role.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: shop}\nrules: [{apiGroups: [''], resources: [pods], verbs: [get]}]\n"),
		},
		"pay": {
			write("pay/apps/empty.yaml", "apiVersion: v1\nkind: List\nitems: []\n"),
			write("pay/apps/web.yaml", deployment("pay", "api")+"---\napiVersion: v1\nkind: Namespace\nmetadata: {name: pay}\n"),
		},
		"": {
			write("shared.yaml", deployment("tools", "debug")+"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: tools}\nspec: {podSelector: {}}\n"),
		},
	}
	check := func(t *testing.T, inv *inventory.Inventory) {
		if len(inv.Errors) != 0 {
			t.Fatalf("errors: %v", inv.Errors)
		}
		if len(inv.KubeByFolder) != 3 {
			t.Fatalf("%d parts by folder, want 3: %+v", len(inv.KubeByFolder), inv.KubeByFolder)
		}
		checkParts(t, inv, files)
	}
	t.Run("one directory", func(t *testing.T) {
		check(t, Load([]string{root}, Options{}))
	})
	// Objects on standard input, read between the folders, belong to no
	// folder: they are in no part, and the parts around them are whole.
	t.Run("standard input between the folders", func(t *testing.T) {
		inv := Load([]string{filepath.Join(root, "shop"), "-", filepath.Join(root, "pay"), filepath.Join(root, "shared.yaml")},
			Options{Stdin: strings.NewReader(deployment("stdin", "piped"))})
		check(t, inv)
		if got := refs(inv.Kube.Workloads); !slices.Contains(got, "Deployment/stdin/piped") {
			t.Errorf("standard input not read: workloads %v", got)
		}
	})
}

// checkParts compares each part of inv.KubeByFolder with the files of its
// folder read alone and merged.
func checkParts(t *testing.T, inv *inventory.Inventory, files map[string][]string) {
	t.Helper()
	for _, part := range inv.KubeByFolder {
		name := ""
		if part.Owner.Cluster != nil {
			name = filepath.Base(filepath.Dir(part.Owner.Cluster.Source.File))
		}
		want := &inventory.Kube{}
		for _, p := range files[name] {
			alone := Load([]string{p}, Options{})
			if alone.Kube == nil {
				t.Fatalf("%s: no Kubernetes input read alone", p)
			}
			want.Merge(alone.Kube)
		}
		got := part.Kube
		if name == "shop" && (got.Ignored["CustomResourceDefinition"] != 1 || len(got.Skipped) != 1 || len(got.Roles) != 1) {
			t.Errorf("shop's part: ignored %v, skipped %v, %d roles; want the CRD, the document that is no object, the Role", got.Ignored, got.Skipped, len(got.Roles))
		}
		for _, c := range []struct {
			what      string
			got, want any
		}{
			{"objects", got.Objects, want.Objects},
			{"ignored", got.Ignored, want.Ignored},
			{"skipped", got.Skipped, want.Skipped},
			{"inputs", got.Inputs, want.Inputs},
			{"workloads", refs(got.Workloads), refs(want.Workloads)},
			{"namespaces", len(got.Namespaces), len(want.Namespaces)},
			{"service accounts", len(got.ServiceAccounts), len(want.ServiceAccounts)},
			{"roles", len(got.Roles), len(want.Roles)},
			{"network policies", len(got.NetworkPolicies), len(want.NetworkPolicies)},
		} {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("part of cluster %q: %s %v, want %v", name, c.what, c.got, c.want)
			}
		}
	}
}

func refs(ws []*inventory.Workload) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Ref())
	}
	return out
}

// No batch holds the bytes of its file: a reader reuses its buffer for the
// next file. Loading every kind of input with the buffer overwritten as
// soon as each input is decoded gives the same inventory.
func TestScratchNotRetained(t *testing.T) {
	paths := []string{filepath.Join("..", "..", "examples", "insecure"), filepath.Join("..", "..", "examples", "hardened"), k8sDir}
	want := Load(paths, Options{})
	poisonScratch = true
	defer func() { poisonScratch = false }()
	got := Load(paths, Options{})
	if len(want.Clusters) == 0 || want.Kube == nil || len(want.Kube.Workloads) == 0 {
		t.Fatalf("the inputs hold no clusters or workloads: %d clusters", len(want.Clusters))
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("the inventory read with the file buffers overwritten after decoding differs: a batch holds the bytes of its file")
	}
}
