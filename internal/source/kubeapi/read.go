package kubeapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/manifest"
)

// Stats say what a read cost: requests made and objects read, per
// resource.
type Stats struct {
	Requests int
	Objects  map[string]int
}

// Read lists every resource the controls read and returns them as one
// batch. A resource the identity may not list, or whose read timed out or
// broke off, is recorded in Kube.Unread (its controls become not-assessed)
// and the others are still read. An error is returned only when the API
// server cannot be reached or rejects the credentials altogether.
func Read(ctx context.Context, conn *Conn, o Options) (*inventory.Batch, *Stats, error) {
	timeout := o.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cfg := rest.CopyConfig(conn.Config)
	cfg.AcceptContentTypes = "application/json"
	cfg.ContentType = "application/json"
	client, err := rest.UnversionedRESTClientFor(withJSON(cfg))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", conn.API.Server, err)
	}
	r := &reader{client: client, label: label(conn.API), o: o, timeout: timeout, stats: &Stats{Objects: map[string]int{}}}
	if r.o.PageSize == 0 {
		r.o.PageSize = 500
	}
	if r.o.Concurrency == 0 {
		r.o.Concurrency = 8
	}
	if r.o.MaxPageBytes == 0 {
		r.o.MaxPageBytes = DefaultMaxPageBytes
	}
	if r.o.MaxObjects == 0 {
		r.o.MaxObjects = DefaultMaxObjects
	}

	// One request up front tells an unreachable server or rejected
	// credentials from a missing permission, and gives the version.
	ver, err := r.version(ctx)
	if err != nil {
		return nil, nil, err
	}
	api := *conn.API
	api.Version = ver
	api.Certificates = append(api.Certificates, handshake(ctx, conn.Config, &api)...)

	list := append([]resource(nil), resources...)
	cons, cerr := r.constraintResources(ctx)
	list = append(list, cons...)

	k := &inventory.Kube{Inputs: 1, API: &api}
	if cerr != "" {
		k.MarkUnread(inventory.ColConstraints, cerr)
	}
	pages := make([][]*inventory.Batch, len(list))
	unread := make([]string, len(list))
	sem := make(chan struct{}, r.o.Concurrency)
	var wg sync.WaitGroup
	var listed atomic.Int64
	for i, res := range list {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			pages[i], unread[i] = r.listAll(ctx, res)
			if r.o.Progress != nil {
				r.o.Progress(int(listed.Add(1)), len(list))
			}
		}()
	}
	wg.Wait()
	// Merged in the fixed order of the list, so the inventory (and the
	// reasons of an unread collection) do not depend on timing.
	out := &inventory.Batch{Kube: k}
	failed := 0
	for i, bs := range pages {
		if unread[i] != "" {
			k.MarkUnread(list[i].col, unread[i])
			failed++
		}
		for _, b := range bs {
			out.Merge(b)
		}
	}
	if failed == len(list) {
		// Nothing could be read: the scan could not do what was asked,
		// which is an error (exit 2), not a report of not-assessed results.
		return nil, r.stats, fmt.Errorf("%s: no kind could be read (the first: %s)", conn.API.Server, unread[0])
	}
	return out, r.stats, nil
}

// Default read limits. A real page of 500 objects is a few MB; an object
// is at most 1.5 MB in etcd unless the cluster raised that limit.
const (
	DefaultMaxPageBytes = 64 << 20
	DefaultMaxObjects   = 250_000
)

// label names the API server in results: the kubeconfig context, else
// the server URL.
func label(api *inventory.APIServer) string {
	if api.Context != "" {
		return "kube:" + api.Context
	}
	return "kube:" + api.Server
}

type reader struct {
	client  *rest.RESTClient
	label   string
	o       Options
	timeout time.Duration
	mu      sync.Mutex
	stats   *Stats
}

func (r *reader) count(res string, n int) {
	r.mu.Lock()
	r.stats.Requests++
	r.stats.Objects[res] += n
	r.mu.Unlock()
}

