{{/*
The rule lists of every Role and ClusterRole in this chart, as plain YAML with no template actions, so that a
test can parse each block and compare it with the matching file in config/rbac/: the two cannot drift.
Each rule names the feature that needs it; config/rbac/role.yaml explains the choices in more detail.
*/}}

{{- define "incident-responder.rules.manager" -}}
# Detection: an informer over Deployments (rollout progress, ProgressDeadlineExceeded, paused, opt-out annotation).
# RolloutUndo reads the Deployment live before acting (get) and restores the last good pod template by patch.
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "patch"]
# Scale: kubectl scale through the scale subresource, conditional on the replicas planned from.
- apiGroups: ["apps"]
  resources: ["deployments/scale"]
  verbs: ["patch"]
# Scale on an HPA-managed Deployment: find the HPA that targets it (list), read it live before acting (get),
# raise its minReplicas/maxReplicas (patch) instead of the Deployment's replicas.
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "patch"]
# FeatureFlag with the ConfigMap provider: read the flag before and after the flip (get), flip it
# with a conditional JSON patch (patch). No list or watch: only ConfigMaps a runbook names are read.
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "patch"]
# FeatureFlag with the OpenFeature provider: read the FeatureFlag's defaultVariant before and after the
# flip (get), flip it with a conditional JSON patch (patch). No list or watch: only resources a runbook names.
- apiGroups: ["core.openfeature.dev"]
  resources: ["featureflags"]
  verbs: ["get", "patch"]
# FeatureFlag with the HTTP provider needs no grant, except for an Authorization header from a Secret
# (authSecretRef, read by name with get). Deliberately not granted here: reading Secrets must never be cluster-wide.
# Admins grant secrets get with a namespaced Role and RoleBinding in the namespaces whose runbooks call flag endpoints:
# config/components/secret-reader (kustomize) or the chart's secretReader.namespaces.
# Detection: revisions live in ReplicaSets (informer); RolloutUndo reads the revision it rolls back to (get);
# last-known-good evidence is an annotation on the revision's ReplicaSet, incidentresponder.dev/available-since (patch).
- apiGroups: ["apps"]
  resources: ["replicasets"]
  verbs: ["get", "list", "watch", "patch"]
# StatefulSet and DaemonSet targets: informers over them (list, watch) for detection; RolloutUndo and
# RaiseMemoryLimit read the target live before acting (get) and patch its pod template (patch).
- apiGroups: ["apps"]
  resources: ["statefulsets", "daemonsets"]
  verbs: ["get", "list", "watch", "patch"]
# Scale of a StatefulSet: through its scale subresource, conditional on the replicas planned from.
- apiGroups: ["apps"]
  resources: ["statefulsets/scale"]
  verbs: ["patch"]
# Detection: StatefulSet and DaemonSet revisions live in ControllerRevisions (informer); RolloutUndo reads the
# revision it rolls back to (get) and sends its data as kubectl rollout undo does.
- apiGroups: ["apps"]
  resources: ["controllerrevisions"]
  verbs: ["get", "list", "watch"]
# RolloutUndo with forceRecreateStuckPods: delete a StatefulSet pod left crash-looping on the reverted revision,
# which OrderedReady never replaces by itself (conditional on the pod's uid).
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["delete"]
# CronJob targets: an informer over CronJobs (detection, and the job template a raise changes); RaiseMemoryLimit
# reads the CronJob live before acting (get) and raises its job template's limit by a conditional patch.
- apiGroups: ["batch"]
  resources: ["cronjobs"]
  verbs: ["get", "list", "watch", "patch"]
# CronJob targets: an informer over Jobs, the CronJob's runs (Complete, Failed with BackoffLimitExceeded). Never written.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["list", "watch"]
# Detection: an informer over the new revision's pods (CrashLoopBackOff, ImagePullBackOff, OOMKilled, readiness).
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
# Alertmanager intake (only with --webhook-bind-address): an alert's pod label leads to the pod's Deployment
# (get the pod, then its ReplicaSet with the get above), its service label to the Deployment whose pods the Service
# selects (get the Service, then list Deployments with the grant above). Live reads, on whichever replica is called.
- apiGroups: [""]
  resources: ["pods", "services"]
  verbs: ["get"]
# HttpProbe (policy spec.probes and a step's verify.httpProbe): GET a Service's health path through the API
# server's service proxy, as curl from inside the cluster would, without any network route to the pods.
- apiGroups: [""]
  resources: ["services/proxy"]
  verbs: ["get"]
