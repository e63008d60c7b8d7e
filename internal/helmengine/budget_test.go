package helmengine

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	chartutil "helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/engine"
)

// testChart builds a chart of templates (name -> text) and values.
func testChart(tpls map[string]string, values map[string]any) (*chart.Chart, common.Values) {
	ch := &chart.Chart{Metadata: &chart.Metadata{APIVersion: "v2", Name: "t", Version: "0.1.0"}, Values: values}
	for name, data := range tpls {
		ch.Templates = append(ch.Templates, &common.File{Name: name, Data: []byte(data)})
	}
	return ch, nil
}

func renderValues(t testing.TB, ch *chart.Chart) common.Values {
	t.Helper()
	rv, err := chartutil.ToRenderValuesWithSchemaValidation(ch, map[string]any{}, common.ReleaseOptions{
		Name: "r", Namespace: "default", Revision: 1, IsInstall: true,
	}, common.DefaultCapabilities.Copy(), true)
	if err != nil {
		t.Fatal(err)
	}
	return rv
}

// Real templates render exactly as helm's engine renders them: the
// budget's instrumentation changes no byte of the output.
func TestRenderMatchesHelm(t *testing.T) {
	sub := &chart.Chart{Metadata: &chart.Metadata{APIVersion: "v2", Name: "sub", Version: "0.1.0"},
		Values: map[string]any{"port": 80},
		Templates: []*common.File{{Name: "templates/svc.yaml", Data: []byte(
			"port: {{ .Values.port }}\nparent: {{ .Chart.Name }}\n")}}}
	ch, _ := testChart(map[string]string{
		"templates/_helpers.tpl": `{{- define "t.name" -}}{{ .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end }}
{{- define "t.labels" -}}
app: {{ include "t.name" . }}
{{- range $k, $v := .Values.labels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end }}`,
		"templates/cm.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "t.name" . }}
  labels:
    {{- include "t.labels" . | nindent 4 }}
data:
  {{- range $i, $e := .Values.list }}
  item{{ $i }}: {{ $e | quote }}
  {{- end }}
  {{- range until 3 }}
  n{{ . }}: "x"
  {{- else }}
  none: ""
  {{- end }}
  {{- range 2 }}
  int{{ . }}: "y"
  {{- end }}
  {{- with .Values.nested }}
  nested: {{ toYaml . | nindent 4 }}
  {{- end }}
  tpl: {{ tpl .Values.tplText . | quote }}
  file: {{ .Files.Get "files/a.txt" | quote }}
  empty: {{ range .Values.none }}x{{ end }}
  printf: {{ printf "%05d-%s" 42 "z" }}
  {{ if .Values.flag }}flag: on{{ else }}flag: off{{ end }}
`,
	}, map[string]any{
		"labels":  map[string]any{"tier": "web", "team": "a"},
		"list":    []any{"a", "b"},
		"nested":  map[string]any{"k": []any{1, 2}},
		"tplText": `{{ .Release.Name }}-{{ range until 2 }}{{ . }}{{ end }}`,
		"flag":    true,
		"none":    []any{},
	})
	ch.Files = []*common.File{{Name: "files/a.txt", Data: []byte("hello")}}
	ch.AddDependency(sub)
	rv := renderValues(t, ch)
	want, err := engine.Render(ch, rv)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Render(ch, renderValues(t, ch), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d templates, helm %d", len(got), len(want))
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s:\n got %q\nwant %q", name, got[name], w)
		}
	}
	if !strings.Contains(got["t/templates/cm.yaml"], "tpl: \"r-01\"") {
		t.Errorf("unexpected render:\n%s", got["t/templates/cm.yaml"])
	}
}

// Hostile templates end with an error naming the limit they ran into, in
// bounded memory (TotalAlloc), and so does each with the smaller limits a
// test can afford on a saturated machine.
func TestRenderBudgets(t *testing.T) {
	doubling := func(leaf string, levels int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "{{- define \"d0\" }}%s{{ end }}\n", leaf)
		for i := 1; i <= levels; i++ {
			fmt.Fprintf(&b, "{{- define \"d%d\" }}{{ include \"d%d\" . }}{{ include \"d%d\" . }}{{ end }}\n", i, i-1, i-1)
		}
		fmt.Fprintf(&b, "{{ include \"d%d\" . }}\n", levels)
		return b.String()
	}
	lim := Limits{MaxSteps: 200_000, MaxBytes: 16 << 20, MaxDepth: 100, MaxList: 100_000, MaxExpensive: 8}
	tests := []struct {
		name   string
		tpl    string
		values map[string]any
		want   string
	}{
		{"range over until 100000000", `{{ range until 100000000 }}x{{ end }}`, nil, "list"},
		{"untilStep", `{{ range untilStep 0 100000000 1 }}x{{ end }}`, nil, "list"},
		{"seq", `{{ seq 1 100000000 }}`, nil, "list"},
		{"nested ranges, empty bodies", `{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}`, nil, "steps"},
		{"range over an integer", `{{ range 100000000000 }}{{ end }}`, nil, "steps"},
		{"range over a computed integer", `{{ $n := mul 100000 100000 }}{{ range $n }}{{ end }}`, nil, "steps"},
		{"repeat a huge string", `{{ repeat 1000000000 "abcdefgh" }}`, nil, "bytes"},
		{"repeat doubled", `{{ $s := repeat 1000 "x" }}{{ range until 100000 }}{{ $s = print $s $s }}{{ end }}`, nil, "bytes"},
		{"printf width", `{{ printf "%999999999d" 1 }}`, nil, "bytes"},
		{"printf star width", `{{ printf "%*d" 999999999 1 }}`, nil, "bytes"},
		{"nindent", `{{ nindent 999999999 "a\nb" }}`, nil, "bytes"},
		{"randAlpha", `{{ randAlpha 999999999 }}`, nil, "bytes"},
		{"include recursion", `{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}`, nil, "nesting"},
		// Go's text/template ends this at 100,000 calls deep.
		{"template recursion", `{{ define "r" }}x{{ template "r" . }}{{ end }}{{ template "r" . }}`, nil, "maximum template depth"},
		{"include fan-out, empty leaves", doubling("", 60), nil, "steps"},
		{"include fan-out, literal leaves", doubling(strings.Repeat("x", 1<<16), 60), nil, "bytes"},
		{"tpl recursion through values", `{{ tpl .Values.t . }}`, map[string]any{"t": `{{ tpl .Values.t . }}`}, "nesting"},
		{"tpl fan-out through values", `{{ tpl .Values.t . }}`, map[string]any{"t": `{{ range until 1000 }}{{ tpl $.Values.t $ }}{{ end }}`}, "nesting"},
		{"key generation loop", `{{ range until 100000 }}{{ genPrivateKey "ecdsa" }}{{ end }}`, nil, "expensive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, _ := testChart(map[string]string{"templates/x.yaml": tt.tpl}, tt.values)
			rv := renderValues(t, ch)
			var err error
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err = Render(ch, rv, lim)
			runtime.ReadMemStats(&after)
			var eb *ErrBudget
			if (!errors.As(err, &eb) || eb.What != tt.want) && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("error %v, want the %s budget", err, tt.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
				t.Errorf("allocated %d MiB, want under 256 MiB", alloc>>20)
			}
		})
	}
}

// The default limits end the same hostile templates.
func TestDefaultLimitsEnd(t *testing.T) {
	for _, tpl := range []string{
		`{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}`,
		`{{ repeat 1000000000 "abcdefgh" }}`,
	} {
		ch, _ := testChart(map[string]string{"templates/x.yaml": tpl}, nil)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := Render(ch, renderValues(t, ch), DefaultLimits)
		runtime.ReadMemStats(&after)
		var eb *ErrBudget
		if !errors.As(err, &eb) {
			t.Errorf("%s: error %v, want a budget error", tpl, err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2<<30 {
			t.Errorf("%s: allocated %d MiB, want under 2 GiB", tpl, alloc>>20)
		}
	}
}

// FuzzRender: any template text ends, within small limits, in an output
// or an error, never a panic escaping Render, a hang or a stack overflow.
func FuzzRender(f *testing.F) {
	f.Add(`{{ range until 5 }}{{ . }}{{ end }}`)
	f.Add(`{{ define "a" }}{{ include "a" . }}{{ end }}{{ include "a" . }}`)
	f.Add(`{{ tpl "{{ tpl \"x\" . }}" . }}`)
	f.Add(`{{ printf "%*d" 100000000 1 }}`)
	f.Add(strings.Repeat("{{ if 1 }}", 20000) + strings.Repeat("{{ end }}", 20000))
	f.Add(strings.Repeat("{{ (", 20000) + "1" + strings.Repeat(") }}", 20000))
	lim := Limits{MaxSteps: 20_000, MaxBytes: 1 << 20, MaxDepth: 50, MaxList: 10_000, MaxExpensive: 1}
	f.Fuzz(func(t *testing.T, tpl string) {
		ch, _ := testChart(map[string]string{"templates/x.yaml": tpl}, map[string]any{"t": tpl})
		out, err := Render(ch, renderValues(t, ch), lim)
		if err == nil && len(out["t/templates/x.yaml"]) > 1<<20 {
			t.Errorf("output of %d bytes past the byte budget", len(out["t/templates/x.yaml"]))
		}
	})
}
