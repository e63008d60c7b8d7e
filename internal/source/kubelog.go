package source

import "github.com/aksguard/aksguard/internal/inventory"

// kubeLog records where each file's Kubernetes objects landed in the
// merged inventory, for attributeKube, without holding each file's own
// Kube: a mark of the merged collections before and after the file's
// objects, and the file's counts in one shared list.
type kubeLog struct {
	marks  []kubeMark
	counts []kubeCount
}

// kubeMark is one file's place in the merged Kube.
type kubeMark struct {
	path     string
	from, to inventory.KubeMark
	counts   [2]int // its entries in kubeLog.counts
	inputs   int
	unread   map[string]string
	api      *inventory.APIServer
}

// kubeCount is one entry of a file's Objects, Ignored or Skipped counts.
type kubeCount struct {
	which byte // 'o' Objects, 'i' Ignored, 's' Skipped
	key   string
	n     int
}

// merge merges b into all (with roots.merge), marking the objects of path.
func (l *kubeLog) merge(all, b *inventory.Batch, path string, merge func()) {
	if b.Kube == nil {
		merge()
		return
	}
	var from inventory.KubeMark
	if all.Kube != nil {
		from = all.Kube.Mark()
	}
	k := b.Kube
	merge()
	m := kubeMark{path: path, from: from, to: all.Kube.Mark(), inputs: k.Inputs, unread: k.Unread, api: k.API}
	m.counts[0] = len(l.counts)
	for _, c := range []struct {
		which byte
		m     map[string]int
	}{{'o', k.Objects}, {'i', k.Ignored}, {'s', k.Skipped}} {
		for key, n := range c.m {
			l.counts = append(l.counts, kubeCount{c.which, key, n})
		}
	}
	m.counts[1] = len(l.counts)
	l.marks = append(l.marks, m)
}

// parts are the files' Kubernetes inputs, cut out of the merged Kube all.
func (l *kubeLog) parts(all *inventory.Kube) []kubePart {
	out := make([]kubePart, 0, len(l.marks))
	for _, m := range l.marks {
		k := all.Slice(m.from, m.to)
		k.Inputs, k.Unread, k.API = m.inputs, m.unread, m.api
		for _, c := range l.counts[m.counts[0]:m.counts[1]] {
			switch c.which {
			case 'o':
				k.Objects = addCount(k.Objects, c.key, c.n)
			case 'i':
				k.Ignored = addCount(k.Ignored, c.key, c.n)
			case 's':
				k.Skipped = addCount(k.Skipped, c.key, c.n)
			}
		}
		out = append(out, kubePart{path: m.path, kube: k})
	}
	return out
}

func addCount(m map[string]int, key string, n int) map[string]int {
	if m == nil {
		m = map[string]int{}
	}
	m[key] += n
	return m
}
