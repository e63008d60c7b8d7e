package source

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"github.com/aksguard/aksguard/internal/bicep"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/detect"
	"github.com/aksguard/aksguard/internal/source/inputcap"
	"github.com/aksguard/aksguard/internal/source/manifest"
	"github.com/aksguard/aksguard/internal/source/render"
	"github.com/aksguard/aksguard/internal/source/terraform"
)

// streamAbove is the size from which a YAML file's documents are decoded by
// several goroutines while it is read (small files are already read in
// parallel, one per goroutine).
const streamAbove = 4 << 20

// maxScratch is the largest file buffer a reader keeps for the next file.
const maxScratch = 1 << 20

// readInputs reads and decodes the inputs with a bounded pool of
// goroutines, one input each, and hands each input to merge in input order
// as soon as it and the inputs before it are read, so that nothing but the
// decoded objects is held for long. With a scan budget, each input is
// charged its size (reserve) in input order by the goroutine handing the
// inputs out, while the inputs before it are being read.
func readInputs(inputs []*input, opts *Options, merge func(*input)) {
	workers := runtime.GOMAXPROCS(0)
	next := make(chan *input)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch []byte // the file buffer this reader reuses
			for in := range next {
				readInputSafely(in, opts, workers, &scratch)
				close(in.ready)
			}
		}()
	}
	for _, in := range inputs {
		if in.done == nil {
			in.ready = make(chan struct{})
		}
	}
	// Standard input is charged as it is read, against what the files
	// left: with it among the inputs every file is charged first, so that
	// which inputs fit does not depend on when standard input is read.
	res := reservation{budget: opts.budget}
	upfront := false
	for _, in := range inputs {
		upfront = upfront || (in.path == "-" && in.done == nil)
	}
	settle := func(in *input) {
		if opts.budget != nil && !res.reserve(in) {
			close(in.ready) // settled as an error (in.done), not read
		}
	}
	if upfront {
		for _, in := range inputs {
			if in.ready != nil {
				settle(in)
			}
		}
	}
	go func() {
		for _, in := range inputs {
			if in.ready == nil {
				continue
			}
			if !upfront {
				settle(in)
			}
			if in.done == nil {
				next <- in
			}
		}
		close(next)
	}()
	for i, in := range inputs {
		if in.ready != nil {
			<-in.ready
		}
		merge(in)
		opts.progress("reading inputs", i+1, len(inputs))
	}
	wg.Wait()
}

// readInputSafely is readInput turning a panic into an internal error of
// that input (exit 3: a bug in aksguard, not bad input), so that the other
// inputs are still read and judged.
func readInputSafely(in *input, opts *Options, workers int, scratch *[]byte) {
	defer func() {
		if v := recover(); v != nil {
			in.isTF, in.tf = false, nil
			in.isBicep, in.bicep = false, nil
			in.batch = &inventory.Batch{Errors: []inventory.InputError{{Input: in.path, Internal: true,
				Message: fmt.Sprintf("internal error while reading it (panic: %v): a bug in aksguard, not in the input; please report it", v)}}}
		}
	}()
	if panicHook != nil {
		panicHook(in.path)
	}
	readInput(in, opts, workers, scratch)
}

// panicHook is set by tests to make reading an input panic.
var panicHook func(path string)

// poisonScratch is set by tests to overwrite a reader's file buffer once
// its input is decoded, so that a batch still holding its bytes shows.
var poisonScratch bool

// errScanCap is returned by a capped reader when the scan's byte cap
// (--max-scan-mb) is reached while reading.
type errScanCap struct{ max int64 }

func (e errScanCap) Error() string {
	return fmt.Sprintf("the scan's byte cap (--max-scan-mb %d) was reached while reading it: the rest of it was not read; raise --max-scan-mb or scan fewer inputs", e.max>>20)
}

// scanBudget is the bytes all the inputs of one scan may read together
// (Options.MaxScanBytes). Files are charged their size, in input order,
// before any is read (reserve), so which ones fit does not depend on
// timing; bytes read beyond that (standard input, a file that grew) are
// charged as they are read, by the goroutines reading in parallel.
type scanBudget struct {
	max  int64
	used atomic.Int64
}

// reservation charges each file its size against the scan's byte budget,
// in input order (reserve is called for the inputs one after the other,
// before each is read). The file that does not fit and every input after
// it are settled as errors, not read; standard input is charged as it is
// read, against what the files before and after it left.
type reservation struct {
	budget    *scanBudget
	reserved  int64  // the sizes charged so far
	reachedAt string // the input at which the budget ran out
}

