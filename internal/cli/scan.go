package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/config"
	"github.com/aksguard/aksguard/internal/k8sversion"
	"github.com/aksguard/aksguard/internal/report"
	"github.com/aksguard/aksguard/internal/scan"
	"github.com/aksguard/aksguard/internal/source"
)

type scanFlags struct {
	output        string
	outputFile    string
	includePassed bool
	failOn        string
	parameters    string
	tfVars        []string
	bicepModules  []string
	helmValues    []string
	namespace     string
	maxInputMB    int64
	maxScanMB     int64
	today         string
	controls      []string
	versionData   string
	configFile    string
	noConfig      bool
	includeSystem bool
	baselineFile  string
	kube          kubeFlags
	azure         azureFlags
	workspace     workspaceFlags
	framework     string
}

func newScanCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	f := &scanFlags{}
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Scan cluster configuration files, directories or stdin (-), live clusters (--kube, --azure-cluster) or a fleet (--all-clusters)",
		Long: `Scan AKS cluster configuration and report where it departs from AKS security practice.

Each PATH is a file, a directory (read recursively) or - for standard input. The kind of
each input is detected from its content:
  az aks show / az aks list -o json output, ARM REST bodies and list responses,
  ARM template exports (--parameters FILE resolves parameters), terraform show -json
  plans and state, directories of Terraform .tf files, and companion Azure JSON:
  az monitor diagnostic-settings list, az aks get-upgrades, az aks nodepool get-upgrades,
  az aks get-versions, az aks maintenanceconfiguration list, az acr show, az ad app show;
  Kubernetes manifests (YAML or JSON), Helm chart directories (rendered offline with the
  chart's values overridden by --values FILE, release "aksguard", --namespace) and
  kustomization directories (built with the kustomize API; no remote bases).

Live from Azure (PATH is then optional; files given too are joined to the clusters read):
  --azure-cluster ID, or --subscription S --resource-group RG --name N, reads a cluster and
  its companion data through Azure Resource Manager; --all-clusters reads every cluster the
  identity can see (Azure Resource Graph), --parallel at a time, and adds a per-cluster
  summary. Authentication is azidentity's DefaultAzureCredential (environment variables,
  workload identity, managed identity, az login). See README "Live scanning: Azure" for the
  Azure RBAC permissions each control needs.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above --fail-on,
2 aksguard could not do what was asked (bad flag, unreadable or invalid input, a cluster
that could not be read live — in a fleet scan after the report of the others is written),
3 internal error (aksguard crashed or was killed: a bug to report, not a verdict on the input).`,
		Example: `  aksguard scan examples/insecure
  az aks show -g rg -n prod -o json | aksguard scan -
  aksguard scan -o sarif --output-file aksguard.sarif infra/
  aksguard scan ./chart --values prod.yaml
  aksguard scan ./overlays/prod
  aksguard scan --kube
  aksguard scan --kubeconfig ~/.kube/prod --context prod-admin
  aksguard scan --azure-cluster /subscriptions/SUB/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod --kube
  aksguard scan --subscription SUB -g rg -n prod k8s/
  aksguard scan --all-clusters --parallel 8 -o json --output-file fleet.json
  aksguard scan --log-analytics-workspace WORKSPACE-ID --since 2026-11-16 --until 2026-11-23 aks.json
  aksguard scan --azure-cluster /subscriptions/SUB/.../managedClusters/prod --since 72h`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && !f.azure.live() && !f.kube.enabled() && len(f.workspace.workspaces) == 0 {
				return fmt.Errorf("give a PATH to scan, --kube for the live cluster, --azure-cluster / --all-clusters, or --log-analytics-workspace")
			}
			return runScan(f, args, stdin, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.output, "output", "o", "table", "report format: table, json, sarif, junit, html or markdown")
	fl.StringVar(&f.outputFile, "output-file", "", "write the report to this file instead of standard output")
	fl.BoolVar(&f.includePassed, "include-passed", false, "also show passed and not-applicable results")
	fl.StringVar(&f.failOn, "fail-on", "high", "exit 1 when a finding has at least this severity: critical, high, medium, low or none")
	fl.StringVar(&f.parameters, "parameters", "", "ARM template parameters file used to resolve [parameters('x')]")
	fl.StringArrayVar(&f.tfVars, "var", nil, "Terraform variable for .tf directories, NAME=VALUE (repeatable)")
	fl.StringArrayVar(&f.bicepModules, "bicep-module", nil, "local copy of a Bicep registry module, REF=DIR: the reference as written (br/public:avm/res/x:1.0.0, or without :tag for every version) and its folder (holding main.bicep or main.json) or file (repeatable)")
	fl.StringArrayVar(&f.helmValues, "values", nil, "Helm values file overriding the defaults of scanned charts (repeatable, later files win)")
	fl.StringVar(&f.namespace, "namespace", "default", "namespace Helm charts are rendered in (.Release.Namespace)")
	fl.Int64Var(&f.maxInputMB, "max-input-mb", source.DefaultMaxInputBytes>>20, "read at most this many MiB of one input (a file or stdin) or in all by one kustomization build; a larger one is an input error")
	fl.Int64Var(&f.maxScanMB, "max-scan-mb", source.DefaultMaxScanBytes>>20, "read at most this many MiB of all inputs together (files and stdin); the input at which it is reached and those after it are input errors")
	fl.StringSliceVar(&f.controls, "control", nil, "run only these control IDs (repeatable, comma-separated)")
	fl.StringVar(&f.configFile, "config", "", "configuration file (default: .aksguard.yaml in the working directory, if present)")
	fl.BoolVar(&f.noConfig, "no-config", false, "ignore .aksguard.yaml in the working directory")
	fl.BoolVar(&f.includeSystem, "include-system", false, "also report AKS-managed and system objects (kube-system, system: RBAC, ...)")
	fl.StringVar(&f.baselineFile, "baseline", "", "an earlier aksguard JSON report (-o json): its findings are marked existing and do not count toward --fail-on; new ones do; the ones no longer failing are listed (docs/baselines.md)")
	fl.StringVar(&f.versionData, "version-data", "", "AKS version and CVE dataset to use instead of the embedded one (see docs/version-data.md)")
	f.kube.register(fl)
	fl.StringVar(&f.today, "today", "", "evaluate as of this date (YYYY-MM-DD) instead of today, for reproducible reports")
	addAzureFlags(fl, &f.azure)
	addWorkspaceFlags(fl, &f.workspace)
	addFrameworkFlag(fl, &f.framework)
	return cmd
}

