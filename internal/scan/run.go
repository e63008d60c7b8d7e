package scan

import (
	"context"
	"strings"

	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/progress"
	"github.com/aksguard/aksguard/internal/report"
	"github.com/aksguard/aksguard/internal/source"

	// The controls are registered when internal/checks is imported
	// (live_kube.go imports it for the image registries as well).
	_ "github.com/aksguard/aksguard/internal/checks"
)

// Run reads what the request names, evaluates the controls and returns the
// report. See the package documentation for what is an error and what is in
// the report.
func Run(ctx context.Context, req Request) (*report.Report, error) {
	opts := req.Decode
	// The progress line on standard error (a terminal only), cleared
	// before the report is written.
	line := progress.New(req.Progress)
	defer line.Done()
	opts.Progress = line.Func()

	var registryHosts []string
	if req.Azure != nil {
		registryHosts = req.Azure.RegistryHosts
	}
	if req.Kube != nil {
		b, err := readKube(ctx, req.Kube, line)
		if err != nil {
			return nil, err
		}
		opts.Live = append(opts.Live, b)
		// The registries the cluster pulls from are those of its images.
		if req.Azure != nil && len(registryHosts) == 0 {
			registryHosts = imageHosts(b.Kube)
		}
	}
	var live *liveAzure
	if req.Azure != nil {
		a := *req.Azure
		a.RegistryHosts = registryHosts
		var err error
		live, err = readAzure(ctx, &a, opts, line)
		if err != nil {
			return nil, err
		}
		opts.Live = append(opts.Live, live.batches...)
		// The clusters of a fleet that could not be read enter the scan
		// as input errors, after everything that was read.
		if len(live.errors) > 0 {
			opts.Live = append(opts.Live, &inventory.Batch{Errors: live.errors})
		}
	}

	settings := req.Settings
	cfg := req.Config
	cfg.Apply(&settings)
	only := map[string]bool{}
	for _, id := range req.Controls {
		only[id] = true
	}
	// The audit controls observe the events while the logs stream by.
	audit := newAuditFanout(settings, only, cfg.DisabledSet())
	if audit != nil {
		opts.Audit = audit
	}
	inv := source.Load(req.Paths, opts)
	// The workspace is read after the other inputs: the clusters they
	// hold name the workspaces and the authorized ranges the pushed-down
	// filter needs.
	if req.Workspace != nil {
		line.Say("reading Log Analytics workspaces")
	}
	readWorkspaces(ctx, req.Workspace, inv, audit)
	audit.attach(inv)
	// Nothing scannable is an error of its own only when no input error
	// already says why (a bad path is reported once, not twice).
	if len(inv.Clusters) == 0 && len(inv.Registries) == 0 && !inv.Kubernetes && len(inv.Kubeconfigs) == 0 && inv.Audit == nil && live == nil && len(inv.Errors) == 0 {
		inv.Errors = append(inv.Errors, inventory.InputError{Input: strings.Join(req.Paths, " "),
			Message: "found no AKS cluster or other resource aksguard reads: give az aks show -o json output, an ARM body or template, terraform show -json output or .tf files"})
	}

	eopts := engine.Options{Settings: settings, Now: req.Now, Only: only, Severities: cfg.Severities(), Disabled: cfg.DisabledSet(),
		IncludeSystem: req.IncludeSystem,
		// No writer lists pass and not-applicable results without
		// --include-passed: the engine counts them instead of keeping them.
		CountPassed: !req.IncludePassed && req.Baseline == nil}
	if cfg != nil {
		eopts.Waivers, eopts.ConfigFile, eopts.Strict = cfg.Waivers, cfg.File, cfg.Strict
		eopts.ExcludedNamespaces = cfg.ExcludedNamespaces
		eopts.IncludeSystem = eopts.IncludeSystem || cfg.IncludeSystem
	}
	line.Say("judging the controls")
	outcome := engine.Evaluate(inv, eopts)
	var judged *report.Judged
	if req.Baseline != nil {
		judged = judgedPasses(&outcome, req.IncludePassed)
	}
	if w := azureHalfMissing(inv); w != "" {
		outcome.Warnings = append(outcome.Warnings, w)
	}
	rep := engine.Build(inv, outcome, req.Version, req.Now, req.IncludePassed)
	if live != nil && live.fleet != nil {
		rep.Clusters = clusterSummaries(live.fleet, outcome.Results)
	}
	if req.Baseline != nil {
		report.ApplyBaseline(rep, req.Baseline.Report, req.Baseline.File, judged)
	}
	return rep, nil
}

// InternalError reports whether one of a report's errors is aksguard's own
// failure (a recovered panic), not a problem of the input.
func InternalError(es []inventory.InputError) bool {
	for _, e := range es {
		if e.Internal {
			return true
		}
	}
	return false
}
