package terraform

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/inventory"
)

// TestEvaluationBudget: expressions that ask for billions of values or
// gigabytes of string end in an input error naming their file and line;
// the fields they feed are unknown (never a default), and a canary cluster
// of the same directory is still read. Memory is bounded by the budget,
// not by what the expression asks for.
func TestEvaluationBudget(t *testing.T) {
	doubling := func(n int, step string) string {
		var b strings.Builder
		b.WriteString("locals {\n  l0 = \"abcdefghijklmnop\"\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "  l%d = %s\n", i, strings.ReplaceAll(step, "PREV", fmt.Sprintf("local.l%d", i-1)))
		}
		b.WriteString("}\n")
		return b.String()
	}
	// big is a list of n*1000 numbers (range stops at 1024 values).
	big := func(n int) string { return fmt.Sprintf("flatten([for a in range(%d): range(1000)])", n) }
	tests := []struct {
		name   string
		locals string // set before the cluster, whose sku_tier is local.x
		x      string
		line   int    // of the input error; 0: the line of local.x
		msg    string // in the input error and the field's why
	}{
		{name: "nested for over range(1000)", x: `[for a in range(1000): [for b in range(1000): [for c in range(1000): "x"]]]`, msg: "more than 200000 values"},
		{name: "range(1e9)", x: `range(1e9)`, msg: "more than 200000 values"},
		{name: "list of 300k", x: big(300), msg: "more than 200000 values"},
		{name: "string doubled 30 times", locals: doubling(30, `"${PREV}${PREV}"`), x: "local.l30", line: 23, msg: "MiB of strings"},
		{name: "list doubled 40 times", locals: doubling(40, `[PREV, PREV]`), x: "local.l40", line: 19, msg: "more than 200000 values"},
		{name: "list concatenated 13 times", locals: doubling(13, `concat(tolist([PREV]), tolist([PREV]), [PREV])`), x: "local.l13", line: 14, msg: "more than 200000 values"},
		{name: "join with a long separator", locals: "locals {\n  sep = join(\"\", [for i in range(1000): \"abcdefghijklmnopqrstuvwxyz\"])\n}\n", x: `join(local.sep, ` + big(1) + `)`, msg: "MiB of strings"},
		{name: "formatlist", x: `formatlist("%9999s", ` + big(2) + `)`, msg: "MiB of strings"},
		{name: "format with many wide verbs", x: `format(join("", [for i in range(1000): "%9999s"]), range(1000)...)`, msg: "MiB of strings"},
		{name: "indent", x: `indent(100000000, "a\nb")`, msg: "MiB of strings"},
		{name: "distinct of a long list", x: `distinct(` + big(100) + `)`, msg: "more than 200000 values"},
		{name: "template for directive", x: `"%{for a in range(1000)}%{for b in range(1000)}xxxxxxxxxxxxxxxxxxxxxx%{endfor}%{endfor}"`, msg: "over the evaluation budget"},
		{name: "converting a long tuple", x: `tolist(` + big(20) + `)`, msg: "more than 200000 values"},
		{name: "splat over a long list", x: `[for a in range(500): {v = a}][*].v`, msg: ""},
		{name: "over budget inside try", x: `try(` + big(300) + `, "Free")`, msg: "more than 200000 values"},
		{name: "over budget inside can", x: `can(` + big(300) + `) ? "Free" : "Standard"`, msg: "more than 200000 values"},
		{name: "jsondecode nested deep", x: `jsondecode(join("", [for i in ` + big(2) + `: "["]))`, msg: "nests more than"},
		{name: "parseint of a long number", x: `parseint(format("%5000d", 1), 10)`, msg: "more than 4096 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.locals + "locals {\n  x = " + tt.x + "\n}\n" + `
resource "azurerm_kubernetes_cluster" "c" {
  name     = "c"
  sku_tier = local.x
}

resource "azurerm_kubernetes_cluster" "canary" {
  name     = "canary"
  sku_tier = "Standard"
}
`
			xLine := strings.Count(tt.locals, "\n") + 2
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			b := DecodeHCLDir("d", map[string][]byte{"main.tf": []byte(src)}, nil)
			runtime.ReadMemStats(&after)
			if got := after.TotalAlloc - before.TotalAlloc; got > 400<<20 {
				t.Errorf("allocated %d MiB, want at most 400", got>>20)
			}
			checkFields(t, "canary", clusterByAddress(t, b, "azurerm_kubernetes_cluster.canary"), []expect{known("SKUTier", "Standard", "")})
			c := clusterByAddress(t, b, "azurerm_kubernetes_cluster.c")
			if tt.msg == "" { // within budget
				if len(b.Errors) != 0 {
					t.Errorf("errors %v, want none", b.Errors)
				}
				return
			}
			checkFields(t, "c", c, []expect{unknown("SKUTier", "", "")})
			if c.SKUTier.State == inventory.Known {
				return
			}
			line := tt.line
			if line == 0 {
				line = xLine
			}
			var hit bool
			for _, e := range b.Errors {
				if e.Input == "d/main.tf" && e.Line == line && strings.Contains(e.Message, tt.msg) {
					hit = true
				}
			}
			if !hit && !strings.Contains(c.SKUTier.Why, tt.msg) {
				t.Errorf("errors %v and why %q: want an error at d/main.tf:%d saying %q", b.Errors, c.SKUTier.Why, line, tt.msg)
			}
		})
	}
}

// TestLocalsOrder: locals are evaluated once each after the locals they
// name, in any order of declaration; a cycle leaves its locals unknown
// (never a default), naming the cycle.
func TestLocalsOrder(t *testing.T) {
	tests := []struct {
		name, locals string
		want         expect
	}{
		{name: "chain declared backwards", locals: `
  c = "${local.b}-c"
  b = "${local.a}-b"
  a = "Standard"`, want: known("SKUTier", "Standard-b-c", "")},
		{name: "chain across two locals blocks", locals: `
  c = upper(local.b)
}
locals {
  b = "premium"`, want: known("SKUTier", "PREMIUM", "")},
		{name: "cycle", locals: `
  c = local.b
  b = "${local.a}x"
  a = local.c`, want: unknown("SKUTier", "", "refers to itself")},
		{name: "self", locals: `
  c = "${local.c}x"`, want: unknown("SKUTier", "", "refers to itself")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "locals {" + tt.locals + "\n}\n" + `resource "azurerm_kubernetes_cluster" "c" {
  name     = "c"
  sku_tier = local.c
}
`
			b := DecodeHCLDir("d", map[string][]byte{"main.tf": []byte(src)}, nil)
			checkFields(t, "c", clusterByAddress(t, b, "azurerm_kubernetes_cluster.c"), []expect{tt.want})
		})
	}
}
