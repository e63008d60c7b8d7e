package checks

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/k8sversion"
)

const areaUpgrades = "Upgrades and nodes"

func init() {
	check.Register(&check.Control{
		ID: "AKS-UPG-004", Title: "Cluster auto-upgrade channel", Severity: check.Medium, Area: areaUpgrades,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Without an auto-upgrade channel, clusters drift out of the supported version window and miss security patches.",
		FailsWhen:   "upgradeChannel is none or unset.",
		Remediation: "Set an auto-upgrade channel (patch or stable) with a planned maintenance window.",
		References:  []string{"https://learn.microsoft.com/azure/aks/auto-upgrade-cluster"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --auto-upgrade-channel patch",
			TF:  `automatic_upgrade_channel = "patch"`,
			ARM: `properties.autoUpgradeProfile.upgradeChannel: "patch"`,
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			ch := c.UpgradeChannel
			switch {
			case ch.IsUnknown():
				o.unresolved("the auto-upgrade channel", ev(ch, ""))
			case eqFold(ch.Val, "rapid", "stable", "patch", "node-image"):
				o.pass("auto-upgrade channel "+ch.Val, ev(ch, ""))
			default:
				o.fail("no cluster auto-upgrade channel", ev(ch, "none by default"))
			}
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-UPG-005", Title: "Node OS upgrade channel", Severity: check.Medium, Area: areaUpgrades,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "With None, node OS packages are never patched; with Unmanaged, patches install nightly but nodes are never rebooted into them unless kured (or you) do it.",
		FailsWhen:   "nodeOSUpgradeChannel is None or Unmanaged.",
		Remediation: "Use the NodeImage or SecurityPatch node OS upgrade channel.",
		References:  []string{"https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image"},
		Run: perCluster(fix{
			AZ:  "az aks update -g {rg} -n {name} --node-os-upgrade-channel NodeImage",
			TF:  `node_os_upgrade_channel = "NodeImage"`,
			ARM: `properties.autoUpgradeProfile.nodeOSUpgradeChannel: "NodeImage"`,
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			ch, known, why := nodeOSChannel(c)
			switch {
			case !known:
				o.unknown(why, ev(c.NodeOSUpgradeChannel, ""))
			case eqFold(ch, "NodeImage", "SecurityPatch"):
				o.pass("node OS upgrade channel "+ch, ev(c.NodeOSUpgradeChannel, "NodeImage by default"))
			case eqFold(ch, "Unmanaged"):
				o.fail("node OS upgrade channel Unmanaged: patches are installed but nodes are not rebooted into them", ev(c.NodeOSUpgradeChannel, ""))
			default:
				o.fail("node OS upgrade channel "+ch+": node OS packages are not patched", ev(c.NodeOSUpgradeChannel, ""))
			}
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-UPG-006", Title: "Node pools follow the control plane", Severity: check.Medium, Area: areaUpgrades,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Node pools left on an older Kubernetes version miss kubelet fixes and drift toward the unsupported skew.",
		FailsWhen:   "An agent pool's Kubernetes version lags the control plane's.",
		Remediation: "Upgrade the lagging pools to the control plane's version.",
		References:  []string{"https://learn.microsoft.com/azure/aks/upgrade-aks-cluster", "https://learn.microsoft.com/azure/aks/manage-node-pools#upgrade-a-single-node-pool"},
		Run: perCluster(fix{
			AZ:     "az aks nodepool upgrade -g {rg} --cluster-name {name} -n {pool} --kubernetes-version <control-plane-version>",
			TF:     `orchestrator_version = "<control-plane-version>"`,
			TFPool: true,
			ARM:    "properties.agentPoolProfiles[].orchestratorVersion: <control-plane-version>",
		}, evalUPG006),
	})
	check.Register(&check.Control{
		ID: "AKS-UPG-007", Title: "Node image is current", Severity: check.Medium, Area: areaUpgrades,
		Inputs:      []check.Input{check.AZ, check.AZX, check.K8S},
		Reads:       []string{inventory.ColNodes},
		Rationale:   "The node image carries the OS kernel and packages; an old image means unpatched nodes, whatever the Kubernetes version.",
		FailsWhen:   "The node image is older than the latest available (pool upgrade profile) or, without a profile, older than the configured age (default 30 days) judged from the date stamp in the image version (the pool's nodeImageVersion, else its Nodes' kubernetes.azure.com/node-image-version label). Windows pools need the profile.",
		Remediation: "Upgrade the node image (or let the NodeImage channel do it).",
		References:  []string{"https://learn.microsoft.com/azure/aks/node-image-upgrade", "https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image"},
		Run: mixedRun(fix{
			AZ: "az aks nodepool upgrade -g {rg} --cluster-name {name} -n {pool} --node-image-only",
			TF: "node_os_upgrade_channel = \"NodeImage\" (the image itself is upgraded outside Terraform: az aks nodepool upgrade --node-image-only)",
		}, evalUPG007),
	})
	check.Register(&check.Control{
		ID: "AKS-UPG-009", Title: "Reboots are automated", Severity: check.Low, Area: areaUpgrades,
		Inputs:      []check.Input{check.AZ, check.K8S},
		Reads:       readsWorkloads,
		Rationale:   "With the Unmanaged (or None) channel, kernel patches need a reboot that nobody triggers unless kured is deployed.",
		FailsWhen:   "nodeOSUpgradeChannel is Unmanaged or None and no kured DaemonSet is deployed. Not applicable for NodeImage and SecurityPatch.",
		Remediation: "Use the NodeImage or SecurityPatch channel, or deploy kured.",
		References:  []string{"https://learn.microsoft.com/azure/aks/node-updates-kured", "https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image"},
		Run: mixedRun(fix{
			AZ: "az aks update -g {rg} -n {name} --node-os-upgrade-channel NodeImage (or deploy kured: helm install kured kubereboot/kured -n kube-system)",
			TF: `node_os_upgrade_channel = "NodeImage"`,
		}, evalUPG009),
	})
	check.Register(&check.Control{
		ID: "AKS-UPG-010", Title: "Maintenance window planned", Severity: check.Low, Area: areaUpgrades,
		Inputs:      []check.Input{check.AZX},
		Rationale:   "Without a planned maintenance window, auto-upgrades and node image upgrades start whenever AKS chooses, including business hours.",
		FailsWhen:   "Authoritative data (a maintenance-configuration listing) shows none of default, aksManagedAutoUpgradeSchedule or aksManagedNodeOSUpgradeSchedule; Terraform maintenance_window* blocks count. Otherwise not assessed.",
		Remediation: "Add a maintenance configuration for auto-upgrades and node OS upgrades.",
		References:  []string{"https://learn.microsoft.com/azure/aks/planned-maintenance"},
		Run: perCluster(fix{
			AZ:  "az aks maintenanceconfiguration add -g {rg} --cluster-name {name} -n aksManagedAutoUpgradeSchedule --schedule-type Weekly --day-of-week Saturday --interval-weeks 1 --start-time 00:00 --duration 8",
			TF:  `maintenance_window_auto_upgrade { frequency = "Weekly" interval = 1 day_of_week = "Saturday" start_time = "00:00" duration = 8 }`,
			ARM: "a Microsoft.ContainerService/managedClusters/maintenanceConfigurations resource named aksManagedAutoUpgradeSchedule",
		}, func(_ *check.Context, c *inventory.Cluster, o *out) {
			m := c.MaintenanceConfigs
			if m == nil {
				o.unknown(absent(c, inventory.CompanionMaintenance, "maintenance-configuration data",
					fmt.Sprintf("scan `az aks maintenanceconfiguration list -g %s --cluster-name %s -o json` with the cluster",
						orPlaceholder(c.ResourceGroup, "<rg>"), orPlaceholder(c.Name, "<cluster>"))))
				return
			}
			var found []string
			for _, n := range m.Names {
				if eqFold(n, "default", "aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule") {
					found = append(found, n)
				}
			}
			e := factAt("maintenanceConfigurations", render(m.Names), m.Source)
			switch {
			case len(found) > 0:
				o.pass("maintenance window planned: "+strings.Join(found, ", "), e)
			case m.Authoritative:
				o.fail("no maintenance window is configured", e)
			default:
				o.unknown("the input lists no maintenance window but is not a complete listing", e)
			}
		}),
	})
	check.Register(&check.Control{
		ID: "AKS-NOD-001", Title: "SSH to nodes", Severity: check.Low, Area: areaUpgrades,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "SSH keys on nodes are long-lived credentials that bypass Kubernetes RBAC and audit; disable SSH and use kubectl debug node/... when a node must be inspected.",
		FailsWhen:   "A public key is set in linuxProfile and a pool does not set securityProfile.sshAccess Disabled (waive it when justified).",
		Remediation: "Disable SSH on every pool.",
		References:  []string{"https://learn.microsoft.com/azure/aks/manage-ssh-node-access"},
		Run: perCluster(fix{
			AZ:     "az aks nodepool update -g {rg} --cluster-name {name} -n {pool} --ssh-access disabled",
			TF:     "remove linux_profile { ssh_key } (sshAccess is not exposed by azurerm: az aks nodepool update --ssh-access disabled)",
			ARM:    `properties.agentPoolProfiles[].securityProfile.sshAccess: "Disabled"`,
			TFPool: false,
		}, evalNOD001),
	})
	check.Register(&check.Control{
		ID: "AKS-NOD-002", Title: "System and user pools separated", Severity: check.Low, Area: areaUpgrades,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Application pods on system nodes compete with CoreDNS, metrics-server and konnectivity; a compromised app pod there sits next to privileged system components.",
		FailsWhen:   "There is no User-mode pool, or a User pool exists but no System pool carries the CriticalAddonsOnly taint.",
		Remediation: "Add a User pool and taint the System pools with CriticalAddonsOnly=true:NoSchedule.",
		References:  []string{"https://learn.microsoft.com/azure/aks/use-system-pools"},
		Run: perCluster(fix{
			AZ: "az aks nodepool add -g {rg} --cluster-name {name} -n userpool --mode User; az aks nodepool update -g {rg} --cluster-name {name} -n <system-pool> --node-taints CriticalAddonsOnly=true:NoSchedule",
			TF: "default_node_pool { only_critical_addons_enabled = true } and an azurerm_kubernetes_cluster_node_pool with mode = \"User\"",
		}, evalNOD002),
	})
	check.Register(&check.Control{
		ID: "AKS-NOD-003", Title: "Encryption at host / customer-managed disk keys", Severity: check.Low, Area: areaUpgrades,
		Inputs:      []check.Input{check.AZ},
		Rationale:   "Encryption at host encrypts temp disks and disk caches, which platform-managed server-side encryption does not; a disk encryption set puts OS and data disks under your key.",
		FailsWhen:   "No disk encryption set and a pool without encryption at host (named per pool).",
		Remediation: "Enable encryption at host on every pool, or use a disk encryption set.",
		References:  []string{"https://learn.microsoft.com/azure/aks/enable-host-encryption", "https://learn.microsoft.com/azure/aks/azure-disk-customer-managed-keys"},
		Run: perCluster(fix{
			AZ:     "az aks nodepool update -g {rg} --cluster-name {name} -n {pool} --enable-encryption-at-host (or add a new pool with it)",
			TF:     "host_encryption_enabled = true",
			TFPool: true,
			ARM:    "properties.agentPoolProfiles[].enableEncryptionAtHost: true",
		}, evalNOD003),
	})
	check.Register(&check.Control{
		ID: "AKS-NOD-004", Title: "Virtual nodes reviewed", Severity: check.Medium, Area: areaUpgrades,
		Inputs:      []check.Input{check.AZ, check.K8S},
		Reads:       []string{inventory.ColNodes, inventory.ColWorkloads},
		Rationale:   "Pods on virtual nodes (ACI) run outside the cluster's network policy and node hardening; they need a deliberate review.",
		FailsWhen:   "The ACI connector (virtual nodes) is enabled, or pods are scheduled onto virtual-kubelet nodes.",
		Remediation: "Disable virtual nodes unless reviewed (and waive the control with the reason).",
		References:  []string{"https://learn.microsoft.com/azure/aks/virtual-nodes"},
		Run: mixedRun(fix{
			AZ:  "az aks disable-addons -g {rg} -n {name} -a virtual-node",
			TF:  "remove the aci_connector_linux block",
			ARM: "properties.addonProfiles.aciConnectorLinux.enabled: false",
		}, evalNOD004),
	})
}

// evalUPG009: the fail needs both halves (a channel without reboots and no
// kured); a kured DaemonSet alone rules it out, so it passes even without
// Azure input.
func evalUPG009(_ *check.Context, c *inventory.Cluster, kin kubeIn, o *out, _ *kubeOut) {
	var kured []kubeFinding
	if kin.K != nil {
		kured = kuredDaemonSets(kin.K)
	}
	kev := findingsEvidence("kured", kured)
	if c == nil {
		if len(kured) > 0 {
			o.pass("kured reboots nodes after OS patches: "+ccNames(findingRefs(kured), 2), kev...)
			return
		}
		o.unknown("no kured DaemonSet in the Kubernetes input; whether the node OS upgrade channel reboots nodes itself (NodeImage, SecurityPatch) is a cluster setting: scan the cluster's az aks show output too",
			fact("kured", "no DaemonSet running a kured image"))
		return
	}
	ch, known, why := nodeOSChannel(c)
	switch {
	case known && eqFold(ch, "NodeImage", "SecurityPatch"):
		o.na("node OS upgrade channel "+ch+" reimages or patches nodes without kured", ev(c.NodeOSUpgradeChannel, "NodeImage by default"))
	case len(kured) > 0:
		msg := "kured reboots nodes after OS patches: " + ccNames(findingRefs(kured), 2)
		if known {
			msg = "node OS upgrade channel " + ch + " and " + msg
		}
		o.pass(msg, append([]evidence{ev(c.NodeOSUpgradeChannel, "")}, kev...)...)
	case !known:
		o.unknown(why, ev(c.NodeOSUpgradeChannel, ""))
	case kin.K == nil:
		o.unknown("node OS upgrade channel "+ch+" needs kured for reboots; "+kin.Missing+" to look for a kured DaemonSet", ev(c.NodeOSUpgradeChannel, ""))
	default:
		o.fail("node OS upgrade channel "+ch+" and no kured DaemonSet found: patched nodes are never rebooted into their fixes", ev(c.NodeOSUpgradeChannel, ""),
			fact("kured", fmt.Sprintf("no DaemonSet running a kured image among %d workloads", len(kin.K.Workloads))))
	}
}

// kuredDaemonSets returns the DaemonSets (any namespace) running an image
// whose repository contains "kured", or carrying kured's lock annotation (a
// kured built into another image).
func kuredDaemonSets(k *inventory.Kube) []kubeFinding {
	var out []kubeFinding
	for _, w := range k.Workloads {
		if w.Kind != "DaemonSet" {
			continue
		}
		if _, ok := w.Annotations[kuredLock]; ok {
			out = append(out, kubeFinding{m: &w.Meta, what: "annotation " + kuredLock})
			continue
		}
		for _, img := range wlImages(w) {
			if strings.Contains(strings.ToLower(imageRepoNoTag(img)), "kured") {
				out = append(out, kubeFinding{m: &w.Meta, what: "image " + img})
				break
			}
		}
	}
	return out
}

// virtualKubeletNode reports a virtual node: label type=virtual-kubelet (AKS
// virtual nodes also carry kubernetes.io/role=agent) or the
// virtual-kubelet.io/provider taint.
func virtualKubeletNode(n *inventory.Node) (string, bool) {
	if n.Labels["type"] == "virtual-kubelet" {
		return "label type=virtual-kubelet", true
	}
	for _, t := range n.Taints {
		if t.Key == "virtual-kubelet.io/provider" {
			return "taint virtual-kubelet.io/provider", true
		}
	}
	return "", false
}

// virtualKubeletTarget says how a workload's pods land on virtual nodes:
// spec.nodeName naming a virtual node (or AKS's virtual-node-aci-linux),
// a nodeSelector or required node affinity on type=virtual-kubelet, or a
// toleration of the virtual-kubelet.io/provider taint (tolerations of every
// taint do not count: DaemonSets routinely carry them).
func virtualKubeletTarget(w *inventory.Workload, virtual map[string]bool) (string, bool) {
	sp := w.Spec
	if sp.NodeName != "" && (virtual[sp.NodeName] || strings.HasPrefix(sp.NodeName, "virtual-node-aci")) {
		return w.SpecPath + ".nodeName " + sp.NodeName, true
	}
	if sp.NodeSelector["type"] == "virtual-kubelet" {
		return w.SpecPath + ".nodeSelector type: virtual-kubelet", true
	}
	if a := sp.Affinity; a != nil && a.NodeAffinity != nil && a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
		for _, t := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
			for _, e := range t.MatchExpressions {
				if e.Key == "type" && e.Operator == "In" && ccContains(e.Values, "virtual-kubelet") {
					return w.SpecPath + ".affinity.nodeAffinity type In [virtual-kubelet]", true
				}
			}
		}
	}
	for _, t := range sp.Tolerations {
		if t.Key == "virtual-kubelet.io/provider" {
			return w.SpecPath + ".tolerations virtual-kubelet.io/provider", true
		}
	}
	return "", false
}

// evalNOD004 combines the ACI connector add-on with virtual-kubelet Nodes
// and workloads targeting them. Without Azure input, the Kubernetes half
// passes only when the input lists Nodes (the add-on registers a
// virtual-kubelet Node) and no workload targets a virtual node.
func evalNOD004(_ *check.Context, c *inventory.Cluster, kin kubeIn, o *out, _ *kubeOut) {
	var fs []kubeFinding
	nodes := 0
	if k := kin.K; k != nil {
		nodes = len(k.Nodes)
		virtual := map[string]bool{}
		for _, n := range k.Nodes {
			if why, ok := virtualKubeletNode(n); ok {
				virtual[n.Name] = true
				fs = append(fs, kubeFinding{m: &n.Meta, what: why})
			}
		}
		for _, w := range k.Workloads {
			if isSystemObject(&w.Meta) {
				continue
			}
			if why, ok := virtualKubeletTarget(w, virtual); ok {
				fs = append(fs, kubeFinding{m: &w.Meta, what: why})
			}
		}
	}
	kev := findingsEvidence("virtual-kubelet", fs)
	remedy := "review the workloads on virtual nodes (network policies do not apply there) and move them to node pools, or waive the control with the reason"
	what := ""
	if len(fs) > 0 {
		what = "pods run on virtual-kubelet nodes, outside network policy: " + ccNames(findingRefs(fs), 3)
	}
	if c == nil {
		switch {
		case len(fs) > 0:
			o.failWith(what, false, remedy, fs, kev...)
		case nodes > 0:
			o.pass(fmt.Sprintf("no virtual-kubelet node among the %d Nodes of the Kubernetes input and no workload targets one", nodes),
				fact("virtual-kubelet", fmt.Sprintf("no virtual-kubelet Node (%d Nodes read) and no workload targeting one", nodes)))
		default:
			o.unknown("no workload in the Kubernetes input targets a virtual node, but the input lists no Nodes and the ACI connector add-on is a cluster setting: scan the cluster's az aks show output or the live cluster",
				fact("nodes", "none in the input"))
		}
		return
	}
	f := addonField(c, "aciConnectorLinux")
	azFail := f.Or(false)
	switch {
	case azFail && len(fs) > 0:
		o.failWith("virtual nodes (ACI connector) are enabled; "+what, true, remedy, fs, append([]evidence{ev(f, "")}, kev...)...)
	case azFail:
		o.fail("virtual nodes (ACI connector) are enabled: their pods bypass network policies", ev(f, ""))
	case len(fs) > 0:
		o.failWith(what, false, remedy, fs, append(kev, ev(f, "add-on not enabled"))...)
	case f.IsUnknown():
		o.unresolved("whether virtual nodes are enabled", ev(f, ""))
	case kin.K == nil:
		o.unknown("the ACI connector is off; "+kin.Missing+" to rule out pods on virtual-kubelet nodes", ev(f, "add-on not enabled"))
	default:
		o.pass("virtual nodes are off and no pod runs on a virtual-kubelet node", ev(f, "add-on not enabled"),
			fact("virtual-kubelet", fmt.Sprintf("no virtual-kubelet Node (%d Nodes read) and no workload targeting one", nodes)))
	}
}

// nodeOSChannel returns the effective node OS channel. Terraform's provider
// defaults it to NodeImage; for ARM inputs the default depends on the API
// version, so an unset channel is not assessed.
func nodeOSChannel(c *inventory.Cluster) (string, bool, string) {
	f := c.NodeOSUpgradeChannel
	switch {
	case f.IsUnknown():
		return "", false, "the node OS upgrade channel cannot be determined from this input: " + f.Why
	case f.IsKnown():
		return f.Val, true, ""
	case c.Format.IsTerraform():
		return "NodeImage", true, ""
	case eqFold(c.UpgradeChannel.Val, "node-image"):
		// upgradeChannel node-image requires (and sets) NodeImage.
		return "NodeImage", true, ""
	}
	return "", false, "nodeOSUpgradeChannel is not set: its default depends on the API version the cluster was created with (NodeImage since 2023-06-01); set it explicitly"
}

// lags reports whether pool version p is behind control-plane version cp;
// a minor alias ("1.34") compares by minor only.
func lags(p, cp k8sversion.Version) bool {
	if !p.HasPatch || !cp.HasPatch {
		return p.CompareMinor(cp) < 0
	}
	return p.Less(cp)
}

func firstKnown(fs ...inventory.Field[string]) inventory.Field[string] {
	for _, f := range fs {
		if f.IsKnown() && f.Val != "" {
			return f
		}
	}
	for _, f := range fs {
		if f.IsUnknown() {
			return f
		}
	}
	return fs[0]
}

func evalUPG006(_ *check.Context, c *inventory.Cluster, o *out) {
	cpF := firstKnown(c.CurrentKubernetesVersion, c.KubernetesVersion)
	if !cpF.IsKnown() {
		if cpF.IsUnknown() {
			o.unresolved("the control-plane version", ev(cpF, ""))
		} else {
			o.unknown("the control-plane version is not stated", ev(cpF, ""))
		}
		return
	}
	cp, err := k8sversion.Parse(cpF.Val)
	if err != nil {
		o.unknown("the control-plane version "+cpF.Val+" is not a Kubernetes version", ev(cpF, ""))
		return
	}
	pools, ok := o.pools()
	if !ok {
		return
	}
	lag := 0
	var evs []evidence
	for _, p := range pools {
		pf := firstKnown(p.CurrentOrchestratorVersion, p.OrchestratorVersion)
		switch {
		case pf.IsUnknown():
			lag++
			o.emitPool(p, check.NotAssessed, "the pool's version cannot be determined from this input", ev(pf, ""))
		case !pf.IsKnown():
			// Unset: the pool is created at (and follows) the control plane's version.
			evs = append(evs, ev(pf, "follows the control plane"))
		default:
			pv, err := k8sversion.Parse(pf.Val)
			if err != nil {
				lag++
				o.emitPool(p, check.NotAssessed, "the pool's version "+pf.Val+" is not a Kubernetes version", ev(pf, ""))
				continue
			}
			if lags(pv, cp) {
				lag++
				o.emitPool(p, check.Fail, fmt.Sprintf("pool %s runs %s, behind the control plane's %s", p.Name, pf.Val, cpF.Val), ev(pf, ""), ev(cpF, ""))
				o.results[len(o.results)-1].Remediation = strings.ReplaceAll(o.results[len(o.results)-1].Remediation, "<control-plane-version>", cpF.Val)
				continue
			}
			evs = append(evs, ev(pf, ""))
		}
	}
	if lag == 0 {
		o.pass("every pool runs the control plane's version "+cpF.Val, append([]evidence{ev(cpF, "")}, evs...)...)
	}
}

// Node image versions carry their build date: AKSUbuntu-2204gen2containerd-202511.07.0
// (YYYYMM.DD.N) or the older AKSUbuntu:1604:2020.03.11.
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

// field turns a Node label into the field UPG-007 judges.
func (ni *nodeImage) field() inventory.Field[string] {
	return inventory.Field[string]{Val: ni.version, State: inventory.Known,
		Path: "Node/" + ni.node.Name + " metadata.labels[" + labelNodeImage + "]", Line: ni.node.Source.Line}
}

func (ni *nodeImage) evidence() evidence {
	e := kubeEv(&ni.node.Meta, "Node/"+ni.node.Name+" metadata.labels["+labelNodeImage+"]", ni.version)
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

func evalUPG007(ctx *check.Context, c *inventory.Cluster, kin kubeIn, o *out, _ *kubeOut) {
	labels := nodeImages(kin.K)
	if c == nil {
		evalUPG007Nodes(ctx, kin.K, labels, o)
		return
	}
	pools, ok := o.pools()
	if !ok {
		return
	}
	maxAge := ctx.Settings.NodeImageMaxAge
	for _, p := range pools {
		img := p.NodeImageVersion
		var extra []evidence
		if !img.IsKnown() && !img.IsUnknown() {
			// Not in the Azure input (a template, Terraform): the pool's
			// Nodes say which image they run.
			if ni := labels[strings.ToLower(p.Name)]; ni != nil && p.Name != "" {
				img = ni.field()
				extra = append(extra, ni.evidence())
			}
		}
		imgEv := ev(img, "")
		if len(extra) > 0 {
			imgEv = extra[0]
		}
		var prof *inventory.PoolUpgrade
		if c.UpgradeProfile != nil {
			prof = c.UpgradeProfile.Pools[strings.ToLower(p.Name)]
		}
		if prof != nil && prof.LatestNodeImageVersion != "" {
			latest := fact("upgradeProfile.latestNodeImageVersion", prof.LatestNodeImageVersion)
			latest.line = 0
			switch {
			case !img.IsKnown():
				o.emitPool(p, check.NotAssessed, "the pool's node image version is not in the input", imgEv, latest)
			case strings.EqualFold(img.Val, prof.LatestNodeImageVersion):
				o.emitPool(p, check.Pass, "node image is the latest available", imgEv, latest)
			default:
				o.emitPool(p, check.Fail, fmt.Sprintf("node image %s is older than the latest available %s", img.Val, prof.LatestNodeImageVersion), imgEv, latest)
			}
			continue
		}
		switch {
		case img.IsUnknown():
			o.emitPool(p, check.NotAssessed, "the node image version cannot be determined from this input", imgEv)
			continue
		case !img.IsKnown():
			msg := "the node image version is only known for a deployed pool (scan az aks show or the pool's upgrade profile)"
			if kin.K == nil {
				msg += ", or the cluster's Nodes (their " + labelNodeImage + " label)"
			} else {
				msg += "; no Node of pool " + p.Name + " in the Kubernetes input carries the " + labelNodeImage + " label"
			}
			o.emitPool(p, check.NotAssessed, msg, imgEv)
			continue
		case eqFold(p.OSType.Val, "Windows"):
			o.emitPool(p, check.NotAssessed, "Windows node images carry no build date: "+poolUpgradeHint(c, "scan `az aks nodepool get-upgrades` output to compare with the latest"), imgEv)
			continue
		}
		st, msg, ok := imageAge(ctx, img.Val)
		if !ok {
			o.emitPool(p, check.NotAssessed, "the node image version carries no recognisable build date: "+poolUpgradeHint(c, "scan the pool's upgrade profile"), imgEv)
			continue
		}
		thr := fact("threshold", fmt.Sprintf("%d days (%s)", int(maxAge.Hours()/24), poolUpgradeHint(c, "no upgrade profile given")))
		o.emitPool(p, st, msg, imgEv, thr)
	}
}

// evalUPG007Nodes judges the Kubernetes input alone (no Azure cluster in the
// scan): every pool's Nodes by the build date in their image label.
func evalUPG007Nodes(ctx *check.Context, k *inventory.Kube, labels map[string]*nodeImage, o *out) {
	if len(labels) == 0 {
		n := 0
		if k != nil {
			n = len(k.Nodes)
		}
		o.unknown(fmt.Sprintf("no Node in the Kubernetes input carries the %s label (%d Nodes read): scan the cluster's az aks show output or the live cluster", labelNodeImage, n),
			fact("nodes", fmt.Sprintf("%d without %s", n, labelNodeImage)))
		return
	}
	pools := make([]string, 0, len(labels))
	for p := range labels {
		pools = append(pools, p)
	}
	sort.Strings(pools)
	var stale, stalePools, undated, fresh []string
	var evs []evidence
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
	evs = append(evs, fact("threshold", fmt.Sprintf("%d days (no upgrade profile given)", int(ctx.Settings.NodeImageMaxAge.Hours()/24))))
	switch {
	case len(stale) > 0:
		// The scan names no Azure cluster: the fix cannot name it either
		// (the scope's name is not the cluster's).
		o.fix = fix{AZ: "az aks nodepool upgrade -g <resource-group> --cluster-name <cluster> -n <pool> --node-image-only, for pool " +
			strings.Join(stalePools, ", ") + " (or set the NodeImage node OS upgrade channel)"}
		o.fail(strings.Join(stale, "; "), evs...)
	case len(undated) > 0:
		o.unknown(strings.Join(undated, "; ")+": scan the pools' upgrade profiles (az aks nodepool get-upgrades)", evs...)
	default:
		o.pass(strings.Join(fresh, "; "), evs...)
	}
}

// evalNOD001: a key in linuxProfile reaches every Linux node whose pool does
// not disable SSH. It passes only when at least one Linux pool is listed and
// every listed Linux pool disables SSH. An input that lists no Linux pool
// (agentPoolProfiles: [], or only Windows pools, although AKS always runs a
// Linux system pool) shows no pool disabling SSH: that fails, as the catalog
// row says; pools that cannot be enumerated are not-assessed.
func evalNOD001(_ *check.Context, c *inventory.Cluster, o *out) {
	keys := c.SSHPublicKeys
	switch {
	case keys.IsUnknown():
		o.unresolved("whether an SSH key is configured", ev(keys, ""))
		return
	case keys.Or(0) == 0:
		o.pass("no SSH public key is configured for the nodes", ev(keys, "no linuxProfile key"))
		return
	}
	if !c.PoolsKnown {
		o.pools() // reports the pools that cannot be enumerated
		return
	}
	open, linux := 0, 0
	for _, p := range c.AgentPools {
		if eqFold(p.OSType.Val, "Windows") {
			continue
		}
		linux++
		a := p.SSHAccess
		switch {
		case a.IsUnknown():
			open++
			o.emitPool(p, check.NotAssessed, "the pool's SSH access mode cannot be determined from this input", ev(a, ""))
		case eqFold(a.Val, "Disabled"):
		default:
			open++
			o.emitPool(p, check.Fail, "nodes of pool "+p.Name+" accept SSH with the cluster's key", ev(keys, ""), ev(a, "LocalUser by default"))
		}
	}
	switch {
	case linux == 0:
		o.fail("an SSH public key is configured and the input lists no Linux pool that disables SSH (AKS always runs a Linux system pool)",
			ev(keys, ""), fact(poolsPath(c), fmt.Sprintf("%d pools listed, none of them Linux", len(c.AgentPools))))
	case open == 0:
		o.pass("an SSH key is configured but every Linux pool disables SSH", ev(keys, ""))
	}
}

func evalNOD002(_ *check.Context, c *inventory.Cluster, o *out) {
	pools, ok := o.pools()
	if !ok {
		return
	}
	var users, systems []*inventory.AgentPool
	for _, p := range pools {
		if p.Mode.IsUnknown() {
			o.unresolved("the mode of pool "+p.Name, ev(p.Mode, ""))
			return
		}
		// An unset mode is System: AKS creates the pools of agentPoolProfiles
		// as System unless told otherwise.
		if eqFold(p.Mode.Val, "User") {
			users = append(users, p)
		} else if p.Mode.Val == "" || eqFold(p.Mode.Val, "System") {
			systems = append(systems, p)
		}
	}
	evs := poolsEvidence(pools, func(p *inventory.AgentPool) evidence { return ev(p.Mode, "System") })
	if len(users) == 0 {
		o.fail("no User-mode pool: applications run on the system pool", evs...)
		return
	}
	for _, p := range systems {
		if p.OnlyCriticalAddons.Or(false) {
			o.pass("system pool "+p.Name+" only runs critical add-ons", append(evs, ev(p.OnlyCriticalAddons, ""))...)
			return
		}
		for _, t := range p.NodeTaints.Val {
			if strings.HasPrefix(t, "CriticalAddonsOnly") {
				o.pass("system pool "+p.Name+" is tainted "+t, append(evs, ev(p.NodeTaints, ""))...)
				return
			}
		}
	}
	for _, p := range systems {
		if p.NodeTaints.IsUnknown() || p.OnlyCriticalAddons.IsUnknown() {
			o.unresolved("the taints of system pool "+p.Name, ev(p.NodeTaints, ""))
			return
		}
	}
	o.fail("no system pool carries the CriticalAddonsOnly taint: application pods can land on system nodes", evs...)
}

func evalNOD003(_ *check.Context, c *inventory.Cluster, o *out) {
	des := c.DiskEncryptionSet
	switch {
	case des.IsKnown() && des.Val != "":
		o.pass("OS and data disks are encrypted with a customer-managed key (disk encryption set)", ev(des, ""))
		return
	case des.IsSetUnknown():
		o.pass("OS and data disks are encrypted with a customer-managed key (disk encryption set, ID known after apply)", ev(des, ""))
		return
	case des.IsUnknown():
		o.unresolved("the disk encryption set", ev(des, ""))
		return
	}
	pools, ok := o.pools()
	if !ok {
		return
	}
	bad := 0
	for _, p := range pools {
		f := p.EncryptionAtHost
		switch {
		case f.IsUnknown():
			bad++
			o.emitPool(p, check.NotAssessed, "whether the pool encrypts at host cannot be determined from this input", ev(f, ""))
		case !f.Or(false):
			bad++
			o.emitPool(p, check.Fail, "pool "+p.Name+" has neither encryption at host nor a disk encryption set", ev(f, "off by default"), ev(des, "no disk encryption set"))
		}
	}
	if bad == 0 {
		o.pass("every pool encrypts at host", poolsEvidence(pools, func(p *inventory.AgentPool) evidence { return ev(p.EncryptionAtHost, "") })...)
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
