package testkube

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

// Cluster creates objects in the test server and removes them again.
type Cluster struct {
	t       testing.TB
	dyn     *dynamic.DynamicClient
	disc    discovery.CachedDiscoveryInterface
	mapper  *restmapper.DeferredDiscoveryRESTMapper
	created []created
}

type created struct {
	res       schema.GroupVersionResource
	namespace string
	name      string
}

// NewCluster connects with an admin configuration.
func NewCluster(t testing.TB, cfg *rest.Config) *Cluster {
	t.Helper()
	cfg = rest.CopyConfig(cfg)
	cfg.WarningHandler = rest.NoWarnings{}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cached := memory.NewMemCacheClient(dc)
	return &Cluster{t: t, dyn: dyn, disc: cached, mapper: restmapper.NewDeferredDiscoveryRESTMapper(cached)}
}

// Objects reads every YAML or JSON document of the files as unstructured
// objects (Lists are expanded; documents without a kind are dropped).
func Objects(t testing.TB, files ...string) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
		for {
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				t.Fatalf("%s: %v", f, err)
			}
			if m == nil {
				continue
			}
			u := &unstructured.Unstructured{Object: m}
			if u.IsList() {
				l, err := u.ToList()
				if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				for i := range l.Items {
					out = append(out, &l.Items[i])
				}
				continue
			}
			if u.GetKind() != "" && u.GetAPIVersion() != "" {
				out = append(out, u)
			}
		}
	}
	return out
}

// Create creates each object (namespaces it lives in first, and a
// CustomResourceDefinition for kinds the server does not know). It returns
// the objects the server accepted; rejections are logged, not fatal, since
// test corpora hold invalid objects on purpose.
func (c *Cluster) Create(objs []*unstructured.Unstructured) []*unstructured.Unstructured {
	c.t.Helper()
	ctx := context.Background()
	var ok []*unstructured.Unstructured
	for _, o := range objs {
		o = o.DeepCopy()
		gvk := o.GroupVersionKind()
		m, err := c.mapping(gvk)
		if err != nil {
			c.t.Logf("skip %s %s: %v", gvk.Kind, o.GetName(), err)
			continue
		}
		var ri dynamic.ResourceInterface = c.dyn.Resource(m.Resource)
		ns := ""
		if m.Scope.Name() == meta.RESTScopeNameNamespace {
			ns = o.GetNamespace()
			if ns == "" {
				ns = "default"
			}
			if made := c.ensureNamespace(ns); made != nil {
				ok = append(ok, made)
			}
			ri = c.dyn.Resource(m.Resource).Namespace(ns)
		}
		got, err := ri.Create(ctx, o, metav1.CreateOptions{})
		if err != nil {
			c.t.Logf("server rejected %s %s/%s: %v", gvk.Kind, ns, o.GetName(), err)
			continue
		}
		c.created = append(c.created, created{m.Resource, ns, got.GetName()})
		if gvk.Kind == "Namespace" {
			c.created[len(c.created)-1].namespace = ""
		}
		ok = append(ok, o)
	}
	return ok
}

// ensureNamespace creates a namespace that does not exist yet and returns
// it (nil when it existed).
func (c *Cluster) ensureNamespace(ns string) *unstructured.Unstructured {
	ctx := context.Background()
	nsRes := schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	if _, err := c.dyn.Resource(nsRes).Get(ctx, ns, metav1.GetOptions{}); err == nil {
		return nil
	}
	u := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": ns}}}
	if _, err := c.dyn.Resource(nsRes).Create(ctx, u, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		c.t.Fatalf("create namespace %s: %v", ns, err)
	}
	c.created = append(c.created, created{res: nsRes, name: ns})
	return u
}

// Snapshot lists every object of the given resources as the server holds
// them (what was there before a test created anything: namespaces,
// bootstrap RBAC, the kubernetes Service).
func (c *Cluster) Snapshot(res []schema.GroupVersionResource) []*unstructured.Unstructured {
	c.t.Helper()
	var out []*unstructured.Unstructured
	for _, r := range res {
		l, err := c.dyn.Resource(r).List(context.Background(), metav1.ListOptions{})
		if err != nil {
			c.t.Fatalf("list %s: %v", r.Resource, err)
		}
		for i := range l.Items {
			it := &l.Items[i]
			unstructured.RemoveNestedField(it.Object, "metadata", "managedFields")
			out = append(out, it)
		}
	}
	return out
}

// mapping finds the resource for a kind, defining a CRD for it when the
// server does not serve it (trivy, aad-pod-identity and Gatekeeper kinds).
func (c *Cluster) mapping(gvk schema.GroupVersionKind) (*meta.RESTMapping, error) {
	m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err == nil {
		return m, nil
	}
	builtin := !strings.Contains(gvk.Group, ".") || strings.HasSuffix(gvk.Group, ".k8s.io") && gvk.Group != "aadpodidentity.k8s.io"
	if builtin || !meta.IsNoMatchError(err) {
		return nil, err
	}
	if err := c.defineCRD(gvk); err != nil {
		return nil, err
	}
	// A wait, not a speed assertion: a saturated machine may take a while
	// to establish the CRD.
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		c.mapper.Reset()
		if m, err = c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version); err == nil {
			return m, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, err
}

