package azure

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// clusterQuery lists the managed clusters the identity can read.
const clusterQuery = "resources | where type =~ 'microsoft.containerservice/managedclusters' | project id | order by id asc"

// graphPageSize is the page size asked of Resource Graph (its maximum).
const graphPageSize = 1000

// ListClusters discovers the managed clusters the identity can see with
// Azure Resource Graph (POST /providers/Microsoft.ResourceGraph/resources),
// following $skipToken paging. With no subscriptions every subscription the
// identity can read is searched. IDs come back sorted and without
// duplicates.
func (c *Client) ListClusters(ctx context.Context, subscriptions []string) ([]string, error) {
	type options struct {
		Top        int    `json:"$top"`
		SkipToken  string `json:"$skipToken,omitempty"`
		ResultFmt  string `json:"resultFormat"`
		AllowTrunc bool   `json:"allowPartialScopes"`
	}
	type request struct {
		Subscriptions []string `json:"subscriptions,omitempty"`
		Query         string   `json:"query"`
		Options       options  `json:"options"`
	}
	req := request{Subscriptions: subscriptions, Query: clusterQuery,
		Options: options{Top: graphPageSize, ResultFmt: "objectArray", AllowTrunc: true}}
	seen := map[string]bool{}
	var ids []string
	for page := 0; ; page++ {
		if page >= maxPages {
			return ids, fmt.Errorf("more than %d pages from Azure Resource Graph: stopped", maxPages)
		}
		data, err := c.do(ctx, "POST", "/providers/Microsoft.ResourceGraph/resources", APIResourceGraph, req)
		if err != nil {
			return ids, fmt.Errorf("%s (Resource Graph lists only the clusters the identity can read: it needs %s on them)", describe("the managed clusters from Azure Resource Graph", PermCluster, err), PermCluster)
		}
		var resp struct {
			SkipToken string            `json:"$skipToken"`
			Data      []json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(data, &resp); err != nil {
			return ids, fmt.Errorf("the answer of Azure Resource Graph is not a query response: %v", err)
		}
		for _, row := range resp.Data {
			var r struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(row, &r) == nil && r.ID != "" && !seen[strings.ToLower(r.ID)] {
				seen[strings.ToLower(r.ID)] = true
				ids = append(ids, r.ID)
			}
		}
		if resp.SkipToken == "" {
			break
		}
		req.Options.SkipToken = resp.SkipToken
	}
	sort.Slice(ids, func(i, j int) bool { return strings.ToLower(ids[i]) < strings.ToLower(ids[j]) })
	return ids, nil
}
