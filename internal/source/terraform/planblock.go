package terraform

import (
	"strconv"

	"github.com/aksguard/aksguard/internal/inventory"
)

// Why texts of plan values that cannot be read.
const (
	whyAfterApply = "known after apply"
	whySensitive  = "sensitive (marked in the plan or by the provider); value not read"
)

// jsonBlock is a resource (or a nested block) of plan or state JSON:
// its values, and the matching subtrees of after_unknown and
// after_sensitive (or sensitive_values) that mark unknown and sensitive
// leaves with true.
type jsonBlock struct {
	values    map[string]any
	unknown   any
	sensitive any
	p         string
	ln        int
	// idRef reports whether the configuration sets an argument to a
	// resource's id alone (so it is set, though known only after apply);
	// nil for nested blocks.
	idRef func(arg string) bool
	// sens is what the provider marks sensitive in the block
	// (sensitiveArgs), whatever the plan's marks say.
	sens schema
}

func (j *jsonBlock) path() string { return j.p }
func (j *jsonBlock) line() int    { return j.ln }

func (j *jsonBlock) attr(name string) val {
	p := j.p + "." + name
	if s, _ := isSensitiveArg(j.sens, name); s {
		return unknownVal(whySensitive, p, j.ln)
	}
	if u := child(j.unknown, name); anyTrue(u) {
		v := unknownVal(whyAfterApply, p, j.ln)
		if arr, ok := u.([]any); ok {
			// A list whose elements wait for apply: its length is known.
			v.set, v.n = true, len(arr)
		} else if j.idRef != nil && j.idRef(name) {
			v.set = true
		}
		return v
	}
	v := j.values[name]
	if v == nil {
		return absentVal(p, j.ln)
	}
	if anyTrue(child(j.sensitive, name)) {
		return unknownVal(whySensitive, p, j.ln)
	}
	return val{state: inventory.Known, v: v, path: p, line: j.ln}
}

func (j *jsonBlock) blocks(name string) ([]block, string) {
	u, s := child(j.unknown, name), child(j.sensitive, name)
	sensArg, sens := isSensitiveArg(j.sens, name)
	if u == true {
		return nil, whyAfterApply
	}
	if s == true || sensArg {
		return nil, whySensitive
	}
	var items []any
	switch t := j.values[name].(type) {
	case []any:
		items = t
	case map[string]any:
		// A single nested block (framework resources) is an object;
		// read it as a list of one.
		items = []any{t}
		u, s = []any{u}, []any{s}
	}
	var out []block
	why := ""
	for i, it := range items {
		ui, si := index(u, i), index(s, i)
		if ui == true {
			why = whyAfterApply
			continue
		}
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		out = append(out, &jsonBlock{values: m, unknown: ui, sensitive: si, sens: sens,
			p: j.p + "." + name + "[" + strconv.Itoa(i) + "]", ln: j.ln})
	}
	// Blocks that are wholly unknown may be missing from the values.
	if arr, ok := u.([]any); ok && len(arr) > len(items) {
		for _, x := range arr[len(items):] {
			if x == true {
				why = whyAfterApply
			}
		}
	}
	return out, why
}

func (j *jsonBlock) names() []nameAt {
	var out []nameAt
	seen := map[string]bool{}
	for k, v := range j.values {
		if isSet(v) || anyTrue(child(j.unknown, k)) {
			out = append(out, nameAt{k, j.ln})
			seen[k] = true
		}
	}
	// A value known only after apply may be missing from the values.
	if m, ok := j.unknown.(map[string]any); ok {
		for k, u := range m {
			if !seen[k] && anyTrue(u) {
				out = append(out, nameAt{k, j.ln})
			}
		}
	}
	return out
}

// isSet reports whether a plan value sets its argument: plan and state
// JSON list every attribute of the schema, with null, an empty list (no
// block) or an empty map when it is not set.
func isSet(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case []any:
		return len(t) > 0
	case map[string]any:
		return len(t) > 0
	}
	return true
}

// child is the subtree of a marks tree (after_unknown, after_sensitive)
// under a key. A parent marked true marks all its children.
func child(marks any, name string) any {
	switch t := marks.(type) {
	case map[string]any:
		return t[name]
	case bool:
		if t {
			return true
		}
	}
	return nil
}

func index(marks any, i int) any {
	switch t := marks.(type) {
	case []any:
		if i < len(t) {
			return t[i]
		}
	case bool:
		if t {
			return true
		}
	}
	return nil
}

// anyTrue reports whether a marks tree marks anything.
func anyTrue(marks any) bool {
	switch t := marks.(type) {
	case bool:
		return t
	case []any:
		for _, x := range t {
			if anyTrue(x) {
				return true
			}
		}
	case map[string]any:
		for _, x := range t {
			if anyTrue(x) {
				return true
			}
		}
	}
	return false
}
