using IncidentResponder.Architecture.Tests.Checking;

namespace IncidentResponder.Architecture.Tests;

/// <summary>
/// Every rule bites: each checker, run on the deliberately bad assembly, reports every violation planted there, and
/// blames the type that commits it (also when the use hides in a lambda or an async method).
/// </summary>
public sealed class ViolationsTests
{
    private const string Root = "IncidentResponder.Architecture.Tests.Violations";
    private static readonly AssemblyDependencies Bad = AssemblyDependencies.Load(Root);

    private static readonly string[] OurOthers =
        [ProductRules.Api, ProductRules.Runtime, ProductRules.Core, ProductRules.History, ProductRules.Operator, ProductRules.Simulator];

    [Fact]
    public void Api_rule_reports_each_of_our_assemblies_used()
    {
        var violations = ProductRules.ApiStandsAlone(Bad);
        foreach (var assembly in OurOthers)
        {
            AssertReported(violations, $"{Root}.Shell.UsesOurs uses {assembly}:");
        }
    }

    [Fact]
    public void Runtime_rule_reports_api_core_operator_simulator_and_history_but_not_runtime()
    {
        var violations = ProductRules.RuntimeKnowsNoDomain(Bad);
        foreach (var assembly in OurOthers.Where(name => name != ProductRules.Runtime))
        {
            AssertReported(violations, $"{Root}.Shell.UsesOurs uses {assembly}:");
        }

        Assert.DoesNotContain(violations, line => line.Contains($"uses {ProductRules.Runtime}:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ClockReads", "System.DateTime::get_UtcNow")]
    [InlineData("ClockReads", "System.DateTime::get_Now")]
    [InlineData("ClockReads", "System.DateTime::get_Today")]
    [InlineData("ClockReads", "System.DateTimeOffset::get_UtcNow")]
    [InlineData("ClockReads", "System.DateTimeOffset::get_Now")]
    [InlineData("ClockReads", "System.Environment::get_TickCount")]
    [InlineData("ClockReads", "System.Environment::get_TickCount64")]
    [InlineData("ClockReads", "System.Diagnostics.Stopwatch")]
    [InlineData("InputOutput", "System.Net.Http.HttpClient")]
    [InlineData("InputOutput", "System.IO.File")]
    [InlineData("InputOutput", "System.IO.Directory")]
    [InlineData("InputOutput", "System.IO.FileInfo")]
    [InlineData("InputOutput", "System.Console")]
    [InlineData("InputOutput", "Microsoft.Extensions.Logging.ILogger")]
    [InlineData("InputOutput", "Npgsql.NpgsqlConnection")]
    [InlineData("InputOutput", "k8s.Kubernetes")]
    [InlineData("InputOutput", "k8s.IKubernetes")]
    public void Core_rule_reports_each_banned_api(string type, string api) =>
        AssertReported(ProductRules.CoreIsPure(Bad), $"{Root}.Shell.{type} uses {api}:");

    [Fact]
    public void Core_rule_allows_what_the_core_may_use()
    {
        var violations = ProductRules.CoreIsPure(Bad);
        Assert.DoesNotContain(violations, line => line.Contains("uses System.DateTime: ", StringComparison.Ordinal));
        Assert.DoesNotContain(violations, line => line.Contains($"{Root}.Alpha.", StringComparison.Ordinal));
    }

    [Fact]
    public void Simulator_rule_reports_a_use_of_the_operator() =>
        AssertReported(ProductRules.SimulatorKnowsNoOperator(Bad), $"{Root}.Shell.UsesOurs uses {ProductRules.Operator}:");

    [Fact]
    public void Operator_rule_reports_a_use_of_the_simulator() =>
        AssertReported(ProductRules.OperatorKnowsNoSimulator(Bad), $"{Root}.Shell.UsesOurs uses {ProductRules.Simulator}:");

    [Fact]
    public void Cycle_rule_reports_the_folder_cycle_as_a_readable_path()
    {
        // Alpha -> Beta is a field; Beta -> Gamma only a lambda's body; Gamma -> Alpha only a local in an async method.
        var cycle = Assert.Single(ProductRules.FolderCyclesUnder(Bad, Root));
        Assert.Equal(["Alpha", "Beta", "Gamma", "Alpha"], cycle.Folders);
        Assert.Equal(
            [
                "Alpha -> Beta: Alpha.Upstream uses Beta.Middle",
                "Beta -> Gamma: Beta.Middle uses Gamma.Downstream",
                "Gamma -> Alpha: Gamma.Downstream uses Alpha.Upstream",
            ],
            cycle.Because);
    }

    private static void AssertReported(IReadOnlyList<string> violations, string expectedStart) =>
        Assert.True(
            violations.Any(line => line.StartsWith(expectedStart, StringComparison.Ordinal)),
            $"Expected a violation starting with '{expectedStart}'; got:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
}
