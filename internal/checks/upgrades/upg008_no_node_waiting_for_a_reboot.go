package upgrades

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var upg008 = &check.Control{
	ID: "AKS-UPG-008", Title: "No node waiting for a reboot", Severity: check.High, Area: kit.AreaUpgrades,
	Inputs:      []check.Input{check.AZ, check.K8S},
	Reads:       []string{inventory.ColNodes, inventory.ColWorkloads},
	Rationale:   "OS patches take effect only after a reboot; a node stuck in kured's reboot (cordoned and drained, holding the lock) runs unpatched and blocks every other node's reboot.",
	FailsWhen:   "A node carries kured's weave.works/kured-reboot-in-progress annotation, or the kured DaemonSet's weave.works/kured-node-lock annotation is held, for longer than the configured time (default 24 h). weave.works/kured-most-recent-reboot-needed alone records a finished reboot. Passes only when a signal source exists (a kured DaemonSet, or the NodeImage/SecurityPatch node OS upgrade channel); otherwise not assessed.",
	Remediation: "Find why the reboot does not complete (kured logs, PodDisruptionBudgets or blocking pods stopping the drain, alert filters), reboot or reimage the node, and release a stale lock.",
	References:  []string{"https://learn.microsoft.com/azure/aks/node-updates-kured", "https://kured.dev/docs/operation/", "https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image"},
	Run: kit.MixedRun(kit.Fix{
		AZ: "az aks update -g {rg} -n {name} --node-os-upgrade-channel NodeImage",
		TF: `node_os_upgrade_channel = "NodeImage"`,
	}, evalUPG008),
}

// kuredLockValue is one lock of kured's DaemonSet annotation.
type kuredLockValue struct {
	NodeID  string `json:"nodeID"`
	Created string `json:"created"`
	// TTL is a Go time.Duration: nanoseconds; 0 never expires.
	TTL int64 `json:"TTL"`
}

// kuredLocks parses the lock annotation: one lock, or with --concurrency > 1
// {"maxOwners": n, "locks": [...]}. Locks without a node are free.
func kuredLocks(v string) ([]kuredLockValue, error) {
	var multi struct {
		MaxOwners int              `json:"maxOwners"`
		Locks     []kuredLockValue `json:"locks"`
	}
	if strings.TrimSpace(v) == "" || strings.TrimSpace(v) == "null" {
		return nil, nil
	}
	if err := json.Unmarshal([]byte(v), &multi); err != nil {
		return nil, err
	}
	locks := multi.Locks
	if multi.MaxOwners == 0 && len(locks) == 0 {
		var one kuredLockValue
		if err := json.Unmarshal([]byte(v), &one); err != nil {
			return nil, err
		}
		locks = []kuredLockValue{one}
	}
	var held []kuredLockValue
	for _, l := range locks {
		if l.NodeID != "" {
			held = append(held, l)
		}
	}
	return held, nil
}

func ccHours(d time.Duration) string {
	h := d.Hours()
	if h >= 48 {
		return fmt.Sprintf("%.0f days", h/24)
	}
	return fmt.Sprintf("%.0f h", h)
}

