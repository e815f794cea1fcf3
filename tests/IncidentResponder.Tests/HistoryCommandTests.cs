using System.Diagnostics;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.History;

namespace IncidentResponder.Tests;

/// <summary><c>incident-responder history</c> as a user runs it, against a real PostgreSQL holding known incidents.</summary>
public sealed class HistoryCommandTests
{
    [Fact]
    public async Task History_prints_mttd_and_mttr_per_namespace_and_severity_and_recent_incidents()
    {
        await using var postgres = await StartPostgresAsync();
        var connectionString = await postgres.CreateDatabaseAsync("cli");
        var yesterday = DateTime.UtcNow.AddDays(-1);
        await using (var store = HistoryStore.Open(connectionString))
        {
            await store.MigrateAsync(TestContext.Current.CancellationToken);
            // shop SEV-2: detect 10 / 20 / 60 s → avg 30s, p50 20s, p90 52s; restore 100 / 200 s → avg 2m30s, p90 3m10s.
            foreach (var (name, detect, restore) in new[] { ("a1", 10.0, 100.0), ("a2", 20.0, 200.0), ("a3", 60.0, (double?)null) })
            {
                var incident = SampleIncidents.Incident(name: name, ns: "shop", detectSeconds: detect, restoreSeconds: restore, detectedAt: yesterday.AddMinutes(-detect));
                await store.RecordAsync(new IncidentSnapshot(incident, DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
            }

            await store.RecordAsync(new IncidentSnapshot(SampleIncidents.Incident(name: "p1", ns: "pay", severity: Severity.Sev1, detectSeconds: 4, restoreSeconds: 30, detectedAt: yesterday),
                DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
        }

        using var process = ExecutableProcess.Start("history", "--history-database", connectionString, "--namespace", "shop", "--since", "7d");

        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var output = process.Output;
        Assert.Contains("namespace shop", output, StringComparison.Ordinal);
        Assert.Matches(@"NAMESPACE\s+SEVERITY\s+INCIDENTS\s+MTTD AVG\s+MTTD P50\s+MTTD P90\s+MTTR AVG\s+MTTR P50\s+MTTR P90\s+RESTORED", output);
        Assert.Matches(@"\nshop\s+SEV-2\s+3\s+30s\s+20s\s+52s\s+2m30s\s+2m30s\s+3m10s\s+2\r?\n", output);
        Assert.DoesNotContain("pay", output, StringComparison.Ordinal);
        Assert.Matches(@"Recent incidents\r?\nNAMESPACE\s+NAME\s+TARGET\s+SIGNAL\s+SEVERITY\s+PHASE\s+DETECTED\s+TTD\s+TTR\s+DELETED", output);
        // Newest first: a1 was detected 10 minutes before yesterday, a3 an hour before.
        Assert.Matches(@"shop\s+a1\s+web\s+CrashLoop\s+SEV-2\s+Resolved\s+\S+ \S+\s+10s\s+1m40s\s+no\r?\n(.*\r?\n)?.*a2.*\r?\n.*a3\s+web\s+CrashLoop\s+SEV-2\s+Resolved\s+\S+ \S+\s+1m0s\s+-\s+no", output);
    }

    [Fact]
    public async Task History_reads_the_connection_string_from_the_environment()
    {
        await using var postgres = await StartPostgresAsync();
        var connectionString = await postgres.CreateDatabaseAsync("env");
        await using (var store = HistoryStore.Open(connectionString))
        {
            await store.MigrateAsync(TestContext.Current.CancellationToken);
        }

        var (exitCode, output) = await RunWithEnvironmentAsync(connectionString, "history");

        Assert.Equal(0, exitCode);
        Assert.Contains("all namespaces", output, StringComparison.Ordinal);
        Assert.Contains("No incidents recorded in this range.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_without_a_database_or_with_a_bad_range_says_what_is_missing()
    {
        using var unconfigured = ExecutableProcess.Start("history");
        Assert.Equal(2, await unconfigured.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("--history-database", unconfigured.Output, StringComparison.Ordinal);
        Assert.Contains("INCIDENT_RESPONDER_HISTORY_DATABASE", unconfigured.Output, StringComparison.Ordinal);

        using var badRange = ExecutableProcess.Start("history", "--history-database", "Host=127.0.0.1", "--since", "soon");
        Assert.Equal(2, await badRange.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("--since", badRange.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_on_a_database_the_operator_never_used_explains_it()
    {
        await using var postgres = await StartPostgresAsync();
        var connectionString = await postgres.CreateDatabaseAsync("empty");

        using var process = ExecutableProcess.Start("history", "--history-database", connectionString);

        Assert.Equal(1, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("no incident tables yet", process.Output, StringComparison.Ordinal);
    }

    private static async Task<PostgresServer> StartPostgresAsync()
    {
        if (PostgresServer.Unavailable() is { } reason)
        {
            Assert.Skip(reason);
        }

        return await PostgresServer.StartAsync();
    }

    /// <summary>Runs the executable with the connection string in the environment only.</summary>
    private static async Task<(int ExitCode, string Output)> RunWithEnvironmentAsync(string connectionString, params string[] arguments)
    {
        var start = new ProcessStartInfo(ExecutableProcess.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["INCIDENT_RESPONDER_HISTORY_DATABASE"] = connectionString;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
    }
}
