package terraform

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// azapiPlan maps an azapi_resource of a plan or state: its body is an
// object (azapi 2.x) or JSON text (1.x); parts marked unknown or sensitive
// are Unknown with that reason, never defaults.
func (r *planReader) azapiPlan(pr planResource, src inventory.Source, key string) {
	b := pr.b
	typ, _ := toString(b.attr("type").v)
	kind, api := azapiKind(typ)
	if kind == "" {
		if tv := b.attr("type"); tv.state == inventory.Unknown {
			r.c.batch.Errors = append(r.c.batch.Errors, inventory.InputError{Input: r.file, Line: b.ln,
				Message: fmt.Sprintf("%s: its type is %s, so aksguard cannot tell which resource it is and does not assess it", pr.addr, tv.why)})
		}
		return
	}
	body, ab := r.planBody(pr)
	r.c.addAzAPI(azapiRes{kind: kind, typ: typ, api: api, b: b, body: body, ab: ab, format: inventory.FormatTFPlan,
		src: src, to: func() link { return r.link(b, "parent_id") }, key: key})
}

// fromPlan converts a plan value with its after_unknown and sensitive
// marks. A key marked unknown is in the marks only, not in the values.
func (ab *azapiBody) fromPlan(v, unknown, sensitive any, line, depth int) *jsontree.Node {
	switch {
	case unknown == true:
		return ab.unknownNode(whyAfterApply, line)
	case sensitive == true:
		return ab.unknownNode(whySensitive, line)
	case depth > maxBodyDepth:
		return ab.unknownNode(fmt.Sprintf("the body nests deeper than %d levels", maxBodyDepth), line)
	}
	switch t := v.(type) {
	case map[string]any:
		keys := map[string]bool{}
		for k := range t {
			keys[k] = true
		}
		if um, ok := unknown.(map[string]any); ok {
			for k, x := range um {
				if anyTrue(x) {
					keys[k] = true
				}
			}
		}
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		n := &jsontree.Node{Kind: jsontree.Object, Line: line}
		for _, k := range names {
			n.Members = append(n.Members, jsontree.Member{Key: k, Value: ab.fromPlan(t[k], child(unknown, k), child(sensitive, k), line, depth+1)})
		}
		n.Reindex()
		return n
	case []any:
		n := &jsontree.Node{Kind: jsontree.Array, Line: line}
		for i, x := range t {
			n.Items = append(n.Items, ab.fromPlan(x, index(unknown, i), index(sensitive, i), line, depth+1))
		}
		return n
	}
	return fromGo(v, line, depth)
}

// setLines puts every node of a tree at one line (a JSON text inside a plan
// value has no lines of the plan file).
func setLines(n *jsontree.Node, line, depth int) {
	if n == nil || depth > maxBodyDepth*4 {
		return
	}
	n.Line = line
	for _, m := range n.Members {
		setLines(m.Value, line, depth+1)
	}
	for _, it := range n.Items {
		setLines(it, line, depth+1)
	}
}

// planBody reads the body of an azapi resource of a plan or state (with
// sensitive_body merged in): an object (azapi 2.x) or JSON text (1.x);
// parts marked unknown or sensitive are Unknown with that reason.
func (r *planReader) planBody(pr planResource) (*jsontree.Node, *azapiBody) {
	b := pr.b
	ab := &azapiBody{unknown: map[*jsontree.Node]string{}}
	var body *jsontree.Node
	// Not through attr: it calls the whole body unknown when any part of
	// it is; fromPlan marks the parts.
	bu, bs := child(b.unknown, "body"), child(b.sensitive, "body")
	switch {
	case bu == true || bs == true:
		body = ab.fromPlan(nil, bu, bs, b.ln, 0)
	case b.values["body"] == nil && !anyTrue(bu):
		body = &jsontree.Node{Kind: jsontree.Object, Line: b.ln}
	default:
		body = ab.fromPlan(b.values["body"], bu, bs, b.ln, 0)
	}
	if body.Kind == jsontree.String && ab.unknown[body] == "" {
		parsed, err := jsontree.Parse([]byte(body.Str))
		if err != nil {
			why := fmt.Sprintf("%s.body is not JSON (%v)", pr.addr, err)
			r.c.batch.Errors = append(r.c.batch.Errors, inventory.InputError{Input: r.file, Line: b.ln,
				Message: why + ": aksguard cannot read the resource, so the controls that need it are not assessed"})
			body = ab.unknownNode(why, b.ln)
		} else {
			setLines(parsed, b.ln, 0)
			body = parsed
		}
	}
	if sb, ok := b.values["sensitive_body"]; ok && sb != nil || anyTrue(child(b.unknown, "sensitive_body")) {
		body = ab.mergeSensitive(body, ab.planSensitiveShape(sb, b.ln, 0), 0)
	}
	return body, ab
}

// azapiUpdatePlan reads an azapi_update_resource of type managedClusters
// (or managedClusters/agentPools) of a plan or state, as azapiUpdate does
// in HCL: what its body sets wins over the cluster (or pool) it names.
func (r *planReader) azapiUpdatePlan(pr planResource, src inventory.Source, key string) {
	b := pr.b
	tv := b.attr("type")
	typ, _ := toString(tv.v)
	if tv.state == inventory.Unknown {
		r.c.batch.Errors = append(r.c.batch.Errors, inventory.InputError{Input: r.file, Line: b.ln,
			Message: fmt.Sprintf("%s: its type is %s, so aksguard cannot tell whether it patches a managed cluster, and any cluster it patches is judged without the patch", pr.addr, tv.why)})
		return
	}
	t, _, _ := strings.Cut(typ, "@")
	t = strings.TrimSpace(t)
	pool := strings.EqualFold(t, armPool)
	if !pool && !strings.EqualFold(t, armCluster) {
		return
	}
	body, ab := r.planBody(pr)
	if pool {
		arg, name := "resource_id", ""
		if v := b.attr(arg); v.state == inventory.Absent && len(r.cfg.argRefsRaw(pr.addr, arg)) == 0 {
			arg = "parent_id"
			name = stringOf(b.attr("name")).Or("")
		} else {
			name = poolNameOf(stringOf(v).Or(""))
		}
		r.c.addPoolPatch(b, body, ab, name, src, r.link(b, arg), key)
		return
	}
	patch, errs := arm.ParseClusterAt(body, pr.addr+".body", r.file, inventory.FormatTFPlan, ab.resolve)
	r.c.batch.Errors = append(r.c.batch.Errors, errs...)
	arg := "resource_id"
	if v := b.attr(arg); v.state == inventory.Absent && len(r.cfg.argRefsRaw(pr.addr, arg)) == 0 {
		arg = "parent_id"
	}
	r.c.patches = append(r.c.patches, pendingPatch{patch: patch, addr: pr.addr, src: src, to: r.link(b, arg), key: key})
}
