using IncidentResponder.Architecture.Tests.Checking;

namespace IncidentResponder.Architecture.Tests;

/// <summary>The product's assemblies keep the architecture rules.</summary>
public sealed class ProductArchitectureTests
{
    [Fact]
    public void Api_uses_none_of_our_other_assemblies() =>
        AssertNone(ProductRules.ApiStandsAlone(AssemblyDependencies.Load(ProductRules.Api)));

    [Fact]
    public void Runtime_uses_none_of_api_core_operator_simulator_or_history() =>
        AssertNone(ProductRules.RuntimeKnowsNoDomain(AssemblyDependencies.Load(ProductRules.Runtime)));

    [Fact]
    public void Core_uses_no_api_server_client_io_logging_or_clock() =>
        AssertNone(ProductRules.CoreIsPure(AssemblyDependencies.Load(ProductRules.Core)));

    [Fact]
    public void Simulator_uses_nothing_of_the_operator() =>
        AssertNone(ProductRules.SimulatorKnowsNoOperator(AssemblyDependencies.Load(ProductRules.Simulator)));

    [Fact]
    public void Operator_uses_nothing_of_the_simulator() =>
        AssertNone(ProductRules.OperatorKnowsNoSimulator(AssemblyDependencies.Load(ProductRules.Operator)));

    [Fact]
    public void Core_folders_have_no_cycles() =>
        AssertNone(ProductRules.FolderCyclesUnder(AssemblyDependencies.Load(ProductRules.Core), ProductRules.Core));

    [Fact]
    public void Operator_folders_have_no_cycles() =>
        AssertNone(ProductRules.FolderCyclesUnder(AssemblyDependencies.Load(ProductRules.Operator), ProductRules.Operator));

    /// <summary>A rule that finds nothing because the reader saw nothing would pass vacuously; these uses are real.</summary>
    [Fact]
    public void The_reader_sees_what_the_product_really_uses()
    {
        var core = AssemblyDependencies.Load(ProductRules.Core);
        Assert.Contains(core.Types, type => type.Types.Any(used => used.Assembly == ProductRules.Api));
        Assert.Contains(core.Types, type => type.Members.Any(used => used.ToString() == "System.Text.RegularExpressions.Regex::Match"));

        var op = AssemblyDependencies.Load(ProductRules.Operator);
        Assert.Contains(op.Types, type => type.Types.Any(used => used.FullName == "k8s.IKubernetes"));
        Assert.Contains(op.Types, type => type.Types.Any(used => used.Assembly == ProductRules.Core));
    }

    private static void AssertNone<T>(IReadOnlyList<T> violations)
    {
        if (violations.Count > 0)
        {
            Assert.Fail($"{violations.Count} violation(s):{Environment.NewLine}" +
                        string.Join(Environment.NewLine, violations));
        }
    }
}
