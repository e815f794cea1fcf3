using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using k8s;
using k8s.Autorest;

namespace IncidentResponder.Operator.Tests.Fuzz;

/// <summary>
/// Random RemediationPolicy, Runbook and Incident documents sent to the simulated API server while an operator runs:
/// each is admitted, or refused with a 4xx whose message names the field; nothing answers 500, and nothing admitted
/// makes the operator crash or spin. One fixed seed every run, plus a fresh seed printed so a failure can be replayed.
/// </summary>
public sealed partial class CustomResourceFuzzTests
{
    private const ulong FixedSeed = 20261207;
    private const int DocumentsPerSeed = 120;
    private const string FuzzNamespace = "fuzz";

    // The operator retries a failing reconcile with backoff; a document it cannot handle may cost a few errors, a loop costs thousands.
    private const double ErrorBudget = 100;

    [Fact]
    public async Task Every_fuzzed_document_is_admitted_or_refused_naming_a_field_and_the_operator_keeps_working()
    {
        var randomSeed = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz seeds: fixed {FixedSeed}, random {randomSeed} (set FixedSeed to it to replay)");
        var samples = DocumentMutations.SampleFiles.Select(f => YamlJson.Document(RepositoryRoot.ReadText(f))).ToList();

        await using var cluster = await OperatorCluster.StartAsync();
        (await cluster.Kubectl.RunAsync("create", "namespace", FuzzNamespace)).ShouldSucceed();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        var running = cluster.StartOperator(OperatorCluster.FastOptions() with { Namespaces = [OperatorCluster.Namespace, FuzzNamespace] });

        var outcomes = new List<string>();
        foreach (var seed in new[] { FixedSeed, randomSeed })
        {
            var pcg = new PCG(1, seed);
            for (var i = 0; i < DocumentsPerSeed; i++)
            {
                var fuzz = DocumentMutations.Cases.Generate(pcg, null, out _);
                var document = DocumentMutations.Build(samples, fuzz, $"fuzz-{seed % 100000}-{i}");
                outcomes.Add(await SendAsync(cluster.Client, fuzz.Sample, document, $"seed {seed}, document {i}"));
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", outcomes.GroupBy(o => o).Select(g => $"{g.Count(),4} {g.Key}")));
        Assert.Contains("admitted", outcomes);
        Assert.Contains(outcomes, o => o.StartsWith("refused", StringComparison.Ordinal));

        // Still working: a bad rollout after the fuzz is caught and rolled back, and the errors along the way stay few.
        var errorsBefore = Errors(running);
        await cluster.BadRolloutAsync("web", "crashloop");
        await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);
        Assert.True(running.Running, "the operator stopped running during the fuzz");
        var errors = Errors(running);
        TestContext.Current.TestOutputHelper?.WriteLine($"reconcile errors: {errorsBefore} during the fuzz, {errors - errorsBefore} during the rollback after it");
        Assert.True(errors < ErrorBudget, $"{errors} reconcile errors: the operator is retrying something in a loop (seeds {FixedSeed}, {randomSeed})");
        // No chaos here, so a failing watch or list means an admitted object the operator cannot read: its informer would retry forever.
        Assert.Equal(0, WatchFailures(running));
    }

    private static async Task<string> SendAsync(IKubernetes client, int sample, JsonObject document, string which)
    {
        var plural = sample switch { 0 => RemediationPolicy.Plural, 1 => Runbook.Plural, _ => Incident.Plural };
        try
        {
            using var response = await client.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync(document, GroupVersion.Group, GroupVersion.Version,
                FuzzNamespace, plural, cancellationToken: TestContext.Current.CancellationToken);
            return "admitted";
        }
        catch (HttpOperationException error)
        {
            var code = (int)error.Response.StatusCode;
            var body = error.Response.Content ?? string.Empty;
            Assert.True(code is >= 400 and < 500, $"{which}: HTTP {code} for\n{document.ToJsonString()}\n{body}");
            Assert.True(NamesAField(body), $"{which}: HTTP {code} without naming a field for\n{document.ToJsonString()}\n{body}");
            return $"refused {code} {(error.Response.StatusCode == HttpStatusCode.UnprocessableEntity ? "Invalid" : "BadRequest")}";
        }
    }

    /// <summary>A Status whose causes carry a field path, or whose message quotes one (spec.x, metadata.name, unknown field "...").</summary>
    private static bool NamesAField(string body)
    {
        JsonNode? status;
        try
        {
            status = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return false;
        }

        var causes = status?["details"]?["causes"] as JsonArray ?? [];
        return causes.Any(c => c?["field"]?.GetValue<string>() is { Length: > 0 })
            || FieldPath().IsMatch(status?["message"]?.GetValue<string>() ?? string.Empty);
    }

    private static double Errors(RunningOperator running)
    {
        var counter = running.Instance.Metrics.ReconcileErrors;
        return counter.GetAllLabelValues().Sum(labels => counter.WithLabels(labels).Value);
    }

    private static double WatchFailures(RunningOperator running)
    {
        var counter = running.Instance.Metrics.WatchRestarts;
        return counter.GetAllLabelValues().Where(l => l[1] is "error" or "list_error").Sum(labels => counter.WithLabels(labels).Value);
    }

    [GeneratedRegex("""\b(spec|metadata|status)(\.|\[|:)|unknown field "[^"]+"|\.(spec|metadata)\b""")]
    private static partial Regex FieldPath();
}
