namespace IncidentResponder.Simulator.Storage;

/// <summary>The built-in resources the simulator serves, with the discovery data and strategy rules of kube-apiserver 1.32.</summary>
public static class BuiltinResources
{
    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "Namespace", false);
    public static readonly ResourceType Nodes = new("", "v1", "nodes", "Node", false);
    public static readonly ResourceType Pods = new("", "v1", "pods", "Pod", true);
    public static readonly ResourceType Events = new("", "v1", "events", "Event", true);
    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);
    public static readonly ResourceType Secrets = new("", "v1", "secrets", "Secret", true);
    public static readonly ResourceType Services = new("", "v1", "services", "Service", true);
    public static readonly ResourceType ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount", true);
    public static readonly ResourceType Deployments = new("apps", "v1", "deployments", "Deployment", true);
    public static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", "ReplicaSet", true);
    public static readonly ResourceType StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet", true);
    public static readonly ResourceType DaemonSets = new("apps", "v1", "daemonsets", "DaemonSet", true);
    public static readonly ResourceType ControllerRevisions = new("apps", "v1", "controllerrevisions", "ControllerRevision", true);
    public static readonly ResourceType PersistentVolumeClaims = new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true);
    public static readonly ResourceType Jobs = new("batch", "v1", "jobs", "Job", true);
    public static readonly ResourceType CronJobs = new("batch", "v1", "cronjobs", "CronJob", true);
    public static readonly ResourceType EventsV1 = new("events.k8s.io", "v1", "events", "Event", true);
    public static readonly ResourceType Leases = new("coordination.k8s.io", "v1", "leases", "Lease", true);
    public static readonly ResourceType HorizontalPodAutoscalers = new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true);
    public static readonly ResourceType CustomResourceDefinitions = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false);

    public static IReadOnlyList<ResourceDefinition> All { get; } =
    [
        new() { Type = Namespaces, Singular = "namespace", ShortNames = ["ns"], HasStatus = true, FieldLabels = ["status.phase"] },
        new() { Type = Nodes, Singular = "node", ShortNames = ["no"], HasStatus = true, FieldLabels = ["spec.unschedulable"] },
        new()
        {
            Type = Pods, Singular = "pod", ShortNames = ["po"], Categories = ["all"], HasStatus = true, ExtraSubresources = ["log"],
            FieldLabels = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
        },
        new()
        {
            Type = Events, Singular = "event", ShortNames = ["ev"],
            FieldLabels = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        },
        new() { Type = ConfigMaps, Singular = "configmap", ShortNames = ["cm"] },
        new() { Type = Secrets, Singular = "secret", FieldLabels = ["type"] },
        new() { Type = Services, Singular = "service", ShortNames = ["svc"], Categories = ["all"], HasStatus = true },
        new() { Type = ServiceAccounts, Singular = "serviceaccount", ShortNames = ["sa"] },
        new() { Type = Deployments, Singular = "deployment", ShortNames = ["deploy"], Categories = ["all"], HasStatus = true, HasScale = true, Generation = GenerationPolicy.SpecOrAnnotations },
        new() { Type = ReplicaSets, Singular = "replicaset", ShortNames = ["rs"], Categories = ["all"], HasStatus = true, HasScale = true, Generation = GenerationPolicy.Spec, FieldLabels = ["status.replicas"] },
        new() { Type = StatefulSets, Singular = "statefulset", ShortNames = ["sts"], Categories = ["all"], HasStatus = true, HasScale = true, Generation = GenerationPolicy.Spec },
        new() { Type = DaemonSets, Singular = "daemonset", ShortNames = ["ds"], Categories = ["all"], HasStatus = true, Generation = GenerationPolicy.Spec },
        new() { Type = ControllerRevisions, Singular = "controllerrevision" },
        new() { Type = PersistentVolumeClaims, Singular = "persistentvolumeclaim", ShortNames = ["pvc"], HasStatus = true },
        new() { Type = Jobs, Singular = "job", Categories = ["all"], HasStatus = true, Generation = GenerationPolicy.Spec, FieldLabels = ["status.successful"] },
        new() { Type = CronJobs, Singular = "cronjob", ShortNames = ["cj"], Categories = ["all"], HasStatus = true, Generation = GenerationPolicy.Spec },
        new() { Type = EventsV1, Singular = "event", ShortNames = ["ev"], StorageType = Events },
        new() { Type = Leases, Singular = "lease" },
        new() { Type = HorizontalPodAutoscalers, Singular = "horizontalpodautoscaler", ShortNames = ["hpa"], Categories = ["all"], HasStatus = true },
        new() { Type = CustomResourceDefinitions, Singular = "customresourcedefinition", ShortNames = ["crd", "crds"], Categories = ["api-extensions"], HasStatus = true, Generation = GenerationPolicy.Spec },
    ];
}