// reserve charges in its size and reports whether it is to be read; when
// not, in.done holds why.
func (r *reservation) reserve(in *input) bool {
	b := r.budget
	if r.reachedAt != "" {
		in.done = &inventory.Batch{Errors: []inventory.InputError{{Input: in.path,
			Message: fmt.Sprintf("not read: the scan's byte cap (--max-scan-mb %d) was reached at %s before it; raise --max-scan-mb or scan fewer inputs", b.max>>20, r.reachedAt)}}}
		return false
	}
	if in.path == "-" {
		return true
	}
	size, ok := inputSize(in)
	if !ok {
		return true // reading it reports the error
	}
	// The sizes charged before, not the bytes read so far: inputs before
	// this one are being read meanwhile, and what fits must not depend on
	// how far they got.
	if r.reserved+size > b.max {
		r.reachedAt = in.path
		in.done = &inventory.Batch{Errors: []inventory.InputError{{Input: in.path,
			Message: fmt.Sprintf("not read: its %d bytes would pass the scan's byte cap (--max-scan-mb %d; %d bytes read by the inputs before it); raise --max-scan-mb or scan fewer inputs", size, b.max>>20, r.reserved)}}}
		return false
	}
	in.reserved = size
	r.reserved += size
	b.used.Add(size)
	return true
}

// inputSize is the size of a file, or for a Helm chart or kustomization
// (rendered by their own loaders, not through a capped reader) the total
// size of the regular files under its directory.
func inputSize(in *input) (int64, bool) {
	if in.render == "" {
		st, err := os.Stat(in.path)
		if err != nil {
			return 0, false
		}
		return st.Size(), true
	}
	var total int64
	_ = filepath.WalkDir(in.path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			total += info.Size()
		}
		return nil
	})
	return total, true
}

// cappedReader reads at most max bytes and then fails, so that an endless
// or huge input (3 GB on stdin) ends in an input error, not in memory
// exhaustion. With a scan budget, bytes past prepaid (what was reserved for
// the input) are charged to it, and reading fails once it is spent.
type cappedReader struct {
	r       io.Reader
	left    int64
	max     int64
	scan    *scanBudget
	prepaid int64
}

