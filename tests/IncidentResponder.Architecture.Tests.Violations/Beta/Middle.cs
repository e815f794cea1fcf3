namespace IncidentResponder.Architecture.Tests.Violations.Beta;

/// <summary>Beta -> Gamma, only inside a lambda's body (a compiler-generated closure type).</summary>
public sealed class Middle
{
    public int Count()
    {
        var items = new List<int> { 1, 2, 3 };
        return items.Count(item => Gamma.Downstream.Keep(item));
    }
}
