package upgrades

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var upg007 = &check.Control{
	ID: "AKS-UPG-007", Title: "Node image is current", Severity: check.Medium, Area: kit.AreaUpgrades,
	Inputs:      []check.Input{check.AZ, check.AZX, check.K8S},
	Reads:       []string{inventory.ColNodes},
	Rationale:   "The node image carries the OS kernel and packages; an old image means unpatched nodes, whatever the Kubernetes version.",
	FailsWhen:   "The node image is older than the latest available (pool upgrade profile) or, without a profile, older than the configured age (default 30 days) judged from the date stamp in the image version (the pool's nodeImageVersion, else its Nodes' kubernetes.azure.com/node-image-version label). Windows pools need the profile.",
	Remediation: "Upgrade the node image (or let the NodeImage channel do it).",
	References:  []string{"https://learn.microsoft.com/azure/aks/node-image-upgrade", "https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image"},
	Run: kit.MixedRun(kit.Fix{
		AZ: "az aks nodepool upgrade -g {rg} --cluster-name {name} -n {pool} --node-image-only",
		TF: "node_os_upgrade_channel = \"NodeImage\" (the image itself is upgraded outside Terraform: az aks nodepool upgrade --node-image-only)",
	}, evalUPG007),
}

var (
	imageDateRE    = regexp.MustCompile(`(\d{4})(\d{2})\.(\d{2})\.\d+$`)
	oldImageDateRE = regexp.MustCompile(`(\d{4})\.(\d{2})\.(\d{2})$`)
)

