package audit

import (
	"bytes"
	"encoding/json"

	corev1 "k8s.io/api/core/v1"

	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
	"github.com/aksguard/aksguard/internal/inventory"
)

// workloadKinds are the resources whose request body holds a pod template,
// by API group and resource, with where the pod spec sits in the object.
var workloadKinds = map[string]map[string]string{
	"":      {"pods": "spec", "replicationcontrollers": "spec.template.spec", "podtemplates": "template.spec"},
	"apps":  {"deployments": "spec.template.spec", "replicasets": "spec.template.spec", "statefulsets": "spec.template.spec", "daemonsets": "spec.template.spec"},
	"batch": {"jobs": "spec.template.spec", "cronjobs": "spec.jobTemplate.spec.template.spec"},
}

// specPath is where a workload request's pod spec sits ("" when the
// request is not about a workload): the ephemeralcontainers subresource of
// a pod carries the whole Pod.
func specPath(o inventory.AuditObjectRef) string {
	if o.Subresource != "" && !(o.Resource == "pods" && o.Subresource == "ephemeralcontainers") {
		return ""
	}
	return workloadKinds[o.APIGroup][o.Resource]
}

// podTemplateBody is the part of every workload body that holds a pod
// spec, under any of the paths of workloadKinds.
type podTemplateBody struct {
	Spec struct {
		corev1.PodSpec
		Template    *corev1.PodTemplateSpec `json:"template"`
		JobTemplate *struct {
			Spec struct {
				Template corev1.PodTemplateSpec `json:"template"`
			} `json:"spec"`
		} `json:"jobTemplate"`
	} `json:"spec"`
	Template *corev1.PodTemplateSpec `json:"template"`
}

// podSpecOf decodes the pod spec of a request body; why is set when the
// body cannot be judged (a JSON patch, or not the object's shape).
func podSpecOf(body []byte, path string) (spec *corev1.PodSpec, why string) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || b[0] != '{' {
		return nil, "the request body is not the object (a JSON patch): the resulting pod spec is not in the log"
	}
	var w podTemplateBody
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, "the request body is not readable as the object: " + err.Error()
	}
	switch path {
	case "spec":
		return &w.Spec.PodSpec, ""
	case "template.spec":
		if w.Template != nil {
			return &w.Template.Spec, ""
		}
	case "spec.template.spec":
		if w.Spec.Template != nil {
			return &w.Spec.Template.Spec, ""
		}
	case "spec.jobTemplate.spec.template.spec":
		if w.Spec.JobTemplate != nil {
			return &w.Spec.JobTemplate.Spec.Template.Spec, ""
		}
	}
	return nil, "" // no pod template in the body (a patch of other fields)
}

// hostAccess lists what a pod spec grants of the host, judged as the
// workload controls judge it (container settings over pod settings,
// through secctx): privileged containers, hostPath volumes and the host
// namespaces.
func hostAccess(spec *corev1.PodSpec, path string) []string {
	var out []string
	w := &inventory.Workload{Spec: spec, SpecPath: path}
	for _, c := range secctx.PodContainers(w) {
		if c.Eff.Privileged.Val {
			out = append(out, "privileged")
			break
		}
	}
	for _, v := range spec.Volumes {
		if v.HostPath != nil {
			out = append(out, "hostPath")
			break
		}
	}
	if spec.HostNetwork {
		out = append(out, "hostNetwork")
	}
	if spec.HostPID {
		out = append(out, "hostPID")
	}
	if spec.HostIPC {
		out = append(out, "hostIPC")
	}
	return out
}
