{{/* Chart name, overridable. */}}
{{- define "massage-saas.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified release name (release + chart, unless the release already contains it). */}}
{{- define "massage-saas.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "massage-saas.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "massage-saas.labels" -}}
helm.sh/chart: {{ include "massage-saas.chart" . }}
{{ include "massage-saas.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "massage-saas.selectorLabels" -}}
app.kubernetes.io/name: {{ include "massage-saas.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "massage-saas.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "massage-saas.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "massage-saas.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The Secret holding JWT_SECRET, DATA_ENCRYPTION_KEY, LOOKUP_HASH_KEY, APP_DATABASE_URL, DATABASE_URL... */}}
{{- define "massage-saas.secretName" -}}
{{- if .Values.secrets.create }}
{{- printf "%s-secrets" (include "massage-saas.fullname" .) }}
{{- else }}
{{- .Values.secrets.existingSecret }}
{{- end }}
{{- end }}

{{- define "massage-saas.configMapName" -}}
{{- printf "%s-config" (include "massage-saas.fullname" .) }}
{{- end }}

{{/* Environment shared by the API and the workers: the ConfigMap plus each secret key by reference. */}}
{{- define "massage-saas.env" -}}
envFrom:
  - configMapRef:
      name: {{ include "massage-saas.configMapName" . }}
env:
  {{- range $key := list "JWT_SECRET" "DATA_ENCRYPTION_KEY" "LOOKUP_HASH_KEY" "APP_DATABASE_URL" "SMTP_URL" }}
  - name: {{ $key }}
    valueFrom:
      secretKeyRef:
        name: {{ include "massage-saas.secretName" $ }}
        key: {{ $key }}
  {{- end }}
  {{- /* Only the chosen SMS gateway's keys exist; the app names any that are missing at boot. */}}
  {{- range $key := list "ALIYUN_SMS_ACCESS_KEY_ID" "ALIYUN_SMS_ACCESS_KEY_SECRET" "TENCENT_SMS_SECRET_ID" "TENCENT_SMS_SECRET_KEY" }}
  - name: {{ $key }}
    valueFrom:
      secretKeyRef:
        name: {{ include "massage-saas.secretName" $ }}
        key: {{ $key }}
        optional: true
  {{- end }}
  - name: PORT
    value: {{ .Values.api.port | quote }}
{{- end }}

{{/* Liveness and readiness on GET /health (checks PostgreSQL and Redis). */}}
{{- define "massage-saas.probes" -}}
readinessProbe:
  httpGet:
    path: /health
    port: http
  initialDelaySeconds: 3
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
livenessProbe:
  httpGet:
    path: /health
    port: http
  initialDelaySeconds: 15
  periodSeconds: 15
  timeoutSeconds: 5
  failureThreshold: 4
{{- end }}
