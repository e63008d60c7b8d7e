package frameworks

import (
	"fmt"
	"strings"
)

// parseCIS reads a CIS benchmark table: one "id<TAB>title" a line, ids
// dotted numbers ("5", "5.4", "5.4.2"). A section is an id of fewer than
// three parts. Trailing spaces of a title are dropped.
func parseCIS(data string) ([]Item, error) {
	var items []Item
	seen := map[string]bool{}
	for n, line := range strings.Split(strings.TrimRight(data, "\n"), "\n") {
		id, title, ok := strings.Cut(line, "\t")
		id, title = strings.TrimSpace(id), strings.TrimSpace(title)
		if !ok || !validCISID(id) || title == "" || strings.Contains(title, "\t") {
			return nil, fmt.Errorf("line %d: want a dotted id, a tab and a title", n+1)
		}
		if seen[id] {
			return nil, fmt.Errorf("line %d: id %s listed twice", n+1, id)
		}
		seen[id] = true
		items = append(items, Item{ID: id, Title: title, Section: strings.Count(id, ".") < 2})
	}
	return items, nil
}

func validCISID(id string) bool {
	parts := strings.Split(id, ".")
	if len(parts) > 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// parsePolicies reads the built-in policy table: a header line, then
// category, displayName, GUID, version, default effect, allowed effects,
// file, tab-separated.
func parsePolicies(data string) ([]Item, error) {
	lines := strings.Split(strings.TrimRight(data, "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "category\tdisplayName\t") {
		return nil, fmt.Errorf("line 1: want the header category, displayName, name(GUID), …")
	}
	var items []Item
	seen := map[string]bool{}
	for n, line := range lines[1:] {
		f := strings.Split(line, "\t")
		if len(f) != 7 || !validGUID(f[2]) || strings.TrimSpace(f[1]) == "" {
			return nil, fmt.Errorf("line %d: want 7 tab-separated fields with a GUID third", n+2)
		}
		if seen[f[2]] {
			return nil, fmt.Errorf("line %d: GUID %s listed twice", n+2, f[2])
		}
		seen[f[2]] = true
		items = append(items, Item{ID: f[2], Title: strings.TrimSpace(f[1]), Group: strings.TrimSpace(f[0]),
			Deprecated: strings.HasPrefix(f[1], "[Deprecated]")})
	}
	return items, nil
}

// validGUID accepts the 8-4-4-4-12 lower-case hex form the policy
// repository uses.
func validGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
				return false
			}
		}
	}
	return true
}