func (r *reader) version(ctx context.Context) (string, error) {
	body, err := r.client.Get().AbsPath("/version").DoRaw(ctx)
	r.count("version", 0)
	if err != nil {
		return "", reachError(r.label, err)
	}
	var v struct {
		GitVersion string `json:"gitVersion"`
	}
	_ = json.Unmarshal(body, &v)
	return v.GitVersion, nil
}

// reachError explains why the API server could not be used at all.
func reachError(label string, err error) error {
	server := strings.TrimPrefix(label, "kube:")
	switch {
	case apierrors.IsUnauthorized(err):
		return fmt.Errorf("%s: the API server rejected the credentials (401): log in again (kubelogin, az aks get-credentials) or check the kubeconfig user", server)
	case apierrors.IsForbidden(err):
		return fmt.Errorf("%s: forbidden reading /version: the identity may not use the API at all", server)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: no answer before the timeout: check the network path to the API server (private cluster, authorized IP ranges) or raise --kube-timeout", server)
	}
	return fmt.Errorf("%s: cannot reach the API server: %v (check the network path: a private cluster needs a VNet connection, authorized IP ranges must include this machine)", server, err)
}

// listAll reads one resource page by page. It returns the decoded pages
// and, when the read is incomplete, why.
func (r *reader) listAll(ctx context.Context, res resource) ([]*inventory.Batch, string) {
	for attempt := 0; ; attempt++ {
		bs, n, err := r.pages(ctx, res)
		if err == nil {
			return bs, ""
		}
		switch {
		case apierrors.IsNotFound(err) && (res.crd || n == 0):
			// Not served: the add-on (or API version) is not there, so
			// there are no such objects.
			return nil, ""
		case apierrors.IsResourceExpired(err) && attempt == 0:
			// The continue token expired between pages: start over once.
			continue
		case apierrors.IsForbidden(err) && res.group == constraintGroup:
			return nil, `forbidden: the identity may not list Gatekeeper constraints (apiGroups: ["constraints.gatekeeper.sh"], resources: ["*"]); grant "list" on them (the aksguard-reader-constraints ClusterRole in deploy/rbac.yaml)`
		case apierrors.IsForbidden(err):
			return nil, fmt.Sprintf(`forbidden: the identity may not list %s (apiGroups: [%s]) cluster-wide; grant "list" on it (deploy/rbac.yaml has every permission aksguard needs)`, res.name, res.groupName())
		case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
			return nil, fmt.Sprintf("timed out listing %s after %d objects (--kube-timeout %s)", res.name, n, r.timeout)
		}
		return nil, fmt.Sprintf("listing %s broke off after %d objects: %v", res.name, n, err)
	}
}

// pages follows the continue token; n is the number of objects read.
func (r *reader) pages(ctx context.Context, res resource) ([]*inventory.Batch, int, error) {
	var out []*inventory.Batch
	n := 0
	err := r.each(ctx, res, "", func(items []json.RawMessage) error {
		n += len(items)
		if n > r.o.MaxObjects {
			return fmt.Errorf("more than %d objects of %s: stopped reading them (raise --kube-max-objects)", r.o.MaxObjects, res.name)
		}
		if res.metadataOnly {
			out = append(out, manifest.DecodeSecretMetadata(items, r.label))
		} else {
			out = append(out, manifest.DecodeItems(items, res.apiVersion(), res.kind, r.label))
		}
		return nil
	})
	if err == nil && res.metadataOnly {
		err = r.secretTypes(ctx, res, out)
	}
	return out, n, err
}

// errPageTooLarge says a page's body passed the cap.
var errPageTooLarge = errors.New("page too large")