func newCappedReader(r io.Reader, in *input, opts *Options) *cappedReader {
	max := maxInput(opts)
	return &cappedReader{r: r, left: max, max: max, scan: opts.budget, prepaid: in.reserved}
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One more byte tells "exactly max" from "more".
		var one [1]byte
		if n, _ := c.r.Read(one[:]); n > 0 {
			return 0, inputcap.ErrTooLarge{Max: c.max}
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.scan != nil && n > 0 {
		over := int64(n)
		if c.prepaid > 0 {
			paid := min(c.prepaid, over)
			c.prepaid -= paid
			over -= paid
		}
		if over > 0 && c.scan.used.Add(over) > c.scan.max {
			return 0, errScanCap{c.scan.max}
		}
	}
	return n, err
}

// lift raises the per-input cap to max (an audit log, streamed: it is
// not held), keeping what was already read.
func (c *cappedReader) lift(max int64) {
	if max > c.max {
		c.left += max - c.max
		c.max = max
	}
}

func maxInput(opts *Options) int64 {
	if opts.MaxInputBytes > 0 {
		return opts.MaxInputBytes
	}
	return DefaultMaxInputBytes
}

// readInput reads and decodes one input into in.batch (in.tf or in.bicep
// for the files compiled later). A small file is read into *scratch,
// which readInput then leaves to the next input its caller reads: the
// decoders copy what they keep, no batch holds the bytes of its file
// (TestScratchNotRetained).
func readInput(in *input, opts *Options, workers int, scratch *[]byte) {
	if in.render != "" {
		in.batch = render.Dir(in.path, in.root, in.render, renderOptions(opts))
		return
	}
	max := maxInput(opts)
	ext := strings.ToLower(filepath.Ext(in.path))
	if in.path != "-" && (terraform.IsTFFile(in.path) || bicep.IsBicep(in.path)) {
		f, err := openRaw(in.path)
		if err != nil {
			in.batch = &inventory.Batch{Errors: []inventory.InputError{readError(in.path, err)}}
			return
		}
		data, err := io.ReadAll(newCappedReader(f, in, opts))
		f.Close()
		if err != nil {
			in.batch = &inventory.Batch{Errors: []inventory.InputError{readError(in.path, err)}}
			return
		}
		if bicep.IsBicep(in.path) {
			in.isBicep, in.bicep = true, data
			return
		}
		in.isTF, in.tf = true, data
		return
	}
	var src io.Reader
	var size int64
	if in.path == "-" {
		if opts.Stdin == nil {
			in.batch = &inventory.Batch{Errors: []inventory.InputError{{Input: "-", Message: "no standard input to read"}}}
			return
		}
		src, size = opts.Stdin, streamAbove
	} else {
		f, err := openRaw(in.path)
		if err != nil {
			in.batch = &inventory.Batch{Errors: []inventory.InputError{readError(in.path, err)}}
			return
		}
		defer f.Close()
		// The size charged to the scan's budget was stat'ed just before;
		// it only sizes the buffer and picks the path (a file that
		// changed since is still read to its end).
		size = in.reserved
		if size <= 0 {
			if size = f.size(); size < 0 {
				size = 0
			}
		}
		src = f
	}
	cr := newCappedReader(src, in, opts)
	if in.path != "-" && size < streamAbove {
		// Small files are read whole: their documents are cut without
		// copying. An audit log among them is recognised by detect.Data,
		// or streamed from the bytes when it is gzip (auditread.go).
		// The buffer is the reader's: at 50,000 files, allocating one
		// per file was half of what a scan allocated, each byte of it
		// garbage the collector had to catch up with.
		data := (*scratch)[:0]
		if int64(cap(data)) < size+1 {
			data = make([]byte, 0, size+1)
		}
		defer func() {
			if poisonScratch {
				full := data[:cap(data)]
				for i := range full {
					full[i] = 0xA5
				}
			}
			if cap(data) <= maxScratch {
				*scratch = data[:0]
			}
		}()
		for {
			want := cap(data) - len(data)
			n, err := cr.Read(data[len(data):cap(data)])
			data = data[:len(data)+n]
			if err == io.EOF {
				break
			}
			if err != nil {
				in.batch = &inventory.Batch{Errors: []inventory.InputError{readError(in.path, err)}}
				return
			}
			// A read of a regular file ends short only at the file's
			// end: when it ended short at the size the file was
			// stat'ed with, the read that would only say EOF is saved
			// (one system call of five per file). A file that grew
			// since fills the buffer and is read on.
			if n < want && int64(len(data)) == size {
				break
			}
			if len(data) == cap(data) {
				data = append(data, 0)[:len(data)]
			}
		}
		if b := smallAuditLog(data, cr, in, opts); b != nil {
			in.batch = b
			return
		}
		in.batch = detect.Data(data, in.path, in.explicit, ext == ".yaml" || ext == ".yml", detectParams(opts))
		return
	}
	r := bufio.NewReaderSize(cr, auditBufBytes)
	// An audit log is streamed (auditread.go), whatever its size.
	if b := readAuditLog(r, cr, in, opts); b != nil {
		in.batch = b
		return
	}
	if in.path != "-" && size > max {
		in.batch = &inventory.Batch{Errors: []inventory.InputError{{Input: in.path, Message: inputcap.ErrTooLarge{Max: max}.Error()}}}
		return
	}
	in.batch = decodeStream(r, in.path, opts, in.explicit, ext == ".yaml" || ext == ".yml", size, workers)
}

// decodeStream detects the kind of one input from its first bytes: JSON
// goes to the JSON decoders, the rest is read as a YAML stream of
// Kubernetes manifests.
func decodeStream(br *bufio.Reader, file string, opts *Options, explicit, yamlExt bool, size int64, workers int) *inventory.Batch {
	head, _ := br.Peek(4096)
	readAll := func() ([]byte, *inventory.Batch) {
		data, err := io.ReadAll(br)
		if err != nil {
			msg := "reading: " + err.Error()
			if file == "-" {
				msg = "reading standard input: " + err.Error()
			}
			return nil, &inventory.Batch{Errors: []inventory.InputError{{Input: file, Message: msg}}}
		}
		return data, nil
	}
	if jsontree.LooksLikeJSON(head) {
		data, fail := readAll()
		if fail != nil {
			return fail
		}
		return detect.Data(data, file, explicit, yamlExt, detectParams(opts))
	}
	if !explicit && !yamlExt {
		return &inventory.Batch{Skipped: detect.NotJSON}
	}
	w := 1
	if size >= streamAbove {
		w = workers
	}
	return detect.NotPlainText(manifest.DecodeReader(&lineCapReader{r: br, line: 1}, file, w), file, explicit)
}

// maxLineBytes bounds one line of a YAML stream: no Kubernetes object has
// a line near it (the API server takes objects of at most a few MiB), and
// without it a stream with no newline (3 GB of zeros on stdin) is held as
// one line up to the input's byte cap.
const maxLineBytes = 8 << 20

// errLongLine is returned by a lineCapReader.
type errLongLine struct{ line int }

func (e errLongLine) Error() string {
	return fmt.Sprintf("line %d is longer than %d MiB: not read further (no Kubernetes manifest has such a line; a binary file or a stream without newlines?)", e.line, maxLineBytes>>20)
}

// lineCapReader fails once a line passes maxLineBytes.
type lineCapReader struct {
	r       io.Reader
	line    int   // the line being read, from 1
	lineLen int64 // its bytes so far
}

func (l *lineCapReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	b := p[:n]
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			l.lineLen += int64(len(b))
			break
		}
		l.line++
		l.lineLen = 0
		b = b[i+1:]
	}
	if l.lineLen > maxLineBytes {
		return 0, errLongLine{l.line}
	}
	return n, err
}

func readError(path string, err error) inventory.InputError {
	msg := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		msg = pe.Err.Error()
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		msg = "no such file or directory: check the path"
	case errors.Is(err, fs.ErrPermission):
		msg = "permission denied: make the file readable"
	}
	return inventory.InputError{Input: path, Message: msg}
}