func evalUPG008(ctx *check.Context, c *inventory.Cluster, kin kit.KubeIn, o *kit.Out, ko *kit.KubeOut) {
	wait := ctx.Settings.RebootWait
	if wait <= 0 {
		wait = 24 * time.Hour
	}
	thr := kit.Fact("rebootWait", ccHours(wait))
	var evs []kit.Evidence
	var undecided []string
	var kured []kit.KubeFinding
	signals, fails := 0, 0
	if k := kin.K; k != nil {
		kured = kuredDaemonSets(k)
		evs = append(evs, kit.FindingsEvidence("kured", kured)...)
		for _, f := range kured {
			v, set := f.M.Annotations[kuredLock]
			if !set {
				continue
			}
			path := "metadata.annotations." + kuredLock
			locks, err := kuredLocks(v)
			if err != nil {
				undecided = append(undecided, f.M.Ref()+": the lock annotation is not kured's JSON ("+err.Error()+")")
				continue
			}
			var stale, fresh []string
			for _, l := range locks {
				created, perr := time.Parse(time.RFC3339Nano, l.Created)
				switch {
				case perr != nil:
					undecided = append(undecided, fmt.Sprintf("%s: lock held by %s since %q (not a time)", f.M.Ref(), l.NodeID, l.Created))
				case l.TTL > 0 && ctx.Now.After(created.Add(time.Duration(l.TTL))):
					fresh = append(fresh, fmt.Sprintf("%s (expired after its TTL %s)", l.NodeID, time.Duration(l.TTL)))
				case ctx.Now.Sub(created) > wait:
					stale = append(stale, fmt.Sprintf("%s since %s (%s)", l.NodeID, created.UTC().Format(time.RFC3339), ccHours(ctx.Now.Sub(created))))
				default:
					fresh = append(fresh, fmt.Sprintf("%s since %s", l.NodeID, created.UTC().Format(time.RFC3339)))
				}
			}
			if len(stale) > 0 {
				fails++
				fix := fmt.Sprintf("find why the reboot of %s does not complete (kubectl -n %s logs ds/%s), then release the lock: kubectl -n %s annotate ds %s %s-",
					strings.Join(lockNodes(stale), ", "), f.M.EffectiveNamespace(), f.M.Name, f.M.EffectiveNamespace(), f.M.Name, kuredLock)
				r := ko.Emit(f.M, check.Fail, fmt.Sprintf("kured's reboot lock has been held longer than %s by %s", ccHours(wait), strings.Join(stale, ", ")), fix,
					kit.KubeEv(f.M, path, strings.Join(stale, "; ")), thr)
				r.System = false
			} else if len(fresh) > 0 {
				evs = append(evs, kit.KubeEv(f.M, path, "held by "+strings.Join(fresh, "; ")))
			}
		}
		for _, n := range k.Nodes {
			if _, ok := n.Annotations[kuredLastNeeded]; ok {
				signals++
			}
			v, ok := n.Annotations[kuredInProgress]
			if !ok {
				continue
			}
			signals++
			since, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
			e := kit.KubeEv(&n.Meta, "metadata.annotations."+kuredInProgress, v)
			switch {
			case err != nil:
				undecided = append(undecided, fmt.Sprintf("Node/%s: %s is %q, not an RFC3339 time", n.Name, kuredInProgress, v))
			case ctx.Now.Sub(since) > wait:
				fails++
				fix := fmt.Sprintf("kubectl describe node %s; check kured's logs and the PodDisruptionBudgets blocking the drain, then reboot the node (or reimage it: az aks nodepool upgrade --node-image-only)", n.Name)
				msg := fmt.Sprintf("node %s has been waiting for its reboot for %s (since %s)", n.Name, ccHours(ctx.Now.Sub(since)), since.UTC().Format(time.RFC3339))
				if n.Unschedulable {
					msg += "; it is cordoned"
				}
				r := ko.Emit(&n.Meta, check.Fail, msg, fix, e, thr)
				r.System = false
			default:
				evs = append(evs, e)
			}
		}
	}
	if fails > 0 {
		return
	}
	var ch string
	known := false
	var chEv []kit.Evidence
	if c != nil {
		ch, known, _ = nodeOSChannel(c)
		chEv = []kit.Evidence{kit.Ev(c.NodeOSUpgradeChannel, "")}
	}
	autoChannel := known && kit.EqFold(ch, "NodeImage", "SecurityPatch")
	all := append(append(chEv, evs...), thr)
	// kured's node annotations alone are no signal source: without its
	// DaemonSet the lock that holds a reboot is not read, and an annotation
	// may be left over from a kured since removed.
	annotated := ""
	if signals > 0 {
		annotated = fmt.Sprintf("; %d kured node annotation(s) found, but without kured's DaemonSet its reboot lock cannot be read", signals)
	}
	switch {
	case kin.K == nil:
		o.Unknown("kured's reboot signals live on Kubernetes objects; "+kin.Missing+" to read the node annotations and the kured lock", all...)
	case len(undecided) > 0:
		o.Unknown("a kured reboot signal cannot be read: "+strings.Join(undecided, "; "), all...)
	case len(kured) > 0:
		msg := fmt.Sprintf("no node has been waiting longer than %s for a reboot by kured (%s)", ccHours(wait), kit.NamesUpTo(kit.FindingRefs(kured), 2))
		if len(kin.K.Nodes) == 0 {
			msg += "; the input holds no Node objects, so only the DaemonSet lock was read"
		}
		o.Pass(msg, all...)
	case autoChannel:
		o.Pass(fmt.Sprintf("node OS upgrade channel %s reimages or patches nodes, and no node has been waiting longer than %s in a kured reboot", ch, ccHours(wait)), all...)
	case c == nil:
		o.Unknown("no reboot signal source: no kured DaemonSet in the Kubernetes input, and the node OS upgrade channel is a cluster setting (scan the cluster's az aks show output too)"+annotated, all...)
	case known:
		o.Unknown("no reboot signal source: node OS upgrade channel "+ch+" and no kured DaemonSet in the Kubernetes input (AKS-UPG-009 reports the missing reboots)"+annotated, all...)
	default:
		o.Unknown("no reboot signal source: no kured DaemonSet in the Kubernetes input and the node OS upgrade channel is unknown"+annotated, all...)
	}
}

// lockNodes returns the node names of "node since ..." entries.
func lockNodes(entries []string) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i], _, _ = strings.Cut(e, " ")
	}
	return out
}
