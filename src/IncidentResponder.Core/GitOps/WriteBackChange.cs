namespace IncidentResponder.Core.GitOps;

/// <summary>
/// One value the operator changed in the cluster that git must now declare too: <paramref name="Field"/> of
/// <paramref name="Kind"/> <paramref name="Name"/> (of its container <paramref name="Container"/> for an image or a
/// memory limit) went from <paramref name="From"/> to <paramref name="To"/>.
/// </summary>
/// <param name="Container">The container, for <c>image</c> and <c>memoryLimit</c>; null picks the one whose image is <paramref name="From"/>.</param>
/// <param name="Field">One of <see cref="Image"/>, <see cref="MemoryLimit"/>, <see cref="Replicas"/>.</param>
public sealed record WriteBackChange(string Kind, string Name, string? Container, string Field, string From, string To)
{
    public const string Image = "image";
    public const string MemoryLimit = "memoryLimit";
    public const string Replicas = "replicas";

    /// <summary>In words, for commit messages and reasons: "image of Deployment web (container nginx) nginx:1.26 → nginx:1.25".</summary>
    public string Describe() =>
        $"{Field} of {Kind} {Name}{(Container is null ? string.Empty : $" (container {Container})")}: {From} -> {To}";
}

/// <summary>Why a write-back plan could not be made, so the shell can name the failure.</summary>
public enum WriteBackRefusal
{
    /// <summary>No file under the path declares the value (it may be generated): a person must change it.</summary>
    NotFound,

    /// <summary>Git declares a third value, neither the one the operator replaced nor the one it set: someone moved on.</summary>
    Conflict,

    /// <summary>The value is declared in a shape this planner does not edit (a missing key to add, a templated value).</summary>
    Unsupported,
}

/// <summary>
/// What write-back must do to the files under the owner's path: the edited texts (only files whose text changed), a
/// line per edit saying where, or a refusal with a reason a person can act on. No edits and no refusal means git
/// already declares every <c>To</c> value.
/// </summary>
public sealed record WriteBackPlan(
    IReadOnlyDictionary<string, string> EditedFiles,
    IReadOnlyList<string> Edits,
    WriteBackRefusal? Refusal,
    string? Reason)
{
    public bool AlreadyHolds => Refusal is null && EditedFiles.Count == 0;

    public static WriteBackPlan Refused(WriteBackRefusal refusal, string reason) =>
        new(new Dictionary<string, string>(), [], refusal, reason);
}
