package source

import "github.com/aksguard/aksguard/internal/source/render"

// LoadHelmValues reads Helm values files in order, each overriding the ones
// before it (as helm's --values does).
func LoadHelmValues(files []string) (map[string]any, error) {
	return render.LoadHelmValues(files)
}

// renderOptions is what rendering a chart or kustomization needs from opts.
func renderOptions(opts *Options) render.Options {
	return render.Options{HelmValues: opts.HelmValues, Namespace: opts.Namespace, MaxBytes: maxInput(opts), HelmLimits: opts.helmLimits}
}