// each calls page for every page of a LIST, following continue tokens. A
// page whose body passes MaxPageBytes is asked for again with half the
// limit (the continue token stays valid with any limit); a single object
// over the cap, or a server that ignores the limit, ends the read.
func (r *reader) each(ctx context.Context, res resource, fieldSelector string, page func([]json.RawMessage) error) error {
	cont := ""
	limit := r.o.PageSize
	for {
		body, err := r.page(ctx, res, fieldSelector, cont, limit)
		if errors.Is(err, errPageTooLarge) {
			if limit > 1 {
				limit /= 2
				continue
			}
			return fmt.Errorf("one page of %s was larger than %s even with a limit of 1 (a server that ignores limit, or an object over the cap)", res.name, byteSize(r.o.MaxPageBytes))
		}
		if err != nil {
			return err
		}
		var list struct {
			Metadata struct {
				Continue string `json:"continue"`
			} `json:"metadata"`
			Items []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(body, &list); err != nil {
			r.count(res.name, 0)
			return fmt.Errorf("the list of %s is not valid JSON: %v", res.name, err)
		}
		body = nil
		r.count(res.name, len(list.Items))
		if err := page(list.Items); err != nil {
			return err
		}
		if list.Metadata.Continue == "" {
			return nil
		}
		cont = list.Metadata.Continue
	}
}

// byteSize writes n bytes as KiB or MiB.
func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	if n >= 1<<10 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// page reads one LIST page's body, at most MaxPageBytes of it.
func (r *reader) page(ctx context.Context, res resource, fieldSelector, cont string, limit int64) ([]byte, error) {
	req := r.client.Get().AbsPath(res.path()).Param("limit", strconv.FormatInt(limit, 10))
	if fieldSelector != "" {
		req = req.Param("fieldSelector", fieldSelector)
	}
	if cont != "" {
		req = req.Param("continue", cont)
	}
	if res.metadataOnly {
		req = req.SetHeader("Accept", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1")
	}
	rc, err := req.Stream(ctx)
	if err != nil {
		r.count(res.name, 0)
		return nil, err
	}
	defer rc.Close()
	body, err := io.ReadAll(io.LimitReader(rc, r.o.MaxPageBytes+1))
	if err != nil {
		r.count(res.name, 0)
		return nil, err
	}
	if int64(len(body)) > r.o.MaxPageBytes {
		r.count(res.name, 0)
		return nil, errPageTooLarge
	}
	return body, nil
}

// constraintResources discovers Gatekeeper's constraint kinds. "" when
// Gatekeeper is not installed; a reason when discovery failed.
func (r *reader) constraintResources(ctx context.Context) ([]resource, string) {
	body, err := r.client.Get().AbsPath("/apis/" + constraintGroup).DoRaw(ctx)
	r.count("discovery", 0)
	if apierrors.IsNotFound(err) {
		return nil, ""
	}
	if err != nil {
		return nil, "discovering Gatekeeper constraint kinds failed: " + err.Error()
	}
	var g metav1.APIGroup
	if err := json.Unmarshal(body, &g); err != nil || g.PreferredVersion.Version == "" {
		return nil, "discovering Gatekeeper constraint kinds: unexpected answer"
	}
	ver := g.PreferredVersion.Version
	body, err = r.client.Get().AbsPath("/apis/" + constraintGroup + "/" + ver).DoRaw(ctx)
	r.count("discovery", 0)
	if err != nil {
		return nil, "discovering Gatekeeper constraint kinds failed: " + err.Error()
	}
	var l metav1.APIResourceList
	if err := json.Unmarshal(body, &l); err != nil {
		return nil, "discovering Gatekeeper constraint kinds: unexpected answer"
	}
	var out []resource
	for _, ar := range l.APIResources {
		if strings.Contains(ar.Name, "/") {
			continue // subresources such as status
		}
		out = append(out, resource{group: constraintGroup, version: ver, name: ar.Name, kind: ar.Kind, col: inventory.ColConstraints, crd: true})
	}
	return out, ""
}

// withJSON sets what an unversioned REST client needs to read errors.
func withJSON(cfg *rest.Config) *rest.Config {
	cfg.NegotiatedSerializer = scheme.Codecs.WithoutConversion()
	return cfg
}
