using IncidentResponder.Architecture.Tests.Checking;

namespace IncidentResponder.Architecture.Tests;

/// <summary>
/// The product's architecture rules, each a checker that takes any assembly and returns its violations (empty when
/// it keeps the rule). The product tests run them on the product; the violation tests run the very same checkers on
/// a deliberately bad assembly to prove each one reports what it should.
/// </summary>
public static class ProductRules
{
    public const string Api = "IncidentResponder.Api";
    public const string Runtime = "IncidentResponder.Runtime";
    public const string Core = "IncidentResponder.Core";
    public const string Operator = "IncidentResponder.Operator";
    public const string Simulator = "IncidentResponder.Simulator";
    public const string History = "IncidentResponder.History";

    /// <summary>The CRD types stand alone: they use none of our other assemblies.</summary>
    public static IReadOnlyList<string> ApiStandsAlone(AssemblyDependencies assembly) => AssemblyRules.UsesOfOurs(assembly);

    /// <summary>The controller runtime knows no domain: no CRD types, no decisions, no operator, simulator or store.</summary>
    public static IReadOnlyList<string> RuntimeKnowsNoDomain(AssemblyDependencies assembly) =>
        AssemblyRules.UsesOf(assembly, Api, Core, Operator, Simulator, History);

    /// <summary>The decision core is pure: no API server, network, files, database, logging or clock reads.</summary>
    public static IReadOnlyList<string> CoreIsPure(AssemblyDependencies assembly) => BannedApis.DecisionCore.Check(assembly);

    /// <summary>The simulator stands in for the API server; it must not know the operator it serves.</summary>
    public static IReadOnlyList<string> SimulatorKnowsNoOperator(AssemblyDependencies assembly) => AssemblyRules.UsesOf(assembly, Operator);

    /// <summary>The operator talks to any API server; it must not know the simulator.</summary>
    public static IReadOnlyList<string> OperatorKnowsNoSimulator(AssemblyDependencies assembly) => AssemblyRules.UsesOf(assembly, Simulator);

    /// <summary>The folders directly under <paramref name="rootNamespace"/> depend on each other without cycles.</summary>
    public static IReadOnlyList<FolderCycle> FolderCyclesUnder(AssemblyDependencies assembly, string rootNamespace) =>
        FolderCycles.Find(assembly, rootNamespace);
}
