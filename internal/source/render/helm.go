// Package render renders the directories that are inputs as a whole: Helm
// charts (loaded with the helm v4 SDK, evaluated offline by
// internal/helmengine within its budgets) and kustomizations (built by
// krusty after every reference is checked to be local, through a read-only
// file system confined to the repository). The result is decoded as
// Kubernetes manifests by internal/source/manifest; error text is redacted
// by internal/redact. It does not import internal/source (its parent):
// what it needs from the scan's options comes in Options.
package render

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	chartcommon "helm.sh/helm/v4/pkg/chart/common"
	chartutil "helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartv2util "helm.sh/helm/v4/pkg/chart/v2/util"
	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/yaml"

	"github.com/aksguard/aksguard/internal/helmengine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/redact"
	"github.com/aksguard/aksguard/internal/source/manifest"
)

// Render kinds of a directory input (Kind).
const (
	Helm      = "helm"
	Kustomize = "kustomize"
)

// Options are what rendering needs from the scan's options.
type Options struct {
	// HelmValues override the default values of Helm charts.
	HelmValues map[string]any
	// Namespace is the release namespace Helm charts are rendered in
	// ("default" when empty).
	Namespace string
	// MaxBytes caps one values file of a chart and all the bytes one
	// kustomization build reads: the scan's cap of one input
	// (--max-input-mb), which the caller always sets.
	MaxBytes int64
	// HelmLimits replaces helmengine.DefaultLimits when set (tests).
	HelmLimits *helmengine.Limits
}

// ReleaseName is the Helm release name charts are rendered with.
const ReleaseName = "aksguard"

// Skip reasons of rendered directories that produce nothing.
const (
	helmEmpty      = "Helm chart that renders no Kubernetes objects"
	kustomizeEmpty = "kustomization that builds no Kubernetes objects"
)

// Kind tells whether dir is a Helm chart (it holds a Chart.yaml) or a
// kustomization (it holds a kustomization file), or neither (""). The
// Chart.yaml is looked for first: a directory holding both is rendered as
// a chart.
func Kind(dir string) string {
	if isFile(filepath.Join(dir, "Chart.yaml")) {
		return Helm
	}
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		if isFile(filepath.Join(dir, name)) {
			return Kustomize
		}
	}
	return ""
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// TemplateSkipped is the reason files of a Helm chart's templates/ are
// skipped when met on their own.
const TemplateSkipped = "Helm chart template (render with helm template)"

// InChartTemplates reports whether a file sits in the templates/ folder
// of a Helm chart (a folder next to a Chart.yaml): such files are Go
// templates, not YAML, until helm renders them. charts caches the folders
// already looked at.
func InChartTemplates(path string, charts map[string]bool) bool {
	dir := filepath.Dir(path)
	for {
		if filepath.Base(dir) == "templates" {
			parent := filepath.Dir(dir)
			is, ok := charts[parent]
			if !ok {
				_, err := os.Stat(filepath.Join(parent, "Chart.yaml"))
				is = err == nil
				charts[parent] = is
			}
			if is {
				return true
			}
		}
		up := filepath.Dir(dir)
		if up == dir {
			return false
		}
		dir = up
	}
}

// LoadHelmValues reads Helm values files in order, each overriding the ones
// before it (as helm's --values does).
func LoadHelmValues(files []string) (map[string]any, error) {
	base := map[string]any{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if err := checkValuesYAML(data, f); err != nil {
			return nil, err
		}
		cur := map[string]any{}
		if err := yaml.Unmarshal(data, &cur); err != nil {
			return nil, fmt.Errorf("%s: not a YAML map of values: %v", f, err)
		}
		base = loader.MergeMaps(base, cur)
	}
	return base, nil
}

// Dir renders a chart or kustomization directory (kind from Kind); root
// is the tree a kustomization may read (ScanRoot of the path scanned).
func Dir(dir, root, kind string, opts Options) *inventory.Batch {
	if kind == Helm {
		return renderChart(dir, opts)
	}
	return renderKustomization(dir, root, opts)
}

func inputError(dir, msg string) *inventory.Batch {
	return &inventory.Batch{Errors: []inventory.InputError{{Input: dir, Message: msg}}}
}

