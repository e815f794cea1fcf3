{{/*
The rule lists of every Role and ClusterRole in this chart, as plain YAML with no template actions, so that a
test can parse each block and compare it with the matching file in config/rbac/: the two cannot drift.
Each rule names the feature that needs it; config/rbac/role.yaml explains the choices in more detail.
*/}}

{{- define "incident-responder.rules.manager" -}}
# Detection: informers over Deployments (rollout progress, ProgressDeadlineExceeded, paused, opt-out annotation).
# RolloutUndo, RaiseMemoryLimit and RestartRollout change the pod template by patch; update is for writes that
# must carry the resourceVersion the decision was made on (optimistic concurrency, 409 on a race).
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "patch", "update"]
# Scale action: horizontal scaling through the scale subresource, as kubectl scale does.
- apiGroups: ["apps"]
  resources: ["deployments/scale"]
  verbs: ["get", "patch", "update"]
# Detection and RolloutUndo: revisions live in ReplicaSets (the new revision's pods, the last known good template).
- apiGroups: ["apps"]
  resources: ["replicasets"]
  verbs: ["get", "list", "watch"]
# Detection: container states of the new revision's pods (CrashLoopBackOff, ImagePullBackOff, OOMKilled, readiness).
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
# Evidence: the last lines of the failing containers' logs (current and previous).
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
# Detection and evidence: BackOff, FailedCreate and the Node's OOMKilling events (watched here, so no access to
# Nodes is needed). Records: the operator's own Events on Deployments and Incidents (create, then patch to count).
- apiGroups: [""]
  resources: ["events"]
  verbs: ["get", "list", "watch", "create", "patch"]
# The same Events through the newer events.k8s.io API, which the Event recorder and evidence collector may use.
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["get", "list", "watch", "create", "patch"]
# Scale action, HPA-aware: when an HPA targets the Deployment, raise its minReplicas instead of fighting it.
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "watch", "patch"]
# Post-mortem drafts are stored in a ConfigMap owned by the Incident (create, then patch as the draft grows);
# the FeatureFlag action's ConfigMap provider reads and patches one key. Watched to see flips made by others.
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create", "patch"]
# FeatureFlag action, OpenFeature provider: read the FeatureFlag resource and change its defaultVariant.
- apiGroups: ["core.openfeature.dev"]
  resources: ["featureflags"]
  verbs: ["get", "patch"]
# Triage: the operator opens Incidents, updates their spec (joined signals), and deletes expired resolved ones.
- apiGroups: ["incidentresponder.dev"]
  resources: ["incidents"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
# Runbooks and policies are authored by people; the operator only reads them.
- apiGroups: ["incidentresponder.dev"]
  resources: ["runbooks", "remediationpolicies"]
  verbs: ["get", "list", "watch"]
# Records: phase, actions[], timeline[] of Incidents; Ready conditions and counters of Runbooks and policies.
- apiGroups: ["incidentresponder.dev"]
  resources: ["incidents/status", "runbooks/status", "remediationpolicies/status"]
  verbs: ["get", "patch", "update"]
# The post-mortem ConfigMap's ownerReference sets blockOwnerDeletion: true, which clusters running the
# OwnerReferencesPermissionEnforcement admission plugin (OpenShift, hardened clusters) only allow when the writer
# may update the owner's finalizers.
- apiGroups: ["incidentresponder.dev"]
  resources: ["incidents/finalizers"]
  verbs: ["update"]
{{- end }}

{{- define "incident-responder.rules.leaderElection" -}}
# The Lease lock: read the holder, create the Lease on first start, renew it by update (KubernetesClient LeaseLock).
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update"]
# "became leader" Events on the Lease, as controller-runtime emits them, so failovers show in
# `kubectl get events -n incident-responder-system`. Granted here because the manager rules may be bound only
# in the watched namespaces, which need not include this one.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{- define "incident-responder.rules.secretReader" -}}
# Notifiers, the HTTP flag provider and the Alertmanager intake read the one Secret they reference.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
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
