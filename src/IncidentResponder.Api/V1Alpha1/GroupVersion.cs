namespace IncidentResponder.Api.V1Alpha1;

/// <summary>The API group and version of every kind in this folder.</summary>
public static class GroupVersion
{
    public const string Group = "incidentresponder.dev";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>The category shared by all kinds: <c>kubectl get incidentresponder</c>.</summary>
    public const string Category = "incidentresponder";
}
