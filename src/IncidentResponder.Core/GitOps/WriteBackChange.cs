namespace IncidentResponder.Core.GitOps;

/// <summary>One field a mitigation changed on a workload, to be made true in git as well.</summary>
/// <param name="Field">image, memoryLimit or replicas.</param>
/// <param name="Container">The container, for image and memoryLimit.</param>
public sealed record WriteBackChange(string Kind, string Name, string? Container, string Field, string From, string To)
{
    public const string Image = "image";
    public const string MemoryLimit = "memoryLimit";
    public const string Replicas = "replicas";

    public override string ToString() =>
        Container is null ? $"{Kind} {Name} {Field}: {From} -> {To}" : $"{Kind} {Name} container {Container} {Field}: {From} -> {To}";
}
