package scan

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/progress"
	"github.com/aksguard/aksguard/internal/source"
	"github.com/aksguard/aksguard/internal/source/azure"
)

// defaultTimeout bounds the live read of one cluster and the Resource Graph
// query of a fleet scan unless AzureOptions say otherwise.
const defaultTimeout = 5 * time.Minute

// liveAzure is what the Azure options read.
type liveAzure struct {
	batches []*inventory.Batch
	// fleet holds every cluster read when the scan covers a fleet
	// (AllClusters, or several clusters); nil for one cluster.
	fleet []*azure.Read
	// errors are clusters that could not be read in a fleet scan.
	errors []inventory.InputError
}

// readAzure reads the clusters the options name. One named cluster that
// cannot be read is an error; in a fleet, a cluster that cannot be read is
// reported and the others are still scanned.
func readAzure(ctx context.Context, a *AzureOptions, decode source.Options, line *progress.Line) (*liveAzure, error) {
	newClient := a.NewClient
	if newClient == nil {
		newClient = azure.NewDefaultClient
	}
	clusterTimeout, discoveryTimeout := a.ClusterTimeout, a.DiscoveryTimeout
	if clusterTimeout <= 0 {
		clusterTimeout = defaultTimeout
	}
	if discoveryTimeout <= 0 {
		discoveryTimeout = defaultTimeout
	}
	client, err := newClient()
	if err != nil {
		return nil, err
	}
	ids := append([]string(nil), a.Clusters...)
	fleet := a.AllClusters || len(ids) > 1
	if a.AllClusters {
		dctx, cancel := context.WithTimeout(ctx, discoveryTimeout)
		ids, err = client.ListClusters(dctx, a.Subscriptions)
		cancel()
		if err != nil {
			if errors.Is(dctx.Err(), context.DeadlineExceeded) {
				return nil, fmt.Errorf("no answer from Azure Resource Graph within %s listing the clusters: try again later, or name the clusters with --azure-cluster", discoveryTimeout)
			}
			return nil, err
		}
		if len(ids) == 0 {
			where := "any subscription the identity can read"
			if len(a.Subscriptions) > 0 {
				where = "subscription " + strings.Join(a.Subscriptions, ", ")
			}
			return nil, fmt.Errorf("no AKS cluster in %s according to Azure Resource Graph: check the subscription and that the identity has Reader on the clusters", where)
		}
	}
	opts := azure.FleetOptions{Options: azure.Options{RegistryHosts: a.RegistryHosts, Decode: decode},
		Parallel: a.Parallel, Timeout: clusterTimeout}
	if fleet && line != nil {
		line.Update("reading clusters", 0, len(ids))
		opts.Progress = func(done, total int) { line.Update("reading clusters", done, total) }
	}
	reads := client.ReadClusters(ctx, ids, opts)
	out := &liveAzure{batches: azure.Batches(reads)}
	if !fleet {
		if reads[0].Err != nil {
			return nil, reads[0].Err
		}
		return out, nil
	}
	out.fleet = reads
	for _, r := range reads {
		if r.Err != nil {
			out.errors = append(out.errors, inventory.InputError{Input: "azure:" + r.ID, Message: readReason(r.Err)})
		}
	}
	return out, nil
}

// readReason is why a cluster could not be read, without repeating its ID.
func readReason(err error) string {
	var re *azure.ReadError
	if errors.As(err, &re) {
		return re.Reason
	}
	return err.Error()
}
