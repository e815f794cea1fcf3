namespace IncidentResponder.Operator.Tests.Rbac;

/// <summary>One RBAC grant or one observed request, reduced to what RBAC decides on: group, resource[/subresource], verb, scope.</summary>
/// <param name="ApiGroup">"" for the core group.</param>
/// <param name="Resource">The resource, or resource/subresource (deployments/scale).</param>
/// <param name="Verb">The RBAC verb (get, list, watch, create, update, patch, delete).</param>
/// <param name="Namespace">The namespace a namespaced Role applies in; null for a ClusterRole (every namespace).</param>
internal sealed record Permission(string ApiGroup, string Resource, string Verb, string? Namespace)
{
    /// <summary>A grant's resourceName (null: every object), or the name of the object a request was about.</summary>
    public string? Name { get; init; }

    public override string ToString() =>
        $"{(ApiGroup.Length == 0 ? "core" : ApiGroup)}/{Resource}{(Name is null ? string.Empty : $" {Name}")} {Verb}{(Namespace is null ? string.Empty : $" in {Namespace}")}";

    public bool Covers(Permission request) =>
        ApiGroup == request.ApiGroup && Resource == request.Resource && Verb == request.Verb
        && (Namespace is null || Namespace == request.Namespace)
        && (Name is null || Name == request.Name);
}
