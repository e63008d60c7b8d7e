package helmengine

import (
	"fmt"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/engine"
)

// benchChart is a chart of 50 Deployments, each with helpers included,
// ranges over values and toYaml blocks: the shape of real charts.
func benchChart(b *testing.B) (map[string]string, map[string]any) {
	tpls := map[string]string{"templates/_helpers.tpl": `{{- define "b.labels" -}}
app: {{ .name }}
{{- range $k, $v := .labels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end }}`}
	for i := 0; i < 50; i++ {
		tpls[fmt.Sprintf("templates/d%02d.yaml", i)] = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-` + fmt.Sprint(i) + `
  labels:
    {{- include "b.labels" (dict "name" "x" "labels" .Values.labels) | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      containers:
      {{- range .Values.containers }}
      - name: {{ .name }}
        image: {{ printf "%s:%s" .image .tag }}
        env:
        {{- range $k, $v := .env }}
        - {name: {{ $k }}, value: {{ $v | quote }}}
        {{- end }}
        resources: {{- toYaml .resources | nindent 10 }}
      {{- end }}
`
	}
	var containers []any
	for i := 0; i < 5; i++ {
		env := map[string]any{}
		for j := 0; j < 10; j++ {
			env[fmt.Sprintf("K%d", j)] = strings.Repeat("v", 20)
		}
		containers = append(containers, map[string]any{"name": fmt.Sprint("c", i), "image": "nginx", "tag": "1.27", "env": env,
			"resources": map[string]any{"limits": map[string]any{"cpu": "1", "memory": "1Gi"}}})
	}
	return tpls, map[string]any{"replicas": 2, "labels": map[string]any{"a": "b", "c": "d"}, "containers": containers}
}

func BenchmarkRender(b *testing.B) {
	tpls, vals := benchChart(b)
	ch, _ := testChart(tpls, vals)
	b.Run("helm", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := engine.Render(ch, renderValues(b, ch)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("budgeted", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Render(ch, renderValues(b, ch), DefaultLimits); err != nil {
				b.Fatal(err)
			}
		}
	})
}
