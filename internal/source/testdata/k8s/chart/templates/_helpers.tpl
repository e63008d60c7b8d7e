{{- define "shop.fullname" -}}{{ .Release.Name }}{{- end }}
