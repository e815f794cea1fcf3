{{/* Chart name, overridable with nameOverride. */}}
{{- define "incident-responder.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: the release name, prefixed with the chart name unless the release name already contains it.
Truncated to leave room for the suffixes added below (e.g. "-controller-manager") within 63 characters.
*/}}
{{- define "incident-responder.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "incident-responder.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "incident-responder.labels" -}}
helm.sh/chart: {{ include "incident-responder.chart" . }}
{{ include "incident-responder.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: incident-responder
{{- end }}

{{/* Labels that select the manager pods; never change them in an upgrade (Deployment selectors are immutable). */}}
{{- define "incident-responder.selectorLabels" -}}
app.kubernetes.io/name: {{ include "incident-responder.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "incident-responder.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (printf "%s-controller-manager" (include "incident-responder.fullname" .)) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The RBAC subject every binding of this chart names. */}}
{{- define "incident-responder.subject" -}}
- kind: ServiceAccount
  name: {{ include "incident-responder.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end }}
