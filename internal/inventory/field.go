package inventory

// State says what a source knows about one field.
type State uint8

const (
	// Absent: the input does not set the field, so the Azure (or Terraform
	// provider) default applies. Checks decide what the default means.
	Absent State = iota
	// Known: the input sets the field to Val.
	Known
	// Unknown: the input sets the field, but to something that cannot be
	// resolved offline (an ARM expression, a Terraform value known only
	// after apply, a variable without a default). Checks that need the
	// field report not-assessed with Why.
	Unknown
)

// Field is one setting as read from a source, with where it was read.
type Field[T any] struct {
	Val   T
	State State
	// Why explains an Unknown state ("unresolved expression [parameters('x')]").
	Why string
	// Path is the setting's path in the source's own vocabulary: an ARM JSON
	// path ("properties.enableRBAC"), or a Terraform argument
	// ("azurerm_kubernetes_cluster.main.role_based_access_control_enabled").
	Path string
	// Line is the 1-based line in the source file, 0 when not known.
	Line int
}

// Set returns a Known field.
func Set[T any](v T, path string, line int) Field[T] {
	return Field[T]{Val: v, State: Known, Path: path, Line: line}
}

// Unresolved returns an Unknown field.
func Unresolved[T any](why, path string, line int) Field[T] {
	return Field[T]{State: Unknown, Why: why, Path: path, Line: line}
}

// IsKnown reports whether the field holds a value read from the input.
func (f Field[T]) IsKnown() bool { return f.State == Known }

// IsUnknown reports whether the input sets the field to something unresolvable.
func (f Field[T]) IsUnknown() bool { return f.State == Unknown }

// Or returns the value when known and def otherwise (absent or unknown).
func (f Field[T]) Or(def T) T {
	if f.State == Known {
		return f.Val
	}
	return def
}
