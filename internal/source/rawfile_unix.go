//go:build unix

package source

import (
	"io"
	"io/fs"
	"syscall"
)

// rawFile is a regular file opened for reading without the os package's
// poller: os.Open tries each file in the network poller, which a regular
// file never is (an epoll_ctl that fails and four fcntl calls to set and
// clear non-blocking mode), so reading 10,000 small files spent more in
// those system calls than in the reads (docs/performance.md). A rawFile is
// opened, read and closed with one system call each (plus the read that
// finds the end), blocking, which is what os.File does for regular files.
type rawFile struct {
	fd   int
	path string
}

func openRaw(path string) (*rawFile, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return &rawFile{fd: fd, path: path}, nil
	}
}

func (f *rawFile) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := syscall.Read(f.fd, p)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return 0, &fs.PathError{Op: "read", Path: f.path, Err: err}
		}
		if n == 0 {
			return 0, io.EOF
		}
		return n, nil
	}
}

// size is the file's size from fstat, or -1 when it cannot be had.
func (f *rawFile) size() int64 {
	var st syscall.Stat_t
	for {
		err := syscall.Fstat(f.fd, &st)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return -1
		}
		return st.Size
	}
}

func (f *rawFile) Close() error {
	return syscall.Close(f.fd)
}
