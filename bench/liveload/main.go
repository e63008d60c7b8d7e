// Command liveload creates the objects of a directory of manifests in a
// Kubernetes API server (for the live-scan benchmark, bench/live.sh): the
// namespaces they name first, then every object, 16 at a time. Objects of
// kinds the server does not serve (custom resources without their CRD) and
// objects it rejects are counted and skipped.
//
//	go run ./bench/liveload -kubeconfig KUBECONFIG -dir /tmp/k10k
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
)

func main() {
	kc := flag.String("kubeconfig", "", "kubeconfig of the server")
	dir := flag.String("dir", "", "directory of YAML manifests")
	flag.Parse()
	if *kc == "" || *dir == "" {
		fmt.Fprintln(os.Stderr, "usage: liveload -kubeconfig FILE -dir DIR")
		os.Exit(2)
	}
	if err := run(*kc, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "liveload:", err)
		os.Exit(1)
	}
}

func run(kc, dir string) error {
	cfg, err := clientcmd.BuildConfigFromFlags("", kc)
	if err != nil {
		return err
	}
	cfg.QPS, cfg.Burst = 500, 1000
	cfg.WarningHandler = rest.NoWarnings{}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	objs, err := read(dir)
	if err != nil {
		return err
	}
	type job struct {
		o   *unstructured.Unstructured
		res schema.GroupVersionResource
		ns  string
	}
	var jobs []job
	namespaces := map[string]bool{}
	unknown := map[string]int{}
	for _, o := range objs {
		gvk := o.GroupVersionKind()
		m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil {
			unknown[gvk.Kind]++
			continue
		}
		ns := ""
		if m.Scope.Name() == meta.RESTScopeNameNamespace {
			ns = o.GetNamespace()
			if ns == "" {
				ns = "default"
			}
			namespaces[ns] = true
		}
		jobs = append(jobs, job{o, m.Resource, ns})
	}
	ctx := context.Background()
	nsRes := schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	for ns := range namespaces {
		u := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": ns}}}
		if _, err := dyn.Resource(nsRes).Create(ctx, u, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("namespace %s: %w", ns, err)
		}
	}
	var created, rejected atomic.Int64
	next := make(chan job)
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				var ri dynamic.ResourceInterface = dyn.Resource(j.res)
				if j.ns != "" {
					ri = dyn.Resource(j.res).Namespace(j.ns)
				}
				if _, err := ri.Create(ctx, j.o, metav1.CreateOptions{}); err != nil {
					rejected.Add(1)
				} else {
					created.Add(1)
				}
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	var kinds []string
	for k, n := range unknown {
		kinds = append(kinds, fmt.Sprintf("%s=%d", k, n))
	}
	sort.Strings(kinds)
	fmt.Printf("created %d objects (+%d namespaces), rejected %d, kinds not served %d (%s)\n",
		created.Load(), len(namespaces), rejected.Load(), len(objs)-len(jobs), strings.Join(kinds, " "))
	return nil
}

func read(dir string) ([]*unstructured.Unstructured, error) {
	var out []*unstructured.Unstructured
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
		for {
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				return nil // not a manifest: skip the rest of the file
			}
			u := &unstructured.Unstructured{Object: m}
			if m != nil && u.GetKind() != "" && u.GetAPIVersion() != "" {
				out = append(out, u)
			}
		}
		return nil
	})
	return out, err
}
