using System.Diagnostics.CodeAnalysis;

namespace IncidentResponder.Core.GitOps;

/// <summary>
/// Argo CD's resource tracking annotation <c>argocd.argoproj.io/tracking-id</c>:
/// <c>&lt;app&gt;:&lt;group&gt;/&lt;kind&gt;:&lt;namespace&gt;/&lt;name&gt;</c>, where the group of a core-group object is empty and
/// <c>&lt;app&gt;</c> is <c>&lt;appNamespace&gt;_&lt;appName&gt;</c> for an Application outside Argo CD's own namespace. Parsed as
/// Argo CD parses it: split on the first two colons, then each part on its slash; anything else is malformed.
/// </summary>
public sealed record ArgoCdTrackingId(string App, string Group, string Kind, string Namespace, string Name)
{
    public const string Annotation = "argocd.argoproj.io/tracking-id";

    /// <summary>Parses <paramref name="value"/>; false (and null) when it is not a well-formed tracking id.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out ArgoCdTrackingId? id)
    {
        id = null;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var parts = value.Split(':', 3);
        if (parts.Length != 3 || parts[0].Length == 0)
        {
            return false;
        }

        var groupKind = parts[1].Split('/');
        var namespaceName = parts[2].Split('/');
        if (groupKind.Length != 2 || namespaceName.Length != 2 || groupKind[1].Length == 0 || namespaceName[1].Length == 0)
        {
            return false;
        }

        id = new ArgoCdTrackingId(parts[0], groupKind[0], groupKind[1], namespaceName[0], namespaceName[1]);
        return true;
    }

    /// <summary>
    /// Whether the id describes the object it sits on. Argo CD ignores an object whose annotation names another (for
    /// example one copied by another tool), so the operator must not treat that object as Argo CD's either.
    /// </summary>
    public bool Describes(string group, string kind, string ns, string name) =>
        string.Equals(Group, group, StringComparison.Ordinal) && string.Equals(Kind, kind, StringComparison.Ordinal)
        && string.Equals(Namespace, ns, StringComparison.Ordinal) && string.Equals(Name, name, StringComparison.Ordinal);

    public override string ToString() => $"{App}:{Group}/{Kind}:{Namespace}/{Name}";
}
