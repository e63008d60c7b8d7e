package armexpr

import (
	"strings"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// deploymentFunctions are known only when the template is deployed (as is
// any function whose name starts with list: listKeys(), listSecrets(), ...).
// They are not in the builtin table: call makes them placeholders in
// modeName and unresolved otherwise.
var deploymentFunctions = map[string]bool{
	"resourcegroup": true, "subscription": true, "deployment": true, "environment": true,
	"tenant": true, "managementgroup": true, "uniquestring": true, "guid": true, "newguid": true,
	"utcnow": true, "reference": true, "resourceinfo": true, "pickzones": true,
	"providers": true, "deployer": true, "listkeys": true, "listsecrets": true,
	"listaccountsas": true, "listservicesas": true, "listcredentials": true,
}

// deploymentValueFunctions: parameters and variables, the values of the
// deployment that a template file holds itself.
func deploymentValueFunctions() map[string]builtin {
	return map[string]builtin{
		"parameters": {special: fnNamedValue},
		"variables":  {special: fnNamedValue},
		"copyindex":  {special: fnCopyIndex},
	}
}

// fnNamedValue is parameters(name) and variables(name).
func fnNamedValue(s *scope, c site) (*jsontree.Node, *evalError) {
	if len(c.e.args) != 1 {
		return nil, failf("%s() takes 1 argument", c.e.name)
	}
	a, err := s.evalArg(c, 0)
	if err != nil {
		return nil, err
	}
	if c.mode == modeName && s.sh.opaque[a] {
		return s.newOpaque(c.e.src, c.line)
	}
	n, ok := a.AsString()
	if !ok {
		return nil, failf("%s() takes a name", c.e.name)
	}
	if c.name == "parameters" {
		return s.param(n, c.e, c.line, c.mode)
	}
	return s.variable(n, c.e, c.line, c.mode)
}

// param returns the value of parameters(name).
func (s *scope) param(name string, e *expr, line int, mode evalMode) (*jsontree.Node, *evalError) {
	var decl *jsontree.Node
	if s.params != nil {
		if err := s.scan(0, len(s.params.Members)); err != nil {
			return nil, err
		}
		decl = s.params.Get(name)
	}
	if decl == nil || decl.Kind != jsontree.Object {
		return nil, failf("parameter %s is not declared in the template", quoteName(name))
	}
	typ, _ := decl.Get("type").AsString()
	switch strings.ToLower(typ) {
	case "securestring", "secureobject":
		if mode == modeName {
			return s.newOpaque(e.src, line)
		}
		return nil, failf("parameter %s is secure (%s): aksguard does not read its value", quoteName(name), typ)
	}
	key := jsontree.Fold(name)
	ck := "p:" + key
	if c, ok := s.cache[mode][ck]; ok {
		return c.v, c.err
	}
	if s.busy[ck] {
		return nil, failf("parameter %s refers to itself", quoteName(name))
	}
	s.busy[ck] = true
	v, err := s.paramValue(name, key, decl, e, line, mode)
	delete(s.busy, ck)
	s.cache[mode][ck] = cachedValue{v, err}
	return v, err
}

func (s *scope) paramValue(name, key string, decl *jsontree.Node, e *expr, line int, mode evalMode) (*jsontree.Node, *evalError) {
	if g, ok := s.given[key]; ok {
		switch {
		case g.node == nil:
			if mode == modeName {
				return s.newOpaque(e.src, line)
			}
			return nil, failf("parameter %s is a Key Vault reference: aksguard does not read its value", quoteName(name))
		case g.from != nil:
			v, err := g.from.deep(g.node, mode, 0)
			if err != nil {
				return nil, &evalError{why: "value passed to nested-template parameter " + quoteName(name) + ": " + err.why}
			}
			return v, nil
		}
		return g.node, nil
	}
	if def := decl.Get("defaultValue"); def != nil {
		v, err := s.force(def, mode)
		if err != nil {
			return nil, &evalError{why: "default value of parameter " + quoteName(name) + ": " + err.why}
		}
		return v, nil
	}
	if nullable, _ := decl.Get("nullable").AsBool(); nullable {
		// languageVersion 2.0: a nullable parameter that is not given is
		// null.
		return &jsontree.Node{Kind: jsontree.Null, Line: line}, nil
	}
	if mode == modeName {
		return s.newOpaque(e.src, line)
	}
	return nil, failf("parameter %s has no default value and none was given (pass a parameters file)", quoteName(name))
}

// variable returns the value of variables(name).
func (s *scope) variable(name string, e *expr, line int, mode evalMode) (*jsontree.Node, *evalError) {
	var raw *jsontree.Node
	if s.vars != nil {
		if err := s.scan(0, len(s.vars.Members)); err != nil {
			return nil, err
		}
		raw = s.vars.Get(name)
	}
	if raw == nil {
		if loops := s.vars.Get("copy"); loops != nil {
			for _, c := range loops.Items {
				if n, _ := c.Get("name").AsString(); strings.EqualFold(n, name) {
					return s.copyVariable(n, c, line)
				}
			}
		}
		return nil, failf("variable %s is not defined", quoteName(name))
	}
	ck := "v:" + jsontree.Fold(name)
	if c, ok := s.cache[mode][ck]; ok {
		return c.v, c.err
	}
	if s.busy[ck] {
		return nil, failf("variable %s refers to itself", quoteName(name))
	}
	s.busy[ck] = true
	v, err := s.force(raw, mode)
	delete(s.busy, ck)
	if err != nil {
		err = &evalError{why: "variable " + quoteName(name) + ": " + err.why}
	}
	s.cache[mode][ck] = cachedValue{v, err}
	return v, err
}