func runScan(f *scanFlags, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	write, err := writerFor(f.output)
	if err != nil {
		return err
	}
	failOn, err := check.ParseSeverity(f.failOn)
	if err != nil {
		return fmt.Errorf("--fail-on: %w", err)
	}
	if err := checkFramework(f.framework); err != nil {
		return err
	}
	req, err := f.request(args, stdin, stderr)
	if err != nil {
		return err
	}
	rep, err := scan.Run(context.Background(), *req)
	var ke *scan.KubeError
	if errors.As(err, &ke) {
		return fmt.Errorf("--kube: %w", ke.Err)
	}
	if err != nil {
		return err
	}

	out, color, closeOut, err := openOutput(f.outputFile, stdout)
	if err != nil {
		return err
	}
	defer closeOut()
	if err := addFramework(rep, f.framework); err != nil {
		return err
	}
	if err := write(out, rep, color); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	writeOutputFileSummary(stderr, f, rep)
	// The table on standard output already lists errors and warnings;
	// repeat them on standard error only when the report goes elsewhere or
	// is meant for a machine.
	if !reportShowsProblems(f) {
		for _, e := range rep.Errors {
			fmt.Fprintln(stderr, "aksguard: error:", e.Error())
		}
		for _, w := range rep.Warnings {
			fmt.Fprintln(stderr, "aksguard: warning:", w)
		}
	}
	// Exit 2 means aksguard could not do what was asked: an input could not
	// be read or decoded, or nothing at all was scannable. Companion data
	// without its cluster is a warning, not a failure of the scan.
	switch {
	case scan.InternalError(rep.Errors):
		return exitError{ExitInternal}
	case len(rep.Errors) > 0:
		return exitError{ExitError}
	case failOn != check.SevNone && anyFailAtOrAbove(rep.Results, failOn):
		return exitError{ExitFindings}
	}
	return nil
}

