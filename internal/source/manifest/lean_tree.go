package manifest

import "sync"

// The fast YAML subset parser (fastjson.go) writes what it reads through
// the emitters below: as JSON text (fastJSON), or as a flat tree of nodes
// that the lean decoder (lean.go) maps straight into the inventory's
// structs, with no JSON text in between.

// lnode is one node of a document read by the lean decoder: a mapping, a
// sequence or a scalar as sigs.k8s.io/yaml would have converted it to
// JSON. Nodes are stored in document order (a node's children follow it).
type lnode struct {
	key string // its key, when it is a value in a mapping
	// s is a string's value, or a number as its JSON text (what
	// sigs.k8s.io/yaml writes for it).
	s    string
	end  int32 // index of the first node after its subtree
	kind byte  // lMap, lSeq, lString, lNumber, lTrue, lFalse, lNull
}

const (
	lMap    = 'm'
	lSeq    = 'a'
	lString = 's'
	lNumber = '#'
	lTrue   = 't'
	lFalse  = 'f'
	lNull   = 'n'
)

// ltree collects the nodes of one document.
type ltree struct {
	nodes []lnode
	lines []fline // the parser's lines, reused
	open  []int32 // mappings and sequences being read
	key   string  // the key of the next node
}

func (t *ltree) push(kind byte, s string) int32 {
	i := int32(len(t.nodes))
	t.nodes = append(t.nodes, lnode{key: t.key, s: s, end: i + 1, kind: kind})
	t.key = ""
	return i
}

func (t *ltree) begin(kind byte) { t.open = append(t.open, t.push(kind, "")) }

func (t *ltree) finish() {
	i := t.open[len(t.open)-1]
	t.open = t.open[:len(t.open)-1]
	t.nodes[i].end = int32(len(t.nodes))
}

func (p *fparser) openMap() {
	if p.t != nil {
		p.t.begin(lMap)
		return
	}
	p.out = append(p.out, '{')
}

func (p *fparser) closeMap() {
	if p.t != nil {
		p.t.finish()
		return
	}
	p.out = append(p.out, '}')
}

// mapKey starts the n-th value of a mapping.
func (p *fparser) mapKey(n int, key string) {
	if p.t != nil {
		p.t.key = key
		return
	}
	if n > 0 {
		p.out = append(p.out, ',')
	}
	p.out = appendString(p.out, key)
	p.out = append(p.out, ':')
}

func (p *fparser) openSeq() {
	if p.t != nil {
		p.t.begin(lSeq)
		return
	}
	p.out = append(p.out, '[')
}

func (p *fparser) closeSeq() {
	if p.t != nil {
		p.t.finish()
		return
	}
	p.out = append(p.out, ']')
}

// seqSep starts the n-th entry of a sequence.
func (p *fparser) seqSep(n int) {
	if p.t == nil && n > 0 {
		p.out = append(p.out, ',')
	}
}

func (p *fparser) emitNull() {
	if p.t != nil {
		p.t.push(lNull, "")
		return
	}
	p.out = append(p.out, "null"...)
}

func (p *fparser) emitString(s string) {
	if p.t != nil {
		p.t.push(lString, s)
		return
	}
	p.out = appendString(p.out, s)
}

// emitPlain resolves a plain scalar as yaml.v2 does (appendPlain).
func (p *fparser) emitPlain(v []byte) {
	if p.t == nil {
		p.out = appendPlain(p.out, v)
		return
	}
	t, _ := resolvePlain(string(v))
	switch t {
	case 's':
		p.t.push(lString, intern(v))
	case 'n':
		p.t.push(lNull, "")
	case 't':
		p.t.push(lTrue, "")
	case 'f':
		p.t.push(lFalse, "")
	case 'i':
		p.t.push(lNumber, string(v))
	default:
		p.t.push(lNumber, string(appendPlain(nil, v)))
	}
}

// leanTree reads a document of the fast subset into a tree; ok is false
// when the document leaves the subset (as for fastJSON).
func leanTree(src []byte, t *ltree) (ok bool) {
	if !fastChars(src) {
		return false
	}
	p := fparser{src: src, t: t, lines: t.lines}
	p.split()
	t.lines = p.lines
	defer func() {
		if r := recover(); r != nil {
			if _, bail := r.(bailout); !bail {
				panic(r)
			}
			ok = false
		}
	}()
	p.document()
	return true
}

// ltreePool reuses trees between documents (and goroutines).
var ltreePool = treePool{p: sync.Pool{New: func() any { return new(ltree) }}}

type treePool struct{ p sync.Pool }

func (tp *treePool) get() *ltree { return tp.p.Get().(*ltree) }

// put returns a tree; its strings are dropped so that the pool holds no
// value of a document, and very large trees are not kept.
func (tp *treePool) put(t *ltree) {
	if cap(t.nodes) > 1<<16 || cap(t.lines) > 1<<16 {
		return
	}
	clear(t.nodes)
	clear(t.lines)
	t.nodes, t.lines, t.open, t.key = t.nodes[:0], t.lines[:0], t.open[:0], ""
	tp.p.Put(t)
}

// interned are strings that repeat in every manifest (field names and
// common values): a key or plain scalar spelled so is not allocated again.
var interned = map[string]string{}

func init() {
	for _, s := range leanFieldNames {
		interned[s] = s
	}
	for _, s := range []string{"v1", "apps/v1", "batch/v1", "rbac.authorization.k8s.io/v1", "networking.k8s.io/v1",
		"TCP", "UDP", "IfNotPresent", "Always", "Never", "ClusterIP", "NodePort", "LoadBalancer", "RuntimeDefault",
		"ALL", "Ingress", "Egress", "Cluster", "Local", "ClusterFirst", "OnFailure", "File", "FallbackToLogsOnError",
		"/dev/termination-log", "http", "https", "grpc", "metrics", "app", "name", "component", "instance",
		"app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component",
		"app.kubernetes.io/managed-by", "app.kubernetes.io/part-of", "app.kubernetes.io/version", "helm.sh/chart",
		"Helm", "release", "heritage", "chart", "get", "list", "watch", "create", "update", "patch", "delete",
		"*", "", "apps", "ServiceAccount", "ClusterRole", "Role", "User", "Group", "kube-system", "default",
		"Deployment", "StatefulSet", "DaemonSet", "Pod", "Service", "ConfigMap", "Secret", "Namespace",
		"pods", "services", "configmaps", "secrets", "endpoints", "namespaces", "nodes", "deployments",
		"CustomResourceDefinition", "apiextensions.k8s.io/v1", "PodDisruptionBudget", "policy/v1", "List",
		"ClusterRoleBinding", "RoleBinding", "NetworkPolicy", "PersistentVolumeClaim", "Job", "CronJob",
		"ReplicaSet", "ReplicationController", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
		"admissionregistration.k8s.io/v1", "StorageClass", "storage.k8s.io/v1", "HorizontalPodAutoscaler",
		"autoscaling/v2", "ServiceMonitor", "monitoring.coreos.com/v1"} {
		interned[s] = s
	}
}

// intern returns b as a string, without allocating when it is a common one.
func intern(b []byte) string {
	if s, ok := interned[string(b)]; ok {
		return s
	}
	return string(b)
}
