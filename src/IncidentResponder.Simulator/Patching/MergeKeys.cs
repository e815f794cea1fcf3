namespace IncidentResponder.Simulator.Patching;

/// <summary>How a list field of a built-in type merges under strategic merge patch (its Go struct tags in k8s.io/api 1.32).</summary>
internal enum ListStrategy
{
    /// <summary>No <c>patchStrategy</c>: the patch replaces the list.</summary>
    Replace,

    /// <summary><c>patchStrategy:"merge"</c> with a <c>patchMergeKey</c>: items merge by key.</summary>
    MergeByKey,

    /// <summary><c>patchStrategy:"merge"</c> on a list of scalars (finalizers): set union.</summary>
    MergePrimitives,
}

/// <summary>The merge keys strategic merge patch uses for the built-in types the simulator serves.</summary>
internal static class MergeKeys
{
    /// <summary>The strategy of the list at <paramref name="field"/>, given the names of the fields above it.</summary>
    public static (ListStrategy Strategy, string? Key) For(IReadOnlyList<string> parents, string field)
    {
        var parent = parents.Count > 0 ? parents[^1] : string.Empty;
        return field switch
        {
            "containers" or "initContainers" or "ephemeralContainers" or "volumes" or "imagePullSecrets" or "resourceClaims" or "schedulingGates" => (ListStrategy.MergeByKey, "name"),
            "env" => (ListStrategy.MergeByKey, "name"),
            "ports" when parent is "containers" or "initContainers" or "ephemeralContainers" => (ListStrategy.MergeByKey, "containerPort"),
            "ports" when parents.Count == 1 && parents[0] == "spec" => (ListStrategy.MergeByKey, "port"),
            "volumeMounts" => (ListStrategy.MergeByKey, "mountPath"),
            "volumeDevices" => (ListStrategy.MergeByKey, "devicePath"),
            "hostAliases" => (ListStrategy.MergeByKey, "ip"),
            "topologySpreadConstraints" => (ListStrategy.MergeByKey, "topologyKey"),
            "conditions" when parent == "status" => (ListStrategy.MergeByKey, "type"),
            "ownerReferences" when parent == "metadata" => (ListStrategy.MergeByKey, "uid"),
            "finalizers" when parent == "metadata" => (ListStrategy.MergePrimitives, null),
            _ => (ListStrategy.Replace, null),
        };
    }
}
