package arm

import "github.com/aksguard/aksguard/internal/armexpr"

// The expression limits the template tests build inputs past (the
// evaluator is internal/armexpr).
const (
	maxExprDepth = armexpr.MaxExprDepth
	maxEvalDepth = armexpr.MaxEvalDepth
	maxSteps     = armexpr.MaxSteps
	maxBytes     = armexpr.MaxBytes
)
