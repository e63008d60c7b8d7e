package syntax

// Bounds on hostile input, enforced by Parse. The caller caps file sizes
// well below maxBytes; these refuse absurd inputs cleanly instead of
// exhausting the stack or memory.
const (
	// maxBytes is the largest source Parse reads.
	maxBytes = 32 << 20
	// maxDepth bounds the nesting of expressions, types, objects, arrays,
	// string interpolations and parentheses together.
	maxDepth = 256
	// maxErrors is how many errors Parse reports before giving up.
	maxErrors = 20
)
