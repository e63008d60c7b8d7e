package kit

import (
	"fmt"
	"strings"
)

// FindingRefs names the objects of Kubernetes findings.
func FindingRefs(fs []KubeFinding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.M.Ref()
	}
	return out
}

// KubeDeleteCmds renders kubectl delete commands for the objects.
func KubeDeleteCmds(fs []KubeFinding) string {
	cmds := make([]string, 0, len(fs))
	for _, f := range fs {
		kind := strings.ToLower(f.M.Kind)
		if f.M.ClusterScoped {
			cmds = append(cmds, fmt.Sprintf("kubectl delete %s %s", kind, f.M.DisplayName()))
		} else {
			cmds = append(cmds, fmt.Sprintf("kubectl delete -n %s %s %s", f.M.EffectiveNamespace(), kind, f.M.DisplayName()))
		}
	}
	return strings.Join(cmds, "; ")
}
