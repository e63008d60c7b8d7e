package armexpr

import (
	"errors"
	"strings"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// resourceFunctions: resourceId, subscriptionResourceId,
// tenantResourceId, extensionResourceId.
func resourceFunctions() map[string]builtin {
	b := builtin{min: 0, max: -1, placeholders: true, fn: fnResourceID}
	return map[string]builtin{"resourceid": b, "subscriptionresourceid": b, "tenantresourceid": b, "extensionresourceid": b}
}

func fnResourceID(s *scope, c site, args []*jsontree.Node) (*jsontree.Node, *evalError) {
	texts := make([]string, len(args))
	size := 0
	for i, a := range args {
		t, ok := a.AsString()
		if !ok {
			return nil, failf("%s() takes strings", c.e.name)
		}
		texts[i] = t
		size += len(t)
	}
	if err := s.room(size); err != nil {
		return nil, err
	}
	id, err := resourceIDText(c.name, texts)
	if err != nil {
		return nil, failf("%s(): %s", c.e.name, err)
	}
	return s.newStr(id, c.line)
}

// resourceIDText builds the text of resourceId() and its relatives. The
// subscription and resource group are unknown offline, so a plain
// resourceId(type, name) is "Namespace/type/name"; given explicitly, they
// are spelled out. Scope matching only looks at the provider part.
func resourceIDText(fn string, args []string) (string, error) {
	var base string
	if fn == "extensionresourceid" {
		if len(args) < 3 {
			return "", errors.New("needs a resource ID, a type and a name")
		}
		base, args = strings.TrimSuffix(args[0], "/")+"/providers/", args[1:]
	}
	ti := -1
	for i, a := range args {
		if strings.Contains(a, "/") {
			ti = i
			break
		}
	}
	if ti < 0 {
		return "", errors.New("no resource type (Namespace/type) among the arguments")
	}
	var prefix string
	switch {
	case fn == "extensionresourceid":
		if ti != 0 {
			return "", errors.New("the resource type must follow the resource ID")
		}
		prefix = base
	case fn == "tenantresourceid":
		if ti != 0 {
			return "", errors.New("the resource type must come first")
		}
		prefix = "/providers/"
	case ti == 0:
	case ti == 1 && fn == "subscriptionresourceid":
		prefix = "/subscriptions/" + args[0] + "/providers/"
	case ti == 1:
		prefix = "/resourceGroups/" + args[0] + "/providers/"
	case ti == 2 && fn == "resourceid":
		prefix = "/subscriptions/" + args[0] + "/resourceGroups/" + args[1] + "/providers/"
	default:
		return "", errors.New("too many arguments before the resource type")
	}
	segs := strings.Split(strings.Trim(args[ti], "/"), "/")
	var names []string
	for _, n := range args[ti+1:] {
		names = append(names, strings.Split(strings.Trim(n, "/"), "/")...)
	}
	if len(names) != len(segs)-1 {
		return "", errors.New("the number of names does not match the resource type")
	}
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString(segs[0])
	for i, t := range segs[1:] {
		b.WriteString("/" + t + "/" + names[i])
	}
	if b.Len() > maxStringLen {
		return "", errors.New("resource ID too long")
	}
	return b.String(), nil
}
