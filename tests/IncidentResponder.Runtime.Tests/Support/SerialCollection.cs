namespace IncidentResponder.Runtime.Tests.Support;

/// <summary>Tests that measure process-wide quantities (managed heap, wall-clock bounds) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