func nodeImageDate(v string) (time.Time, bool) {
	m := imageDateRE.FindStringSubmatch(v)
	if m == nil {
		m = oldImageDateRE.FindStringSubmatch(v)
	}
	if m == nil {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", m[1]+"-"+m[2]+"-"+m[3])
	return t, err == nil
}

// Node labels AKS sets on every node.
const (
	labelNodeImage = "kubernetes.azure.com/node-image-version"
	labelAgentPool = "kubernetes.azure.com/agentpool"
)

// nodeImage is the node image one pool's Nodes report in their labels: the
// oldest build among them, so that a node left behind is not hidden.
type nodeImage struct {
	version string
	node    *inventory.Node
	nodes   int
}

// nodeImages reads the kubernetes.azure.com/node-image-version label of
// the Nodes, by lower-cased pool (kubernetes.azure.com/agentpool label, ""
// when a Node carries none).
func nodeImages(k *inventory.Kube) map[string]*nodeImage {
	out := map[string]*nodeImage{}
	if k == nil {
		return out
	}
	for _, n := range k.Nodes {
		v := n.Labels[labelNodeImage]
		if v == "" {
			continue
		}
		pool := strings.ToLower(n.Labels[labelAgentPool])
		cur := out[pool]
		if cur == nil {
			out[pool] = &nodeImage{version: v, node: n, nodes: 1}
			continue
		}
		cur.nodes++
		if t, ok := nodeImageDate(v); ok {
			if ct, cok := nodeImageDate(cur.version); !cok || t.Before(ct) {
				cur.version, cur.node = v, n
			}
		}
	}
	return out
}

// Field turns a Node label into the field UPG-007 judges.
func (ni *nodeImage) field() inventory.Field[string] {
	return inventory.Field[string]{Val: ni.version, State: inventory.Known,
		Path: "Node/" + ni.node.Name + " metadata.labels[" + labelNodeImage + "]", Line: ni.node.Source.Line}
}

func (ni *nodeImage) evidence() kit.Evidence {
	e := kit.KubeEv(&ni.node.Meta, "Node/"+ni.node.Name+" metadata.labels["+labelNodeImage+"]", ni.version)
	if ni.nodes > 1 {
		e.Value += fmt.Sprintf(" (the oldest of %d Nodes)", ni.nodes)
	}
	return e
}

// imageAge judges a node image by the build date in its version.
func imageAge(ctx *check.Context, v string) (check.Status, string, bool) {
	built, ok := nodeImageDate(v)
	if !ok {
		return check.NotAssessed, "", false
	}
	age := ctx.Now.Sub(built)
	days := int(age.Hours() / 24)
	if age > ctx.Settings.NodeImageMaxAge {
		return check.Fail, fmt.Sprintf("node image built %s is %d days old", built.Format("2006-01-02"), days), true
	}
	return check.Pass, fmt.Sprintf("node image built %s (%d days old)", built.Format("2006-01-02"), days), true
}

func evalUPG007(ctx *check.Context, c *inventory.Cluster, kin kit.KubeIn, o *kit.Out, _ *kit.KubeOut) {
	labels := nodeImages(kin.K)
	if c == nil {
		evalUPG007Nodes(ctx, kin.K, labels, o)
		return
	}
	pools, ok := o.Pools()
	if !ok {
		return
	}
	maxAge := ctx.Settings.NodeImageMaxAge
	for _, p := range pools {
		img := p.NodeImageVersion
		var extra []kit.Evidence
		if !img.IsKnown() && !img.IsUnknown() {
			// Not in the Azure input (a template, Terraform): the pool's
			// Nodes say which image they run.
			if ni := labels[strings.ToLower(p.Name)]; ni != nil && p.Name != "" {
				img = ni.field()
				extra = append(extra, ni.evidence())
			}
		}
		imgEv := kit.Ev(img, "")
		if len(extra) > 0 {
			imgEv = extra[0]
		}
		var prof *inventory.PoolUpgrade
		if c.UpgradeProfile != nil {
			prof = c.UpgradeProfile.Pools[strings.ToLower(p.Name)]
		}
		if prof != nil && prof.LatestNodeImageVersion != "" {
			latest := kit.Fact("upgradeProfile.latestNodeImageVersion", prof.LatestNodeImageVersion)
			latest.Line = 0
			switch {
			case !img.IsKnown():
				o.EmitPool(p, check.NotAssessed, "the pool's node image version is not in the input", imgEv, latest)
			case strings.EqualFold(img.Val, prof.LatestNodeImageVersion):
				o.EmitPool(p, check.Pass, "node image is the latest available", imgEv, latest)
			default:
				o.EmitPool(p, check.Fail, fmt.Sprintf("node image %s is older than the latest available %s", img.Val, prof.LatestNodeImageVersion), imgEv, latest)
			}
			continue
		}
		switch {
		case img.IsUnknown():
			o.EmitPool(p, check.NotAssessed, "the node image version cannot be determined from this input", imgEv)
			continue
		case !img.IsKnown():
			msg := "the node image version is only known for a deployed pool (scan az aks show or the pool's upgrade profile)"
			if kin.K == nil {
				msg += ", or the cluster's Nodes (their " + labelNodeImage + " label)"
			} else {
				msg += "; no Node of pool " + p.Name + " in the Kubernetes input carries the " + labelNodeImage + " label"
			}
			o.EmitPool(p, check.NotAssessed, msg, imgEv)
			continue
		case kit.EqFold(p.OSType.Val, "Windows"):
			o.EmitPool(p, check.NotAssessed, "Windows node images carry no build date: "+poolUpgradeHint(c, "scan `az aks nodepool get-upgrades` output to compare with the latest"), imgEv)
			continue
		}
		st, msg, ok := imageAge(ctx, img.Val)
		if !ok {
			o.EmitPool(p, check.NotAssessed, "the node image version carries no recognisable build date: "+poolUpgradeHint(c, "scan the pool's upgrade profile"), imgEv)
			continue
		}
		thr := kit.Fact("threshold", fmt.Sprintf("%d days (%s)", int(maxAge.Hours()/24), poolUpgradeHint(c, "no upgrade profile given")))
		o.EmitPool(p, st, msg, imgEv, thr)
	}
}

// evalUPG007Nodes judges the Kubernetes input alone (no Azure cluster in the
// scan): every pool's Nodes by the build date in their image label.
func evalUPG007Nodes(ctx *check.Context, k *inventory.Kube, labels map[string]*nodeImage, o *kit.Out) {
	if len(labels) == 0 {
		n := 0
		if k != nil {
			n = len(k.Nodes)
		}
		o.Unknown(fmt.Sprintf("no Node in the Kubernetes input carries the %s label (%d Nodes read): scan the cluster's az aks show output or the live cluster", labelNodeImage, n),
			kit.Fact("nodes", fmt.Sprintf("%d without %s", n, labelNodeImage)))
		return
	}
	pools := make([]string, 0, len(labels))
	for p := range labels {
		pools = append(pools, p)
	}
	sort.Strings(pools)
	var stale, stalePools, undated, fresh []string
	var evs []kit.Evidence
	for _, p := range pools {
		ni := labels[p]
		name := p
		if name == "" {
			name = "(no " + labelAgentPool + " label)"
		}
		evs = append(evs, ni.evidence())
		if ni.node.Labels["kubernetes.io/os"] == "windows" {
			undated = append(undated, name+": Windows node images carry no build date")
			continue
		}
		st, msg, ok := imageAge(ctx, ni.version)
		switch {
		case !ok:
			undated = append(undated, name+": "+ni.version+" carries no recognisable build date")
		case st == check.Fail:
			stale = append(stale, "pool "+name+": "+msg)
			stalePools = append(stalePools, name)
		default:
			fresh = append(fresh, "pool "+name+": "+msg)
		}
	}
	evs = append(evs, kit.Fact("threshold", fmt.Sprintf("%d days (no upgrade profile given)", int(ctx.Settings.NodeImageMaxAge.Hours()/24))))
	switch {
	case len(stale) > 0:
		// The scan names no Azure cluster: the fix cannot name it either
		// (the scope's name is not the cluster's).
		o.Fix = kit.Fix{AZ: "az aks nodepool upgrade -g <resource-group> --cluster-name <cluster> -n <pool> --node-image-only, for pool " +
			strings.Join(stalePools, ", ") + " (or set the NodeImage node OS upgrade channel)"}
		o.Fail(strings.Join(stale, "; "), evs...)
	case len(undated) > 0:
		o.Unknown(strings.Join(undated, "; ")+": scan the pools' upgrade profiles (az aks nodepool get-upgrades)", evs...)
	default:
		o.Pass(strings.Join(fresh, "; "), evs...)
	}
}

// poolUpgradeHint says why the latest node image is unknown: the live read
// of the pool upgrade profiles failed (naming the permission), else what to
// scan.
func poolUpgradeHint(c *inventory.Cluster, scan string) string {
	if why := c.UnreadReason(inventory.CompanionPoolUpgrades); why != "" {
		return "the pool's upgrade profile was not read: " + why
	}
	return scan
}