// renderChart renders a Helm chart offline, as `helm template` does: the
// chart's default values overridden by opts.HelmValues, release name
// "aksguard", namespace opts.Namespace, default capabilities, no cluster
// lookups. Namespaced objects whose templates set no namespace are put in
// the release namespace, as helm install does. Dependencies must be vendored
// under charts/. Each rendered
// template is decoded as a manifest named after the template's path.
func renderChart(dir string, opts Options) *inventory.Batch {
	// Helm's errors may quote values (a tpl error quotes the whole
	// rendered block): each message is redacted with the chart's values
	// before it leaves here.
	red := redact.New()
	red.AddValues(opts.HelmValues)
	if err := checkChartValues(dir, opts.MaxBytes); err != nil {
		return inputError(dir, "reading the Helm chart's values: "+red.Text(err.Error()))
	}
	ch, err := loader.LoadDir(dir)
	if err != nil {
		return inputError(dir, "loading the Helm chart: "+red.Text(err.Error()))
	}
	addChartValues(ch, red)
	if err := missingDependencies(ch); err != nil {
		return inputError(dir, err.Error())
	}
	vals := opts.HelmValues
	if vals == nil {
		vals = map[string]any{}
	}
	if err := chartv2util.ProcessDependencies(ch, vals); err != nil {
		return inputError(dir, "processing the Helm chart's dependencies: "+red.Text(err.Error()))
	}
	ns := opts.Namespace
	if ns == "" {
		ns = "default"
	}
	// Schema validation is skipped: a values.schema.json may reference
	// remote schemas, and aksguard never goes to the network.
	rv, err := chartutil.ToRenderValuesWithSchemaValidation(ch, vals, chartcommon.ReleaseOptions{
		Name: ReleaseName, Namespace: ns, Revision: 1, IsInstall: true,
	}, chartcommon.DefaultCapabilities.Copy(), true)
	if err != nil {
		return inputError(dir, "merging the Helm chart's values: "+red.Text(err.Error()))
	}
	red.AddValues(rv["Values"])
	out, err := helmengine.Render(ch, rv, helmLimits(opts))
	if err != nil {
		return inputError(dir, "rendering the Helm chart: "+red.Text(err.Error()))
	}
	type doc struct {
		name string
		data string
	}
	var docs []doc
	// CRDs (crds/ of the chart and its subcharts) as with --include-crds.
	for _, crd := range ch.CRDObjects() {
		docs = append(docs, doc{strings.TrimPrefix(filepath.ToSlash(crd.Filename), ch.Name()+"/"), string(crd.File.Data)})
	}
	var tpls []doc
	for name, data := range out {
		base := path.Base(name)
		if base == "NOTES.txt" || strings.HasPrefix(base, "_") || strings.TrimSpace(data) == "" {
			continue
		}
		tpls = append(tpls, doc{strings.TrimPrefix(name, ch.Name()+"/"), data})
	}
	sort.Slice(tpls, func(i, j int) bool { return tpls[i].name < tpls[j].name })
	docs = append(docs, tpls...)
	b := &inventory.Batch{}
	for _, d := range docs {
		b.Merge(manifest.Decode([]byte(d.data), filepath.Join(dir, filepath.FromSlash(d.name))))
	}
	if b.Kube == nil && len(b.Errors) == 0 {
		b.Skipped = helmEmpty
	}
	inReleaseNamespace(b.Kube, ns)
	return redactBatch(b, red)
}

// addChartValues records the values of a chart and of its subcharts in red,
// and keeps the names of their templates and files (which errors quote to
// point at the place) from being redacted.
func addChartValues(ch *chart.Chart, red *redact.Redactor) {
	red.AddValues(map[string]any(ch.Values))
	for _, f := range ch.Templates {
		red.Keep(path.Join(ch.ChartFullPath(), f.Name))
	}
	for _, f := range ch.Files {
		red.Keep(f.Name)
	}
	for _, d := range ch.Dependencies() {
		addChartValues(d, red)
	}
}

// helmLimits are the evaluation budgets of one chart's rendering.
func helmLimits(opts Options) helmengine.Limits {
	lim := helmengine.DefaultLimits
	if opts.HelmLimits != nil {
		lim = *opts.HelmLimits
	}
	return lim
}

// inReleaseNamespace puts the namespaced objects whose templates set no
// namespace into the release namespace, where helm install creates them;
// cluster-scoped objects stay without one.
func inReleaseNamespace(k *inventory.Kube, ns string) {
	if k == nil {
		return
	}
	k.EachObject(func(m *inventory.Meta) {
		if !m.ClusterScoped && m.Namespace == "" {
			m.Namespace = ns
		}
	})
}

// missingDependencies reports the dependencies of Chart.yaml (and of its
// vendored subcharts) that are not under charts/: aksguard does not
// download them.
func missingDependencies(ch *chart.Chart) error {
	var missing []string
	var walk func(c *chart.Chart)
	walk = func(c *chart.Chart) {
		have := map[string]bool{}
		for _, d := range c.Dependencies() {
			have[d.Name()] = true
			walk(d)
		}
		if c.Metadata == nil {
			return
		}
		for _, r := range c.Metadata.Dependencies {
			if r != nil && !have[r.Name] {
				missing = append(missing, r.Name)
			}
		}
	}
	walk(ch)
	if len(missing) > 0 {
		return fmt.Errorf("the Helm chart's dependencies %s are not in its charts/ directory: run `helm dependency build` first (aksguard does not download charts)", strings.Join(missing, ", "))
	}
	return nil
}
