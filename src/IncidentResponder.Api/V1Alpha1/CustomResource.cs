using k8s;
using k8s.Models;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>The common shape of the custom resources: metadata, spec, status.</summary>
public abstract class CustomResource<TSpec, TStatus> : IKubernetesObject<V1ObjectMeta>, ISpec<TSpec>, IStatus<TStatus?>
    where TSpec : new()
    where TStatus : class
{
    public string ApiVersion { get; set; } = GroupVersion.ApiVersion;

    public string Kind { get; set; } = string.Empty;

    public V1ObjectMeta Metadata { get; set; } = new();

    public TSpec Spec { get; set; } = new();

    public TStatus? Status { get; set; }
}

/// <summary>A list of custom resources as the API returns it.</summary>
public sealed class CustomResourceList<T> : IKubernetesObject<V1ListMeta>, IItems<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = GroupVersion.ApiVersion;

    public string Kind { get; set; } = string.Empty;

    public V1ListMeta Metadata { get; set; } = new();

    public IList<T> Items { get; set; } = [];
}
