namespace IncidentResponder.Core.GitOps;

/// <summary>
/// A container image reference split the way kustomize's <c>images:</c> matches it: the name (registry and
/// repository, without tag or digest), the tag and the digest. <c>registry:5000/app:1.2@sha256:…</c> has name
/// <c>registry:5000/app</c>: a colon is a tag separator only after the last slash.
/// </summary>
public sealed record ImageReference(string Name, string? Tag, string? Digest)
{
    public static ImageReference Parse(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        string? digest = null;
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            image = image[..at];
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') && colon >= 0
            ? new ImageReference(image[..colon], image[(colon + 1)..], digest)
            : new ImageReference(image, null, digest);
    }

    public override string ToString() => Name + (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);
}
