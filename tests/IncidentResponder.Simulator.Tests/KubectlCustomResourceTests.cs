
namespace IncidentResponder.Simulator.Tests;

/// <summary>kubectl with the project's CRDs (config/crd/bases): served at once, printer columns, server-side rejection.</summary>
public sealed class KubectlCustomResourceTests
{
    private static string? RepositoryPath(string relative)
    {
        var path = RepositoryRoot.Combine(relative);
        return Directory.Exists(path) || File.Exists(path) ? path : null;
    }

    [Fact]
    public async Task Apply_crds_then_create_get_describe_and_reject_invalid_custom_resources()
    {
        var crds = RepositoryPath("config/crd/bases");
        if (crds is null)
        {
            Assert.Skip("config/crd/bases is not generated yet");
        }

        await using var harness = await ClusterHarness.StartAsync();
        var applied = (await harness.KubectlAsync("apply", "-f", crds)).ShouldSucceed().Stdout;
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/runbooks.incidentresponder.dev created", applied, StringComparison.Ordinal);

        var sample = RepositoryPath("config/samples/runbook_decision_tree.yaml");
        if (sample is null)
        {
            Assert.Skip("config/samples/runbook_decision_tree.yaml is not there yet");
        }

        Assert.Equal("runbook.incidentresponder.dev/decision-tree created\n", (await harness.KubectlAsync("apply", "-f", sample)).ShouldSucceed().Stdout);
        var table = (await harness.KubectlAsync("get", "runbooks")).ShouldSucceed().Stdout;
        Assert.Matches(@"^NAME\s+TITLE\s+SEVERITY\s+STEPS\s+READY\s+AGE\n", table);
        var wide = (await harness.KubectlAsync("get", "runbooks", "-o", "wide")).ShouldSucceed().Stdout;
        Assert.Matches(@"^NAME\s+TITLE\s+SEVERITY\s+SIGNALS\s+STEPS\s+READY\s+AGE\n", wide);
        Assert.Matches(@"\ndecision-tree\s+Stabilize first", table);
        // Date columns print as the time since, like a real apiserver's CRD table convertor ("12s"), not as timestamps.
        Assert.Matches(@"\ndecision-tree\s+Stabilize first.*\s\d+[smhd]\n", table);
        Assert.DoesNotContain("T", table.Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
        var described = (await harness.KubectlAsync("describe", "runbook", "decision-tree")).ShouldSucceed().Stdout;
        Assert.Matches(@"Kind:\s+Runbook", described);

        var unknownField = harness.WriteFile("unknown.yaml", """
            apiVersion: incidentresponder.dev/v1alpha1
            kind: Runbook
            metadata:
              name: typo
            spec:
              title: x
              severty: SEV-2
            """);
        var rejected = await harness.KubectlAsync("apply", "-f", unknownField);
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("strict decoding error: unknown field \"spec.severty\"", rejected.Stderr, StringComparison.Ordinal);

        var strategic = await harness.KubectlAsync("patch", "runbook", "decision-tree", "--type", "strategic", "-p", """{"spec":{"title":"y"}}""");
        Assert.NotEqual(0, strategic.ExitCode);
        Assert.Contains("application/strategic-merge-patch+json is not supported by incidentresponder.dev/v1alpha1, Kind=Runbook", strategic.Stderr, StringComparison.Ordinal);
    }
    /// <summary>
    /// Optimistic concurrency for custom resources, as two status writers of one Incident rely on it: every write moves
    /// the resourceVersion, and a patch carrying a stale one answers 409. (The simulator once kept a custom resource's
    /// old resourceVersion after an update, so a stale writer silently won.)
    /// </summary>
    [Fact]
    public async Task Every_custom_resource_write_moves_the_resource_version_and_a_stale_one_conflicts()
    {
        var crds = RepositoryPath("config/crd/bases");
        var sample = RepositoryPath("config/samples/incident_manual.yaml");
        if (crds is null || sample is null)
        {
            Assert.Skip("config/crd/bases or config/samples/incident_manual.yaml is not there");
        }

        await using var harness = await ClusterHarness.StartAsync();
        (await harness.KubectlAsync("apply", "-f", crds)).ShouldSucceed();
        (await harness.KubectlAsync("apply", "-f", sample)).ShouldSucceed();
        var created = long.Parse((await harness.KubectlAsync("get", "incident", "checkout-503s", "-o", "jsonpath={.metadata.resourceVersion}")).ShouldSucceed().Stdout, System.Globalization.CultureInfo.InvariantCulture);

        var first = (await harness.KubectlAsync("patch", "incident", "checkout-503s", "--subresource=status", "--type=merge",
            "-p", """{"status":{"phase":"Detected"}}""", "-o", "jsonpath={.metadata.resourceVersion}")).ShouldSucceed().Stdout;
        var second = (await harness.KubectlAsync("patch", "incident", "checkout-503s", "--type=merge",
            "-p", """{"spec":{"summary":"edited"}}""", "-o", "jsonpath={.metadata.resourceVersion}")).ShouldSucceed().Stdout;
        Assert.True(long.Parse(first, System.Globalization.CultureInfo.InvariantCulture) > created, $"status write kept resourceVersion {created}");
        Assert.True(long.Parse(second, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(first, System.Globalization.CultureInfo.InvariantCulture), $"spec write kept resourceVersion {first}");

        var stale = await harness.KubectlAsync("patch", "incident", "checkout-503s", "--subresource=status", "--type=merge",
            "-p", $$$"""{"metadata":{"resourceVersion":"{{{first}}}"},"status":{"phase":"Resolved"}}""");
        Assert.NotEqual(0, stale.ExitCode);
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", stale.Stderr, StringComparison.Ordinal);
        Assert.Equal("Detected", (await harness.KubectlAsync("get", "incident", "checkout-503s", "-o", "jsonpath={.status.phase}")).ShouldSucceed().Stdout);
    }

    /// <summary>
    /// A CEL presence test of a timestamp field, as the Incident's hand-back rule has(self.at): the field there passes,
    /// the field missing fails with the rule's message. (The Cel library's own has() refused timestamp fields, so every
    /// hand-back was rejected.)
    /// </summary>
    [Fact]
    public async Task A_cel_presence_test_of_a_timestamp_field_passes_when_it_is_there_and_names_the_field_when_not()
    {
        var crds = RepositoryPath("config/crd/bases");
        var sample = RepositoryPath("config/samples/incident_manual.yaml");
        if (crds is null || sample is null)
        {
            Assert.Skip("config/crd/bases or config/samples/incident_manual.yaml is not there");
        }

        await using var harness = await ClusterHarness.StartAsync();
        (await harness.KubectlAsync("apply", "-f", crds)).ShouldSucceed();
        (await harness.KubectlAsync("apply", "-f", sample)).ShouldSucceed();

        (await harness.KubectlAsync("patch", "incident", "checkout-503s", "--type=merge",
            "-p", """{"spec":{"handback":{"by":"alice","at":"2026-12-08T03:00:00Z"}}}""")).ShouldSucceed();
        var missing = await harness.KubectlAsync("patch", "incident", "checkout-503s", "--type=merge",
            "-p", """{"spec":{"reopen":{"by":"alice"}}}""");

        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("spec.reopen.at: Required value: a reopen needs 'at', the time it was asked for", missing.Stderr, StringComparison.Ordinal);
    }
}
