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
	// Set is true for an Unknown field the input certainly sets to a
	// non-empty value whose content waits for apply: a resource's id
	// (disk_encryption_set_id = azurerm_disk_encryption_set.x.id), or a
	// list whose elements are unknown but whose length is not
	// ([data.azuread_group.g.object_id]). Controls that only test
	// presence decide on it; the others still need the value.
	Set bool
	// Len is, for such a list, its number of elements (0 when the field
	// is not a list or its length is not known either).
	Len int
}

// Set returns a Known field.
func Set[T any](v T, path string, line int) Field[T] {
	return Field[T]{Val: v, State: Known, Path: path, Line: line}
}

// Unresolved returns an Unknown field.
func Unresolved[T any](why, path string, line int) Field[T] {
	return Field[T]{State: Unknown, Why: why, Path: path, Line: line}
}

// SetUnknown returns an Unknown field that the input certainly sets (see
// Field.Set); n is the number of elements of a list, 0 otherwise.
func SetUnknown[T any](why, path string, line, n int) Field[T] {
	return Field[T]{State: Unknown, Why: why, Path: path, Line: line, Set: true, Len: n}
}

// IsSetUnknown reports whether the field is set to a value known only
// after apply (see Field.Set).
func (f Field[T]) IsSetUnknown() bool { return f.State == Unknown && f.Set }

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
