using IncidentResponder.Architecture.Tests.Violations.Beta;

namespace IncidentResponder.Architecture.Tests.Violations.Alpha;

/// <summary>Alpha -> Beta, through a field's type.</summary>
public sealed class Upstream
{
    private readonly Middle middle = new();

    public int Size() => middle.Count();
}
