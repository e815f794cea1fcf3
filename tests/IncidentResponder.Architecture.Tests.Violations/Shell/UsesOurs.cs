namespace IncidentResponder.Architecture.Tests.Violations.Shell;

/// <summary>Uses one type of each of our assemblies.</summary>
public static class UsesOurs
{
    public static IReadOnlyList<Type> Types() =>
    [
        typeof(IncidentResponder.Api.V1Alpha1.RemediationMode),
        typeof(IncidentResponder.Runtime.Hosting.ManagerOptions),
        typeof(IncidentResponder.Core.Time.GoDuration),
        typeof(IncidentResponder.History.HistoryStoreException),
        typeof(IncidentResponder.Operator.Hosting.OperatorInstance),
        typeof(IncidentResponder.Simulator.SimulatorOptions),
    ];
}