// request validates the flags and builds the scan they ask for; the files
// the flags name (values, parameters, configuration, version data) are read
// here, so their errors name the flag.
func (f *scanFlags) request(args []string, stdin io.Reader, stderr io.Writer) (*scan.Request, error) {
	now := time.Now().UTC()
	if f.today != "" {
		var err error
		now, err = time.Parse("2006-01-02", f.today)
		if err != nil {
			return nil, fmt.Errorf("--today %q: want a date like 2026-11-24", f.today)
		}
	}
	req := &scan.Request{Paths: args, Decode: source.Options{Stdin: stdin, Namespace: f.namespace}, Now: now, Version: version(),
		IncludePassed: f.includePassed, IncludeSystem: f.includeSystem, Progress: stderr}
	for _, id := range f.controls {
		c, ok := check.Lookup(strings.TrimSpace(id))
		if !ok {
			return nil, fmt.Errorf("--control %q: no such control (aksguard checks lists them)", id)
		}
		req.Controls = append(req.Controls, c.ID)
	}
	if f.maxInputMB < 1 {
		return nil, fmt.Errorf("--max-input-mb %d: want at least 1", f.maxInputMB)
	}
	if f.maxScanMB < 1 {
		return nil, fmt.Errorf("--max-scan-mb %d: want at least 1", f.maxScanMB)
	}
	req.Decode.MaxInputBytes, req.Decode.MaxScanBytes = f.maxInputMB<<20, f.maxScanMB<<20
	var err error
	if len(f.helmValues) > 0 {
		req.Decode.HelmValues, err = source.LoadHelmValues(f.helmValues)
		if err != nil {
			return nil, fmt.Errorf("--values: %w", err)
		}
	}
	if f.parameters != "" {
		data, err := os.ReadFile(f.parameters)
		if err != nil {
			return nil, fmt.Errorf("--parameters: %w", err)
		}
		req.Decode.TemplateParameters, err = source.LoadTemplateParameters(data, f.parameters)
		if err != nil {
			return nil, fmt.Errorf("--parameters: %w", err)
		}
	}
	if len(f.tfVars) > 0 {
		req.Decode.TerraformVars = map[string]string{}
		for _, kv := range f.tfVars {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return nil, fmt.Errorf("--var %q: want NAME=VALUE", kv)
			}
			req.Decode.TerraformVars[k] = v
		}
	}

	if len(f.bicepModules) > 0 {
		req.Decode.BicepModules = map[string]string{}
		for _, kv := range f.bicepModules {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" || v == "" {
				return nil, fmt.Errorf("--bicep-module %q: want REF=DIR (br/public:avm/res/x:1.0.0=./modules/x)", kv)
			}
			if _, err := os.Stat(v); err != nil {
				return nil, fmt.Errorf("--bicep-module %q: %w", kv, err)
			}
			req.Decode.BicepModules[k] = v
		}
	}

	req.Settings = check.DefaultSettings()
	req.Config, err = loadConfig(f)
	if err != nil {
		return nil, err
	}
	if f.versionData != "" {
		d, err := k8sversion.LoadFile(f.versionData)
		if err != nil {
			return nil, fmt.Errorf("--version-data: %w", err)
		}
		req.Settings.VersionData = d
	}

	// --registry-host alone (without a live read) is a usage error too.
	if f.azure.live() || len(f.azure.registryHosts) > 0 {
		if err := f.azure.validate(); err != nil {
			return nil, err
		}
	}
	if f.kube.enabled() && f.azure.live() && (f.azure.allClusters || len(f.azure.clusters) > 1) {
		return nil, fmt.Errorf("--kube reads one cluster's API server: scan it with the one --azure-cluster it belongs to, not with a fleet")
	}
	if f.kube.enabled() {
		if req.Kube, err = f.kube.options(); err != nil {
			return nil, err
		}
	}
	if f.azure.live() {
		req.Azure = f.azure.options()
	}
	if req.Workspace, err = f.workspace.options(time.Now().UTC(), f.azure.live()); err != nil {
		return nil, err
	}
	if req.Baseline, err = f.baseline(); err != nil {
		return nil, err
	}
	return req, nil
}

// reportShowsProblems reports whether the report written lists the errors and
// warnings where the user reads them: a table on standard output.
func reportShowsProblems(f *scanFlags) bool {
	o := strings.ToLower(f.output)
	return (o == "table" || o == "") && f.outputFile == ""
}

func anyFailAtOrAbove(rs []check.Result, sev check.Severity) bool {
	for _, r := range rs {
		if report.CountsAgainstFailOn(r) && r.Severity >= sev {
			return true
		}
	}
	return false
}

type writeFunc func(w io.Writer, r *report.Report, color bool) error

func writerFor(format string) (writeFunc, error) {
	switch strings.ToLower(format) {
	case "json":
		return func(w io.Writer, r *report.Report, _ bool) error { return report.WriteJSON(w, r) }, nil
	case "table", "":
		return writeTable, nil
	case "sarif":
		return func(w io.Writer, r *report.Report, _ bool) error { return report.WriteSARIF(w, r, check.All()) }, nil
	case "junit":
		return func(w io.Writer, r *report.Report, _ bool) error { return report.WriteJUnit(w, r) }, nil
	case "html":
		return func(w io.Writer, r *report.Report, _ bool) error { return report.WriteHTML(w, r) }, nil
	case "markdown", "md":
		return func(w io.Writer, r *report.Report, _ bool) error { return report.WriteMarkdown(w, r) }, nil
	}
	return nil, fmt.Errorf("-o %q: want table, json, sarif, junit, html or markdown", format)
}

// loadConfig reads --config, else .aksguard.yaml in the working directory.
// A nil configuration means none.
func loadConfig(f *scanFlags) (*config.Config, error) {
	switch {
	case f.configFile != "":
		c, err := config.Load(f.configFile)
		if err != nil {
			return nil, fmt.Errorf("--config: %w", err)
		}
		return c, nil
	case f.noConfig:
		return nil, nil
	}
	c, err := config.Find("")
	if err != nil {
		return nil, fmt.Errorf("%s: %w (fix it, or run with --no-config)", config.FileName, err)
	}
	return c, nil
}
