namespace IncidentResponder.Architecture.Tests.Violations.Gamma;

/// <summary>Gamma -> Alpha, only as a generic argument inside an async method (a compiler-generated state machine).</summary>
public static class Downstream
{
    public static bool Keep(int item) => item > 1;

    public static async Task<int> LaterAsync()
    {
        await Task.Yield();
        var found = new List<Alpha.Upstream>();
        return found.Count;
    }
}
