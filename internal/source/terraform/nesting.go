package terraform

import (
	"fmt"

	"github.com/aksguard/aksguard/internal/inventory"
)

// maxNesting bounds how deeply brackets ({, [, ( and the ${ of
// interpolations) may nest in one HCL or HCL-JSON file. The hashicorp/hcl
// parsers recurse once or more per level, so a few kilobytes nested tens of
// thousands deep would overflow the stack and kill the process, which no
// recover can catch. Real configurations stay below a few dozen levels;
// the count includes brackets inside strings, so it errs on the side of
// a clear error, never a crash.
const maxNesting = 500

// checkNesting returns an input error naming the line where src first nests
// deeper than maxNesting, before any parser sees it.
func checkNesting(src []byte, name, what string) *inventory.InputError {
	depth, line := 0, 1
	for _, c := range src {
		switch c {
		case '\n':
			line++
		case '{', '[', '(':
			depth++
			if depth > maxNesting {
				return &inventory.InputError{Input: name, Line: line,
					Message: fmt.Sprintf("brackets nest more than %d levels deep: not parsed (a generated or hostile file?); %s", maxNesting, what)}
			}
		case '}', ']', ')':
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}
