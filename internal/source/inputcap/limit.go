package inputcap

import "io"

// Limit returns a reader of r that yields at most max bytes and then fails
// with over when r has more; a stream of exactly max bytes ends with
// io.EOF (one byte more tells it from a longer one).
func Limit(r io.Reader, max int64, over error) io.Reader {
	return &limited{r: r, left: max, over: over}
}

type limited struct {
	r    io.Reader
	left int64
	over error
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			return 0, l.over
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
