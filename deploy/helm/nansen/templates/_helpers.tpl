{{- define "nansen.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "nansen.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "nansen.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The Secret holding the Slack tokens: the chart's own, or the one the values name. */}}
{{- define "nansen.slackSecret" -}}
{{- if .Values.slack.existingSecret -}}{{ .Values.slack.existingSecret }}{{- else -}}{{ include "nansen.fullname" . }}-slack{{- end -}}
{{- end -}}

{{- define "nansen.neo4jSecret" -}}
{{- if .Values.neo4j.existingSecret -}}{{ .Values.neo4j.existingSecret }}{{- else -}}{{ include "nansen.fullname" . }}-neo4j{{- end -}}
{{- end -}}

{{/* Values the schema cannot say: checked once, each failure one line naming the value. */}}
{{- define "nansen.validate" -}}
{{- if and (not .Values.neo4j.existingSecret) (not .Values.neo4j.password) -}}
{{- fail "neo4j.password (or neo4j.existingSecret) is required" -}}
{{- end -}}
{{- if not .Values.slack.existingSecret -}}
{{- if not .Values.slack.botToken -}}{{- fail "slack.botToken (or slack.existingSecret) is required" -}}{{- end -}}
{{- if and (not .Values.slack.appToken) (not .Values.slack.signingSecret) -}}{{- fail "slack.appToken (Socket Mode) or slack.signingSecret (HTTP mode) is required" -}}{{- end -}}
{{- end -}}
{{- if le (int .Values.worker.terminationGracePeriodSeconds) (div (int .Values.worker.shutdownGraceMs) 1000) -}}
{{- fail "worker.terminationGracePeriodSeconds must be longer than worker.shutdownGraceMs" -}}
{{- end -}}
{{- end -}}

{{/* The container spec the bot and the worker share; .component is bot or worker, .command its entry point. */}}
{{- define "nansen.container" -}}
{{- $root := .root -}}
- name: {{ .component }}
  image: "{{ $root.Values.image.repository }}:{{ $root.Values.image.tag }}"
  imagePullPolicy: {{ $root.Values.image.pullPolicy }}
  command: ["node", "dist/src/main/{{ .component }}.js"]
  envFrom:
    - configMapRef:
        name: {{ include "nansen.fullname" $root }}-config
    - secretRef:
        name: {{ include "nansen.slackSecret" $root }}
    {{- range $root.Values.envFromSecrets }}
    - secretRef:
        name: {{ . }}
    {{- end }}
  env:
    - name: NEO4J_PASSWORD
      valueFrom:
        secretKeyRef:
          name: {{ include "nansen.neo4jSecret" $root }}
          key: {{ $root.Values.neo4j.existingSecretKey }}
    {{- with .env }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  ports:
    - name: health
      containerPort: {{ $root.Values.healthPort }}
      protocol: TCP
    {{- with .ports }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  startupProbe:
    httpGet: { path: /healthz, port: health }
    periodSeconds: 5
    failureThreshold: 60
  livenessProbe:
    httpGet: { path: /healthz, port: health }
    periodSeconds: 15
    timeoutSeconds: 3
    failureThreshold: 4
  readinessProbe:
    httpGet: { path: /readyz, port: health }
    periodSeconds: 10
    timeoutSeconds: 5
    failureThreshold: 3
  resources:
    {{- toYaml .resources | nindent 4 }}
  securityContext:
    {{- toYaml $root.Values.securityContext | nindent 4 }}
  volumeMounts:
    - name: sources
      mountPath: /app/config
      readOnly: true
    - name: data
      mountPath: /data
    - name: tmp
      mountPath: /tmp
{{- end -}}

{{- define "nansen.podVolumes" -}}
- name: sources
  configMap:
    name: {{ include "nansen.fullname" . }}-sources
# Scratch only: with neo4j-es and Redis no replica keeps state of its own.
- name: data
  emptyDir: {}
- name: tmp
  emptyDir: {}
{{- end -}}
