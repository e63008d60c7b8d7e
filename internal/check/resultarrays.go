package check

import "sync"

// resultArrays holds result arrays the engine is done with, for the next
// controls to append their results to: a Kubernetes control over 50,000
// objects appends one result per object (a pass, counted and dropped when
// no report lists passes), so each control allocated an array of a few MB
// that was garbage as soon as its results were counted. Recycled, those
// arrays were a third of what the controls allocated.
var resultArrays sync.Pool

// MinRecycled is the smallest array worth recycling: smaller ones are as
// cheap to allocate.
const MinRecycled = 1024

// ResultArray is an empty array to append a control's results to: one
// Recycle handed back, or nil.
func ResultArray() []Result {
	if p, ok := resultArrays.Get().(*[]Result); ok {
		return (*p)[:0]
	}
	return nil
}

// Recycle hands back the array of rs, which nothing may refer to any more
// (its results were copied or dropped). It is cleared, so that it holds
// on to no message or evidence.
func Recycle(rs []Result) {
	if cap(rs) < MinRecycled {
		return
	}
	rs = rs[:cap(rs)]
	clear(rs)
	rs = rs[:0]
	resultArrays.Put(&rs)
}
