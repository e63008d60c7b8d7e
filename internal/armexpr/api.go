package armexpr

import (
	"github.com/aksguard/aksguard/internal/jsontree"
)

// Shared is the evaluation state of one template file: its step and byte
// budgets, shared by the scopes of its nested deployments.
type Shared struct{ sh *evalShared }

// NewShared starts the evaluation of one template file.
func NewShared() *Shared { return &Shared{sh: newShared()} }

// Work is the evaluation charged so far: steps and bytes of strings built
// (tests bound hostile templates by it rather than by a clock).
func (s *Shared) Work() (steps, bytes int) { return s.sh.steps, s.sh.bytes }

// Scope evaluates the expressions of one template (or of an inner-scope
// nested template) against its parameters and variables.
type Scope struct{ sc *scope }

// NewScope is the scope of the template object tmpl (its "parameters" and
// "variables").
func NewScope(sh *Shared, tmpl *jsontree.Node) *Scope {
	return &Scope{sc: newScope(sh.sh, tmpl)}
}

// Give supplies a literal parameter value; foreign says it was read from
// another file (a parameters file), whose lines are not the template's.
func (s *Scope) Give(name string, v *jsontree.Node, foreign bool) { s.sc.give(name, v, foreign) }

// GiveUnread declares a parameter whose value is supplied but never read
// (a Key Vault reference): expressions using it are unresolved.
func (s *Scope) GiveUnread(name string) { s.sc.given[jsontree.Fold(name)] = givenParam{} }

// GiveFrom supplies a parameter of an inner-scope nested template as an
// expression (or value) of the outer scope.
func (s *Scope) GiveFrom(name string, v *jsontree.Node, outer *Scope) {
	s.sc.given[jsontree.Fold(name)] = givenParam{node: v, from: outer.sc}
}

// Resolver evaluates template values: an expression string is evaluated,
// an escaped literal unescaped, anything else passes through. The string
// is the reason when the value cannot be resolved offline (it names the
// expression, never a value).
func (s *Scope) Resolver() func(n *jsontree.Node) (*jsontree.Node, string) { return s.sc.resolver() }

// NameOf evaluates a resource name, type or scope with deployment-time
// values as placeholders spelling their expression. ok is false when it
// cannot be evaluated even so; text is then the raw value.
func (s *Scope) NameOf(n *jsontree.Node) (text string, ok bool) { return s.sc.nameOf(n) }
