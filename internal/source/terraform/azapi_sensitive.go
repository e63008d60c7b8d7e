package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// whySensitiveBody is the reason of the fields an azapi sensitive_body sets.
const whySensitiveBody = "set in sensitive_body; value not read"

// azapi 2.x merges sensitive_body into body before sending it. Its values
// are never read, but what it sets must not read as unset: the paths it
// sets are merged into the body as Unknown (its keys are read, not its
// values), and a sensitive_body whose shape is not written out makes the
// whole body Unknown.

// hclSensitiveBody is the shape of a .tf sensitive_body, nil when unset.
func (e *evaluator) hclSensitiveBody(h *hclBlock, ab *azapiBody) *jsontree.Node {
	a := h.body.Attributes["sensitive_body"]
	if a == nil {
		return nil
	}
	x := unwrapParens(a.Expr)
	if call, ok := x.(*hclsyntax.FunctionCallExpr); ok && call.Name == "jsonencode" && len(call.Args) == 1 && !call.ExpandFinal {
		x = unwrapParens(call.Args[0])
	}
	return ab.shapeOf(e, h, x, 0)
}

func (ab *azapiBody) shapeOf(e *evaluator, h *hclBlock, x hclsyntax.Expression, depth int) *jsontree.Node {
	line := x.Range().Start.Line
	t, ok := unwrapParens(x).(*hclsyntax.ObjectConsExpr)
	if !ok || depth > maxBodyDepth {
		return ab.unknownNode(whySensitiveBody, line)
	}
	n := &jsontree.Node{Kind: jsontree.Object, Line: line}
	for _, it := range t.Items {
		k, why := e.eval(it.KeyExpr, h.ctx, h.f, h.iterWhy)
		ks, isStr := toGo(k).(string)
		if why != "" || !isStr {
			return ab.unknownNode(whySensitiveBody, line)
		}
		n.Members = append(n.Members, jsontree.Member{Key: ks, Value: ab.shapeOf(e, h, it.ValueExpr, depth+1)})
	}
	n.Reindex()
	return n
}

// planSensitiveShape is the shape of a plan's sensitive_body value.
func (ab *azapiBody) planSensitiveShape(v any, line, depth int) *jsontree.Node {
	m, ok := v.(map[string]any)
	if !ok || depth > maxBodyDepth {
		return ab.unknownNode(whySensitiveBody, line)
	}
	n := &jsontree.Node{Kind: jsontree.Object, Line: line}
	for _, k := range sortedKeys(m) {
		n.Members = append(n.Members, jsontree.Member{Key: k, Value: ab.planSensitiveShape(m[k], line, depth+1)})
	}
	n.Reindex()
	return n
}

// mergeSensitive merges the shape of sensitive_body into body as azapi
// does (objects key by key, anything else replaced), and returns the body.
func (ab *azapiBody) mergeSensitive(body, shape *jsontree.Node, depth int) *jsontree.Node {
	if shape == nil {
		return body
	}
	if body == nil || body.Kind != jsontree.Object || shape.Kind != jsontree.Object || ab.unknown[body] != "" || depth > maxBodyDepth {
		if shape.Kind == jsontree.Object && ab.unknown[shape] == "" && depth <= maxBodyDepth {
			// Merged over something that is not an object: what it
			// holds is no longer known.
			return ab.unknownNode(fmt.Sprintf("%s (merged over a value that is not an object)", whySensitiveBody), shape.Line)
		}
		return shape
	}
	out := &jsontree.Node{Kind: jsontree.Object, Line: body.Line, Members: append([]jsontree.Member(nil), body.Members...)}
	for _, sm := range shape.Members {
		replaced := false
		for i, bm := range out.Members {
			if strings.EqualFold(bm.Key, sm.Key) {
				out.Members[i].Value = ab.mergeSensitive(bm.Value, sm.Value, depth+1)
				replaced = true
				break
			}
		}
		if !replaced {
			out.Members = append(out.Members, sm)
		}
	}
	out.Reindex()
	return out
}
