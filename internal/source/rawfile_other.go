//go:build !unix

package source

import "os"

// rawFile is an os.File where the poller's set-up for regular files is not
// a cost to avoid (rawfile_unix.go).
type rawFile struct{ *os.File }

func openRaw(path string) (*rawFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &rawFile{f}, nil
}

// size is the file's size, or -1 when it cannot be had.
func (f *rawFile) size() int64 {
	st, err := f.Stat()
	if err != nil {
		return -1
	}
	return st.Size()
}
