package terraform

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions are the Terraform built-ins that cty implements the same way,
// each charging its work to b (see budgeted). Other calls fail to evaluate
// and leave their field unknown.
func functions(b *budget) map[string]function.Function {
	fns := map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc,
		"max": stdlib.MaxFunc, "min": stdlib.MinFunc, "parseint": stdlib.ParseIntFunc,
		"pow": stdlib.PowFunc, "signum": stdlib.SignumFunc, "log": stdlib.LogFunc,
		"chomp": stdlib.ChompFunc, "format": boundedFormat(stdlib.FormatFunc), "formatlist": boundedFormat(stdlib.FormatListFunc),
		"indent": stdlib.IndentFunc, "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc,
		"upper": stdlib.UpperFunc, "regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc,
		"split": stdlib.SplitFunc, "strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc,
		"title": stdlib.TitleFunc, "trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc,
		"trimsuffix": stdlib.TrimSuffixFunc, "trimspace": stdlib.TrimSpaceFunc,
		"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc,
		"coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
		"concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc, "distinct": stdlib.DistinctFunc,
		"element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc, "index": stdlib.IndexFunc,
		"keys": stdlib.KeysFunc, "length": stdlib.LengthFunc, "lookup": stdlib.LookupFunc,
		"merge": stdlib.MergeFunc, "range": stdlib.RangeFunc, "reverse": stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc, "setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc,
		"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "values": stdlib.ValuesFunc,
		"zipmap": stdlib.ZipmapFunc, "jsondecode": stdlib.JSONDecodeFunc,
		"jsonencode": stdlib.JSONEncodeFunc, "csvdecode": stdlib.CSVDecodeFunc,
		"tobool": stdlib.MakeToFunc(cty.Bool), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tostring": stdlib.MakeToFunc(cty.String), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)), "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
	}
	for name, fn := range fns {
		fns[name] = budgeted(b, name, fn)
	}
	// try and can take expressions, whose nodes charge their own work.
	fns["try"], fns["can"] = tryfunc.TryFunc, tryfunc.CanFunc
	return fns
}

// hugeWidth finds a format verb whose width or precision would make a
// string of more than 9999 characters.
var hugeWidth = regexp.MustCompile(`%[-+# 0]*(?:\[\d+\])?(?:\d{5,}|\d*\.\d{5,})`)

// boundedFormat refuses format strings with huge widths, so that a
// configuration cannot make the scanner allocate gigabytes.
func boundedFormat(fn function.Function) function.Function {
	return function.New(&function.Spec{
		Params:   fn.Params(),
		VarParam: fn.VarParam(),
		Type:     fn.ReturnTypeForValues,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if f := args[0]; f.Type() == cty.String && f.IsKnown() && !f.IsNull() && hugeWidth.MatchString(f.AsString()) {
				return cty.NilVal, function.NewArgErrorf(0, "format width or precision over 9999 is not evaluated")
			}
			return fn.Call(args)
		},
	})
}

// budgeted charges a function's work to b: its estimate before the call
// (pre, for the functions whose result can be far larger than their
// arguments), then the size of its result.
func budgeted(b *budget, name string, fn function.Function) function.Function {
	pre := precheck[name]
	typ := fn.ReturnTypeForValues
	if name == "jsondecode" {
		// jsondecode parses its argument to find its type, before the
		// call: check the nesting first.
		typ = func(args []cty.Value) (cty.Type, error) {
			if _, _, err := pre(args); err != nil {
				return cty.NilType, err
			}
			return fn.ReturnTypeForValues(args)
		}
	}
	return function.New(&function.Spec{
		Description: fn.Description(),
		Params:      fn.Params(),
		VarParam:    fn.VarParam(),
		Type:        typ,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if b.exceeded() != "" {
				return cty.NilVal, b.err()
			}
			if pre != nil {
				steps, bytes, err := pre(args)
				if err != nil {
					return cty.NilVal, err
				}
				if !b.fits(steps, bytes) {
					return cty.NilVal, b.err()
				}
			}
			v, err := fn.Call(args)
			if err != nil {
				return v, err
			}
			if !b.chargeValue(v) {
				return cty.NilVal, b.err()
			}
			return v, nil
		},
	})
}

// maxNumberText bounds the strings parseint and tonumber read: big number
// parsing takes time quadratic in the digits.
const maxNumberText = 4096

