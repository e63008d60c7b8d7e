// Package inputcap holds the error of an input past the byte cap of one
// input (--max-input-mb), which the file reader (internal/source) and the
// renderers (internal/source/render) both give. A leaf: it imports nothing
// of aksguard.
package inputcap

import "fmt"

// ErrTooLarge is returned by a capped reader past its cap of Max bytes.
type ErrTooLarge struct{ Max int64 }

func (e ErrTooLarge) Error() string {
	return fmt.Sprintf("larger than %d MiB: not read (a scan reads at most that much of one input); raise --max-input-mb if it really is an input", e.Max>>20)
}