func (c *Cluster) defineCRD(gvk schema.GroupVersionKind) error {
	plural := strings.ToLower(gvk.Kind) + "s"
	if strings.HasSuffix(plural, "ys") {
		plural = strings.TrimSuffix(plural, "ys") + "ies" // ciliumnetworkpolicies
	}
	scope := apiextv1.NamespaceScoped
	if gvk.Group == "constraints.gatekeeper.sh" || gvk.Group == "templates.gatekeeper.sh" ||
		gvk.Kind == "CiliumClusterwideNetworkPolicy" || gvk.Kind == "GlobalNetworkPolicy" {
		scope = apiextv1.ClusterScoped
	}
	yes := true
	om := metav1.ObjectMeta{Name: plural + "." + gvk.Group}
	if strings.HasSuffix(gvk.Group, ".k8s.io") {
		// A protected group (aadpodidentity.k8s.io) needs this to be served.
		om.Annotations = map[string]string{"api-approved.kubernetes.io": "unapproved, aksguard tests only"}
	}
	crd := &apiextv1.CustomResourceDefinition{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apiextensions.k8s.io/v1", Kind: "CustomResourceDefinition"},
		ObjectMeta: om,
		Spec: apiextv1.CustomResourceDefinitionSpec{
			Group: gvk.Group, Scope: scope,
			Names: apiextv1.CustomResourceDefinitionNames{Plural: plural, Kind: gvk.Kind, ListKind: gvk.Kind + "List"},
			Versions: []apiextv1.CustomResourceDefinitionVersion{{Name: gvk.Version, Served: true, Storage: true,
				Schema: &apiextv1.CustomResourceValidation{OpenAPIV3Schema: &apiextv1.JSONSchemaProps{Type: "object", XPreserveUnknownFields: &yes}}}},
		},
	}
	obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(crd)
	if err != nil {
		return err
	}
	res := schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	_, err = c.dyn.Resource(res).Create(context.Background(), &unstructured.Unstructured{Object: obj}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("define CRD for %s: %w", gvk, err)
	}
	return nil
}

// Cleanup deletes what Create made, namespaced objects first; namespaces
// are finalized directly (no controller-manager runs to empty them).
func (c *Cluster) Cleanup() {
	ctx := context.Background()
	var nss []created
	next := make(chan created)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range next {
				var ri dynamic.ResourceInterface = c.dyn.Resource(o.res)
				if o.namespace != "" {
					ri = c.dyn.Resource(o.res).Namespace(o.namespace)
				}
				if err := ri.Delete(ctx, o.name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
					c.t.Errorf("delete %s %s/%s: %v", o.res.Resource, o.namespace, o.name, err)
				}
			}
		}()
	}
	for i := len(c.created) - 1; i >= 0; i-- {
		o := c.created[i]
		if o.res.Resource == "namespaces" {
			nss = append(nss, o)
			continue
		}
		next <- o
	}
	close(next)
	wg.Wait()
	for _, o := range nss {
		deleteNamespace(ctx, c.t, c.dyn, o.name)
	}
	c.created = nil
}

func deleteNamespace(ctx context.Context, t testing.TB, dyn *dynamic.DynamicClient, name string) {
	res := schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	if err := dyn.Resource(res).Delete(ctx, name, metav1.DeleteOptions{}); err != nil {
		if !apierrors.IsNotFound(err) {
			t.Errorf("delete namespace %s: %v", name, err)
		}
		return
	}
	u, err := dyn.Resource(res).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return
	}
	_ = unstructured.SetNestedStringSlice(u.Object, []string{}, "spec", "finalizers")
	if _, err := dyn.Resource(res).Update(ctx, u, metav1.UpdateOptions{}, "finalize"); err != nil && !apierrors.IsNotFound(err) {
		t.Errorf("finalize namespace %s: %v", name, err)
	}
}

// CreateParallel creates objects of one namespaced kind in one namespace,
// several at a time (for volume tests); it fails the test on any error.
func (c *Cluster) CreateParallel(objs []*unstructured.Unstructured) {
	c.t.Helper()
	if len(objs) == 0 {
		return
	}
	m, err := c.mapping(objs[0].GroupVersionKind())
	if err != nil {
		c.t.Fatal(err)
	}
	ns := objs[0].GetNamespace()
	c.ensureNamespace(ns)
	ri := c.dyn.Resource(m.Resource).Namespace(ns)
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := make(chan *unstructured.Unstructured)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range next {
				_, err := ri.Create(context.Background(), o, metav1.CreateOptions{})
				mu.Lock()
				if err != nil {
					c.t.Errorf("create %s/%s: %v", ns, o.GetName(), err)
				} else {
					c.created = append(c.created, created{m.Resource, ns, o.GetName()})
				}
				mu.Unlock()
			}
		}()
	}
	for _, o := range objs {
		next <- o
	}
	close(next)
	wg.Wait()
}