// precheck estimates the work of the functions whose result can be far
// larger than their arguments, before they allocate it.
var precheck = map[string]func(args []cty.Value) (steps, bytes int64, err error){
	"range": func(args []cty.Value) (int64, int64, error) {
		f := make([]float64, len(args))
		for i, a := range args {
			if f[i] = numberOf(a); math.IsNaN(f[i]) {
				return 0, 0, nil // the function reports it
			}
		}
		start, limit, step := 0.0, 0.0, 1.0
		switch len(f) {
		case 1:
			limit = f[0]
		case 2:
			start, limit = f[0], f[1]
		case 3:
			start, limit, step = f[0], f[1], f[2]
		}
		if step == 0 {
			return 0, 0, nil
		}
		return clampInt((limit - start) / step), 0, nil
	},
	"join": func(args []cty.Value) (int64, int64, error) {
		var n, bytes int64
		for _, l := range args[1:] {
			n += lengthOf(l)
			_, by := valueSize(l, limits.dirSteps)
			bytes += by
		}
		return n, bytes + n*lengthOf(args[0]), nil
	},
	"format": func(args []cty.Value) (int64, int64, error) {
		_, by := valueSize(cty.TupleVal(args), limits.dirSteps)
		return 1, by + widths(args[0]), nil
	},
	"formatlist": func(args []cty.Value) (int64, int64, error) {
		n := int64(1)
		for _, a := range args[1:] {
			if ty := unmarked(a).Type(); ty.IsListType() || ty.IsTupleType() {
				n = max(n, lengthOf(a))
			}
		}
		_, by := valueSize(cty.TupleVal(args), limits.dirSteps)
		return n, by + n*(lengthOf(args[0])+widths(args[0])), nil
	},
	"indent": func(args []cty.Value) (int64, int64, error) {
		s := stringOfValue(args[1])
		return 1, clampInt(numberOf(args[0])*float64(strings.Count(s, "\n")+1)) + int64(len(s)), nil
	},
	"concat": func(args []cty.Value) (int64, int64, error) {
		var n int64
		for _, l := range args {
			n += lengthOf(l)
		}
		return n, 0, nil
	},
	"flatten": func(args []cty.Value) (int64, int64, error) {
		n, _ := valueSize(args[0], limits.dirSteps)
		return n, 0, nil
	},
	"distinct": func(args []cty.Value) (int64, int64, error) {
		n := lengthOf(args[0]) // compared pairwise
		return n * n / 64, 0, nil
	},
	"jsonencode": func(args []cty.Value) (int64, int64, error) {
		n, by := valueSize(args[0], limits.dirSteps)
		return 1, 6*by + 16*n, nil // \u0000 escapes, punctuation
	},
	"jsondecode": func(args []cty.Value) (int64, int64, error) {
		if err := checkNesting([]byte(stringOfValue(args[0])), "jsondecode", ""); err != nil {
			return 0, 0, fmt.Errorf("the JSON nests more than %d levels deep", maxNesting)
		}
		return 0, 0, nil
	},
	"split": func(args []cty.Value) (int64, int64, error) {
		sep, s := stringOfValue(args[0]), stringOfValue(args[1])
		if sep == "" {
			return int64(len(s)), 0, nil
		}
		return int64(strings.Count(s, sep)) + 1, 0, nil
	},
	"regexall": func(args []cty.Value) (int64, int64, error) {
		return int64(len(stringOfValue(args[1]))), 0, nil
	},
	"parseint": numberText,
	"tonumber": numberText,
}

func numberText(args []cty.Value) (int64, int64, error) {
	if len(stringOfValue(args[0])) > maxNumberText {
		return 0, 0, fmt.Errorf("a number of more than %d characters is not read", maxNumberText)
	}
	return 0, 0, nil
}

func unmarked(v cty.Value) cty.Value {
	v, _ = v.Unmark()
	return v
}

// lengthOf is the length of a known string or collection, else 0.
func lengthOf(v cty.Value) int64 {
	v = unmarked(v)
	switch {
	case !v.IsKnown() || v.IsNull():
		return 0
	case v.Type() == cty.String:
		return int64(len(v.AsString()))
	case v.CanIterateElements():
		return int64(v.LengthInt())
	}
	return 0
}

func stringOfValue(v cty.Value) string {
	v = unmarked(v)
	if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		return v.AsString()
	}
	return ""
}

// numberOf is a known number as a float, NaN otherwise.
func numberOf(v cty.Value) float64 {
	v = unmarked(v)
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
		return math.NaN()
	}
	f, _ := v.AsBigFloat().Float64()
	return f
}

func clampInt(f float64) int64 {
	switch {
	case math.IsNaN(f) || f < 0:
		return 0
	case f > 1<<53:
		return 1 << 53
	}
	return int64(math.Ceil(f))
}

// widths sums the numbers in a format string: an upper bound of the
// padding its verbs add.
var digits = regexp.MustCompile(`\d+`)

func widths(v cty.Value) int64 {
	var n int64
	for _, d := range digits.FindAllString(stringOfValue(v), -1) {
		if len(d) > 5 {
			continue // refused by boundedFormat
		}
		w, _ := strconv.Atoi(d)
		n += int64(w)
	}
	return n
}
