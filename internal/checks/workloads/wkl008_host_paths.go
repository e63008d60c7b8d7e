package workloads

import (
	"path"
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
	"github.com/aksguard/aksguard/internal/inventory"
)

var wkl008 = &check.Control{
	ID: "AKS-WKL-008", Title: "Host paths", Severity: check.High, Area: kit.AreaWorkloads,
	Inputs:      []check.Input{check.K8S},
	Reads:       kit.ReadsWorkloads,
	Rationale:   "A hostPath volume exposes the node's filesystem to the pod: the kubelet's credentials, the container runtime socket, other pods' data. Writable host paths are a direct way to take over the node.",
	FailsWhen:   "The pod spec has a hostPath volume, unless its path is on the allow-list (allow.hostPaths: exact paths, path prefixes or globs; empty by default) and every container that mounts it (containers, init and ephemeral containers) mounts it readOnly (one result per workload).",
	Remediation: "Replace hostPath volumes with persistent volumes, emptyDir, ConfigMaps or CSI volumes; for node agents that must read the node, allow-list the path and mount it readOnly.",
	References:  []string{"https://kubernetes.io/docs/concepts/storage/volumes/#hostpath", refPSS + "#baseline", refAKSPodSecurity},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"098fc59e-46c7-4d99-9b16-64990e543d75", // Kubernetes cluster pod hostPath volumes should only use allowed host paths
		},
	},
	Run: perWorkload(judgeHostPaths),
}

// judgeHostPaths is AKS-WKL-008.
func judgeHostPaths(ctx *check.Context, w *inventory.Workload, o *kit.KubeOut) {
	name := secctx.WorkloadName(&w.Meta)
	cs := secctx.ContainersOf(ctx, w)
	var bad []string
	var fixes []string
	var ev []kit.Evidence
	n := 0
	for i, v := range w.Spec.Volumes {
		if v.HostPath == nil {
			continue
		}
		n++
		vp := w.SpecPath + ".volumes[" + strconv.Itoa(i) + "].hostPath.path"
		ev = append(ev, kit.KubeEv(&w.Meta, vp, kit.Render(v.HostPath.Path)))
		allowed, pattern := hostPathAllowed(ctx.Settings.AllowedHostPaths, v.HostPath.Path)
		// Every container that mounts the volume must mount it read-only.
		var writers []string
		for ci := range cs {
			c := &cs[ci]
			for mi, m := range c.C.VolumeMounts {
				if m.Name != v.Name {
					continue
				}
				mp := c.Path() + ".volumeMounts[" + strconv.Itoa(mi) + "].readOnly"
				if m.ReadOnly {
					ev = append(ev, kit.KubeEv(&w.Meta, mp, "true"))
				} else {
					writers = append(writers, c.Label()+" ("+mp+")")
					ev = append(ev, kit.KubeEv(&w.Meta, mp, "not true (writable)"))
				}
			}
		}
		switch {
		case !allowed:
			why := "hostPath volume " + v.Name + " (" + v.HostPath.Path + ") is not on the allow-list"
			if len(ctx.Settings.AllowedHostPaths) == 0 {
				why = "hostPath volume " + v.Name + " (" + v.HostPath.Path + ")"
			}
			if len(writers) > 0 {
				why += ", mounted writable"
			}
			bad = append(bad, why)
			fixes = append(fixes, "replace volume "+v.Name+" ("+w.SpecPath+".volumes["+strconv.Itoa(i)+"]) with a persistent volume, emptyDir or CSI volume")
		case len(writers) > 0:
			bad = append(bad, "allow-listed hostPath volume "+v.Name+" ("+v.HostPath.Path+") is mounted writable by "+strings.Join(writers, ", "))
			fixes = append(fixes, "set readOnly: true on the mounts of volume "+v.Name+" in "+strings.Join(writers, ", "))
		default:
			ev = append(ev, kit.Fact("allow.hostPaths", pattern))
		}
	}
	switch {
	case n == 0:
		secctx.EmitWorkload(o, w, check.Pass, name+" mounts no hostPath volume", "", kit.KubeEv(&w.Meta, w.SpecPath+".volumes[].hostPath", "none"))
	case len(bad) == 0:
		secctx.EmitWorkload(o, w, check.Pass, name+" mounts only allow-listed host paths, read-only", "", ev...)
	default:
		secctx.EmitWorkload(o, w, check.Fail, name+": "+strings.Join(bad, "; "), strings.Join(fixes, "; ")+" (or allow-list a path in allow.hostPaths and mount it readOnly)", ev...)
	}
}

// hostPathAllowed matches a host path against the allow-list: an entry
// allows the same path and everything below it (/var/log allows
// /var/log/pods, not /var/logs), and entries with glob characters are
// matched with path.Match on the cleaned path.
func hostPathAllowed(allow []string, p string) (bool, string) {
	cp := path.Clean("/" + strings.TrimSpace(p))
	for _, a := range allow {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if strings.ContainsAny(a, "*?[") {
			if ok, _ := path.Match(path.Clean("/"+a), cp); ok {
				return true, a
			}
			continue
		}
		ca := path.Clean("/" + a)
		if cp == ca || ca == "/" || strings.HasPrefix(cp, ca+"/") {
			return true, a
		}
	}
	return false, ""
}
