package cli

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// openOutput is where a report goes (scan and diff): the --output-file
// file, created, else standard output, which is coloured only when it is a
// terminal and NO_COLOR is unset. closeOut closes the file, if any.
func openOutput(outputFile string, stdout io.Writer) (out io.Writer, color bool, closeOut func(), err error) {
	if outputFile != "" {
		file, err := os.Create(outputFile)
		if err != nil {
			return nil, false, nil, fmt.Errorf("--output-file: %w", err)
		}
		return file, false, func() { file.Close() }, nil
	}
	if fd, ok := stdout.(interface{ Fd() uintptr }); ok && term.IsTerminal(int(fd.Fd())) && os.Getenv("NO_COLOR") == "" {
		color = true
	}
	return stdout, color, func() {}, nil
}
