// Package scan runs one aksguard scan: it reads the file inputs, the live
// Kubernetes API server and the live Azure clusters a Request names, joins
// them into one inventory (source.Load), evaluates the registered controls
// (engine) and returns the report. It does everything between parsing the
// user's flags and writing the report, so the CLI, a test or a future agent
// runs the same scan; importing it registers the controls.
//
// Run returns an error when it could not do what was asked at all (a live
// API server or a named Azure cluster that cannot be read): no report. Every
// other problem is in the report: Report.Errors (an input that could not be
// read or decoded, a cluster of a fleet that could not be read; exit 2 in the
// CLI, 3 when InternalError says one is aksguard's own failure) and
// Report.Warnings. Whether a finding is at or above a threshold is read from
// Report.Results by the caller.
package scan

import (
	"io"
	"time"

	"k8s.io/client-go/rest"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/config"
	"github.com/aksguard/aksguard/internal/source"
	"github.com/aksguard/aksguard/internal/source/azure"
)

// Request is one scan: what to read and how to judge it. It holds no flag
// types; the CLI builds it from its flags after validating them.
type Request struct {
	// Paths are files, directories (walked recursively) or "-" for
	// Decode.Stdin.
	Paths []string
	// Decode is how file inputs are decoded: standard input, template
	// parameters, Terraform variables, Helm values and namespace, and the
	// byte caps (see source.Options; its Live field is set by Run).
	Decode source.Options

	// Settings are the controls' settings before the configuration file is
	// applied: check.DefaultSettings(), with a version dataset if one was
	// given. Config (nil: none) is applied to them and supplies severity
	// overrides, disabled controls, waivers and exclusions.
	Settings check.Settings
	Config   *config.Config
	// Controls limits the run to these control IDs as the registry spells
	// them (empty: all).
	Controls []string
	// IncludeSystem keeps results on AKS-managed and system objects.
	IncludeSystem bool
	// IncludePassed makes the writers show pass and not-applicable results.
	// Without it Report.Results holds none (the summary counts them).
	IncludePassed bool
	// Baseline, when set, is compared with the scan's findings
	// (baseline.go).
	Baseline *Baseline
	// Now is the date the scan judges as of; Version is the tool version in
	// the report.
	Now     time.Time
	Version string

	// Kube, when set, reads the live Kubernetes API server too.
	Kube *KubeOptions
	// Azure, when set, reads clusters live from Azure Resource Manager.
	Azure *AzureOptions
	// Workspace, when set, reads the AKS audit logs live from Log
	// Analytics (live_workspace.go).
	Workspace *WorkspaceOptions
	// Progress receives the one-line progress of a fleet read when it is a
	// terminal (nil: none).
	Progress io.Writer
}

// KubeOptions select the live Kubernetes API server (see kubeapi.Options).
type KubeOptions struct {
	// Kubeconfig and Context follow client-go's rules when empty
	// (KUBECONFIG, ~/.kube/config, the current context, in-cluster).
	Kubeconfig  string
	Context     string
	Timeout     time.Duration
	Concurrency int
	MaxObjects  int
	// Config, when set, is used instead of a kubeconfig.
	Config *rest.Config
}

// AzureOptions select the clusters read live from Azure.
type AzureOptions struct {
	// Clusters are the resource IDs of the clusters to read. Several make
	// a fleet scan (a per-cluster summary; a cluster that cannot be read is
	// a report error, not a failed scan).
	Clusters []string
	// AllClusters reads every cluster Azure Resource Graph shows the
	// identity, in Subscriptions (empty: all it can read): a fleet scan.
	AllClusters   bool
	Subscriptions []string
	// Parallel is how many clusters are read at once.
	Parallel int
	// RegistryHosts are the registries the clusters pull from; empty reads
	// the registries of the live Kubernetes read's images, else those in
	// the cluster's resource group.
	RegistryHosts []string
	// NewClient builds the ARM client (nil: azure.NewDefaultClient).
	NewClient func() (*azure.Client, error)
	// ClusterTimeout bounds the read of one cluster, DiscoveryTimeout the
	// Resource Graph query (0: 5 minutes each).
	ClusterTimeout   time.Duration
	DiscoveryTimeout time.Duration
}

// KubeError is a live Kubernetes API server that could not be used at all.
type KubeError struct{ Err error }

func (e *KubeError) Error() string { return "live Kubernetes API: " + e.Err.Error() }
func (e *KubeError) Unwrap() error { return e.Err }
