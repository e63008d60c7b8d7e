package source

import "github.com/aksguard/aksguard/internal/inventory"

// kubeLog records where each file's Kubernetes objects landed in the
// merged inventory, for attributeKube, without holding each file's own
// Kube: the mark of the merged collections before each input's objects
// (the next input's mark, or end, is where they stop), and the file's
// counts in one shared list.
type kubeLog struct {
	marks  []kubeMark
	counts []kubeCount
	end    inventory.KubeMark // the merged collections after the last input
}

// kubeMark is one input's place in the merged Kube.
type kubeMark struct {
	path string
	// attributable is false for an input attributeKube does not place
	// (standard input): its objects are only skipped over.
	attributable bool
	from         inventory.KubeMark
	counts       [2]int32 // its entries in kubeLog.counts
	inputs       int32
	unread       map[string]string
	api          *inventory.APIServer
}

// kubeCount is one entry of a file's Objects, Ignored or Skipped counts.
type kubeCount struct {
	which byte // 'o' Objects, 'i' Ignored, 's' Skipped
	n     int32
	key   string
}

// newKubeLog is a log for at most inputs inputs (its marks are allocated
// once: at 50,000 files, growing them by append allocated 60 MB).
func newKubeLog(inputs int) kubeLog { return kubeLog{marks: make([]kubeMark, 0, inputs)} }

// merge merges b into all with merge (every batch with Kubernetes objects
// of the scan's inputs goes through here, so that each input's objects
// end where the next one's begin), marking b's objects as path's.
func (l *kubeLog) merge(all, b *inventory.Batch, path string, attributable bool, merge func()) {
	k := b.Kube
	if k == nil {
		merge()
		return
	}
	m := kubeMark{path: path, attributable: attributable, inputs: int32(k.Inputs), unread: k.Unread, api: k.API}
	if all.Kube != nil {
		m.from = all.Kube.Mark()
	}
	m.counts[0] = int32(len(l.counts))
	l.addCounts('o', k.Objects)
	l.addCounts('i', k.Ignored)
	l.addCounts('s', k.Skipped)
	m.counts[1] = int32(len(l.counts))
	merge()
	l.marks = append(l.marks, m)
	l.end = all.Kube.Mark()
}

func (l *kubeLog) addCounts(which byte, m map[string]int) {
	for key, n := range m {
		if len(l.counts) == cap(l.counts) {
			// Doubling: append grows a large slice by a quarter at a time.
			grown := make([]kubeCount, len(l.counts), 2*cap(l.counts)+64)
			copy(grown, l.counts)
			l.counts = grown
		}
		l.counts = append(l.counts, kubeCount{which, int32(n), key})
	}
}

// parts are the files' Kubernetes inputs, cut out of the merged Kube all.
func (l *kubeLog) parts(all *inventory.Kube) []kubePart {
	var out []kubePart
	for i, m := range l.marks {
		if !m.attributable {
			continue
		}
		to := l.end
		if i+1 < len(l.marks) {
			to = l.marks[i+1].from
		}
		k := all.Slice(m.from, to)
		k.Inputs, k.Unread, k.API = int(m.inputs), m.unread, m.api
		for _, c := range l.counts[m.counts[0]:m.counts[1]] {
			switch c.which {
			case 'o':
				k.Objects = addCount(k.Objects, c.key, int(c.n))
			case 'i':
				k.Ignored = addCount(k.Ignored, c.key, int(c.n))
			case 's':
				k.Skipped = addCount(k.Skipped, c.key, int(c.n))
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