# Detection: an informer over node-problem-detector's OOMKilling Events on Nodes (core/v1, all watched namespaces,
# field selector involvedObject.kind=Node,reason=OOMKilling): OOM kills whose container status lost the reason.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["list", "watch"]
# Evidence: the failing containers' last log lines, current and previous (kubectl logs --tail --previous).
# Evidence also lists the target's core/v1 Events (BackOff, Failed, Unhealthy) with the events list grant above.
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
# Evidence and post-mortems: the <incident>-evidence and <incident>-postmortem ConfigMaps, owned by the
# Incident: create them, read them back (get: the post-mortem reads the evidence and compares its last draft),
# and rewrite a post-mortem whose record changed (patch).
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "create", "patch"]
# Records: the operator's Events on Deployments and Incidents (create, then patch to count a repeat as a series).
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
# Triage: an informer over Incidents, a fresh list before opening one, create to open it; get to adopt one that
# already exists (409 on create) and to re-read one after a status write lost a race (409).
# History store (only with --history-database): add and remove the finalizer incidentresponder.dev/history
# with a merge patch of metadata.finalizers (patch); the evidence and post-mortem ConfigMaps are read by name (get, above).
# Slack buttons: a signed click reads the Incident (get) and writes the person's request into its spec (patch).
- apiGroups: ["incidentresponder.dev"]
  resources: ["incidents"]
  verbs: ["get", "list", "watch", "create", "patch"]
# Runbooks and policies are authored by people; the operator watches them, and re-reads one (get) after its
# status write lost a race (409).
- apiGroups: ["incidentresponder.dev"]
  resources: ["runbooks", "remediationpolicies"]
  verbs: ["get", "list", "watch"]
# Records: phase, actions[] and timeline[] of Incidents; Ready conditions of Runbooks and policies (merge patches).
- apiGroups: ["incidentresponder.dev"]
  resources: ["incidents/status", "runbooks/status", "remediationpolicies/status"]
  verbs: ["patch"]
# GitOps with Argo CD: the Application that applies a Deployment (named by its tracking annotation or instance label):
# read it (get); pause and resume its automated sync, ask it to refresh after a write-back, and learn with a
# server-side dry run whether this Argo CD knows automated.enabled (merge patches).
- apiGroups: ["argoproj.io"]
  resources: ["applications"]
  verbs: ["get", "patch"]
# GitOps with a Flux Kustomization that applies a Deployment: read it (get), suspend and resume it as
# flux suspend and flux resume do (patch).
- apiGroups: ["kustomize.toolkit.fluxcd.io"]
  resources: ["kustomizations"]
  verbs: ["get", "patch"]
# GitOps with a Flux HelmRelease: read it (get), suspend and resume it (patch); its values are written back where its
# parent Kustomization applies it from (that Kustomization: get, above).
- apiGroups: ["helm.toolkit.fluxcd.io"]
  resources: ["helmreleases"]
  verbs: ["get", "patch"]
# GitOps with Flux: the GitRepository a Kustomization applies from: its URL and branch for the write-back, and the
# revision it last fetched, to resume the owner once that revision holds the fix (get).
- apiGroups: ["source.toolkit.fluxcd.io"]
  resources: ["gitrepositories"]
  verbs: ["get"]
{{- end }}

{{- define "incident-responder.rules.secretReader" -}}
# FeatureFlag with the HTTP provider: the Authorization header's Secret (authSecretRef), read by name.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
{{- end }}

{{- define "incident-responder.rules.leaderElection" -}}
# The Lease lock: read the holder, create the Lease on first start, renew and release it by update
# (KubernetesClient LeaseLock).
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update"]
{{- end }}

{{- define "incident-responder.rules.view" -}}
# kubectl get inc / rb / rp, and the status the operator records.
- apiGroups: ["incidentresponder.dev"]
  resources: ["incidents", "runbooks", "remediationpolicies", "incidents/status", "runbooks/status", "remediationpolicies/status"]
  verbs: ["get", "list", "watch"]
{{- end }}

{{- define "incident-responder.rules.edit" -}}
# Write the three kinds; reading comes with it so the role also works when bound on its own.
- apiGroups: ["incidentresponder.dev"]
  resources: ["incidents", "runbooks", "remediationpolicies"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
{{- end }}

{{- define "incident-responder.rules.onCall" -}}
# kubectl incident board and timeline, the read before every change, and kubectl get inc -w.
- apiGroups: ["incidentresponder.dev"]
  resources: ["incidents"]
  verbs: ["get", "list", "watch"]
# A person's request in the incident's spec (ack, approve, hand back, resolve, note, ...) and a declared incident.
- apiGroups: ["incidentresponder.dev"]
  resources: ["incidents"]
  verbs: ["create", "patch"]
# kubectl incident approve checks the step against the incident's runbook.
- apiGroups: ["incidentresponder.dev"]
  resources: ["runbooks"]
  verbs: ["get"]
# Who the person is, the "by" of every request (kubectl auth whoami asks the same).
- apiGroups: ["authentication.k8s.io"]
  resources: ["selfsubjectreviews"]
  verbs: ["create"]
{{- end }}
