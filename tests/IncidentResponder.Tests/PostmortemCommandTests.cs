using IncidentResponder.History;

namespace IncidentResponder.Tests;

/// <summary><c>incident-responder postmortem</c> as a person runs it: against a cluster through a kubeconfig.</summary>
public sealed class PostmortemCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Prints_the_postmortem_from_the_incidents_configmap_and_says_where_it_looked_when_there_is_none()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        var kubeconfig = cluster.Kubeconfig;
        const string markdown = "# Post-Mortem: CrashLoop of web — 2026-11-27\n\n## Summary\n\nRolled back from revision 2 to revision 1 | in 1m35s.\n\n```mermaid\ngantt\n    title web-crashloop-r2 (SEV-2)\n```\n";
        var file = cluster.WriteFile("postmortem.md", markdown);
        (await cluster.KubectlAsync("create", "configmap", "web-crashloop-r2-postmortem", $"--from-file=postmortem.md={file}")).ShouldSucceed();

        using (var found = ExecutableProcess.Start("postmortem", "default/web-crashloop-r2", "--kubeconfig", kubeconfig))
        {
            Assert.Equal(0, await found.WaitForExitAsync(Deadline));
            Assert.Equal(markdown.TrimEnd(), found.Output.Replace("\r", string.Empty, StringComparison.Ordinal).TrimEnd());
        }

        using (var missing = ExecutableProcess.Start("postmortem", "default/web-other", "--kubeconfig", kubeconfig))
        {
            Assert.Equal(1, await missing.WaitForExitAsync(Deadline));
            Assert.Contains("no post-mortem for incident default/web-other (looked in: ConfigMap default/web-other-postmortem)", missing.Output, StringComparison.Ordinal);
        }

        using (var malformed = ExecutableProcess.Start("postmortem", "web-crashloop-r2", "--kubeconfig", kubeconfig))
        {
            Assert.Equal(2, await malformed.WaitForExitAsync(Deadline));
            Assert.Contains("expected <namespace>/<name>, got 'web-crashloop-r2'", malformed.Output, StringComparison.Ordinal);
        }
    }
    /// <summary>The Incident and its ConfigMap are gone; the history store still has the post-mortem, and says so.</summary>
    [Fact]
    public async Task Falls_back_to_the_history_store_when_the_cluster_no_longer_has_the_incident()
    {
        if (PostgresServer.Unavailable() is { } reason)
        {
            Assert.Skip(reason);
        }

        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("postmortem");
        const string markdown = "# Post-Mortem: CrashLoop of web\n\n## Summary\n\nRolled back from revision 2 to revision 1.\n";
        await using (var store = HistoryStore.Open(connectionString))
        {
            await store.MigrateAsync(TestContext.Current.CancellationToken);
            var incident = SampleIncidents.Incident(name: "web-crashloop-r2", ns: "default", detectSeconds: 10, restoreSeconds: 90, detectedAt: DateTime.UtcNow.AddHours(-1));
            await store.RecordAsync(new IncidentSnapshot(incident, DateTimeOffset.UtcNow) { PostmortemMarkdown = markdown }, TestContext.Current.CancellationToken);
        }

        await using var cluster = await ClusterHarness.StartAsync();
        var kubeconfig = cluster.Kubeconfig;

        using (var found = ExecutableProcess.Start("postmortem", "default/web-crashloop-r2", "--kubeconfig", kubeconfig, "--history-database", connectionString))
        {
            Assert.Equal(0, await found.WaitForExitAsync(Deadline));
            Assert.Equal(markdown.TrimEnd(), found.Output.Replace("\r", string.Empty, StringComparison.Ordinal).TrimEnd());
        }

        using (var missing = ExecutableProcess.Start("postmortem", "default/web-other", "--kubeconfig", kubeconfig, "--history-database", connectionString))
        {
            Assert.Equal(1, await missing.WaitForExitAsync(Deadline));
            Assert.Contains("looked in: ConfigMap default/web-other-postmortem; the history store's latest incident default/web-other", missing.Output, StringComparison.Ordinal);
        }
    }
}
