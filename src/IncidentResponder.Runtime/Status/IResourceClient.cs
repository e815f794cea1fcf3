namespace IncidentResponder.Runtime.Status;

/// <summary>
/// The few writes the runtime's helpers make to one resource kind. Merge patches are passed as JSON text so the
/// helpers can send explicit nulls (KubernetesClient's serializer drops nulls from typed bodies).
/// </summary>
public interface IResourceClient<T>
{
    /// <summary>The current object, or null when it does not exist.</summary>
    Task<T?> GetAsync(string? ns, string name, CancellationToken cancellationToken);

    Task<T> PatchAsync(string? ns, string name, string mergePatchJson, CancellationToken cancellationToken);

    Task<T> PatchStatusAsync(string? ns, string name, string mergePatchJson, CancellationToken cancellationToken);
}
