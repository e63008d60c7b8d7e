package armexpr

// Limits that keep a broken or hostile template from exhausting the scan.
// A real template stays far below each of them.
const (
	maxExprLen    = 16 << 10  // characters in one expression
	maxExprDepth  = 64        // nesting of calls and accessors in one expression
	maxEvalDepth  = 64        // variables and parameters evaluated inside each other
	maxDeepDepth  = 256       // depth of a value compared or copied as a whole
	maxSteps      = 1_000_000 // evaluation steps per template file
	maxBytes      = 16 << 20  // bytes of strings built per template file
	maxStringLen  = 1 << 20   // length of one built string
	maxReasonExpr = 160       // characters of an expression quoted in a reason
	maxNameLen    = 4096      // length of a resource name or scope
)

// The limits other packages and their tests name.
const (
	// MaxNameLen is the length of a resource name or scope past which a
	// name is not evaluated.
	MaxNameLen = maxNameLen
	// MaxExprDepth, MaxEvalDepth, MaxSteps and MaxBytes are the limits of
	// one expression's nesting, of variables evaluated inside each other,
	// and of a template file's evaluation steps and built string bytes.
	MaxExprDepth = maxExprDepth
	MaxEvalDepth = maxEvalDepth
	MaxSteps     = maxSteps
	MaxBytes     = maxBytes
)
