using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Controllers;

namespace IncidentResponder.Tests;

/// <summary>
/// The history store as a user meets it in production: a PostgreSQL that asks for a password. The operator, `history`
/// and `postmortem` take the credentials from the connection string or the usual PostgreSQL environment, and a wrong
/// password is one line that says so, never a stack trace or a crash loop.
/// </summary>
public sealed partial class HistoryCredentialsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_operator_migrates_and_records_into_a_password_protected_database_and_history_lists_the_incident()
    {
        await using var postgres = await StartPostgresAsync();
        var database = await postgres.CreateOwnedDatabaseAsync("operator");
        // Controllers and kubelet on, as `sim` runs them: the Deployment must roll out and then crash-loop.
        await using var cluster = await ClusterHarness.StartAsync(new SimulatorOptions().AddControllers());
        var kubeconfig = cluster.Kubeconfig;
        await KubectlOk(cluster, "apply", "-f", RepositoryRoot.Combine("config", "crd", "bases"));
        await KubectlOk(cluster, "apply", "-k", RepositoryRoot.Combine("config", "samples"));
        // The sample holds a signal for 20 s, as production should; the test only needs the incident to open.
        await KubectlOk(cluster, "patch", "remediationpolicy", "stabilize-all-deployments", "--type", "merge", "-p", """{"spec":{"detection":{"holdFor":"1s"}}}""");
        await KubectlOk(cluster, "create", "deployment", "web", "--image=nginx:1.25", "--replicas=2");
        await KubectlOk(cluster, "rollout", "status", "deployment/web", "--timeout=60s");

        using var operatorProcess = ExecutableProcess.Start("run", "--kubeconfig", kubeconfig, "--metrics-bind-address", "0",
            "--health-probe-bind-address", "127.0.0.1:0", "--history-database", database.ConnectionString);
        await operatorProcess.WaitForOutputAsync("Serving probes and metrics at", Deadline);
        await KubectlOk(cluster, "patch", "deployment", "web", "-p",
            """{"spec":{"template":{"metadata":{"annotations":{"sim.incidentresponder.dev/fault":"crashloop"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}}}""");

        await operatorProcess.WaitForOutputAsync("History schema is current; applied now: 0001", Deadline);
        var listed = await Eventually.ValueAsync(async () =>
        {
            using var history = ExecutableProcess.Start("history", "--history-database", database.ConnectionString, "--since", "1h");
            return await history.WaitForExitAsync(Deadline) == 0 && IncidentRow().Match(history.Output) is { Success: true } row ? row.Value : null;
        }, "`history` to list the incident the operator recorded", Deadline, TimeSpan.FromMilliseconds(250));

        Assert.Contains("web-crashloop-r2", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("authentication failed", operatorProcess.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("No password has been provided", operatorProcess.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_one_line_in_the_log_and_a_degraded_readiness_check_and_the_operator_keeps_running()
    {
        await using var postgres = await StartPostgresAsync();
        var database = await postgres.CreateOwnedDatabaseAsync("wrong");
        var wrong = database.ConnectionStringWithoutPassword + ";Password=not-the-password";
        await using var cluster = await ClusterHarness.StartAsync();
        var kubeconfig = cluster.Kubeconfig;
        await KubectlOk(cluster, "apply", "-f", RepositoryRoot.Combine("config", "crd", "bases"));
        // One Incident gives the history controller something to record, so it meets the password at once.
        await KubectlOk(cluster, "apply", "-f", RepositoryRoot.Combine("config", "samples", "incident_manual.yaml"));

        using var operatorProcess = ExecutableProcess.Start("run", "--kubeconfig", kubeconfig, "--metrics-bind-address", "0",
            "--health-probe-bind-address", "127.0.0.1:0", "--history-database", wrong);
        var probes = new Uri(ProbesLine().Match(await operatorProcess.WaitForOutputAsync("Serving probes and metrics at", Deadline)).Groups[1].Value);
        var expected = $"authentication failed for user \"{database.User}\"";
        await operatorProcess.WaitForOutputAsync(expected, Deadline);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var check = await Eventually.ValueAsync(async () =>
        {
            using var answer = await http.GetAsync(new Uri(probes, "readyz"), TestContext.Current.CancellationToken);
            var report = JsonNode.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
            // Degraded, not 503: without its history the operator still remediates.
            return answer.StatusCode == HttpStatusCode.OK && (string?)report["status"] == "degraded" ? report["checks"]!["history-store"] : null;
        }, "/readyz to report the history store degraded", Deadline, TimeSpan.FromMilliseconds(250));
        Assert.Equal("degraded", (string?)check["status"]);
        Assert.Contains(expected, (string?)check["message"], StringComparison.Ordinal);

        // Every failure is one log line (a warning with its reason), no stack trace; the process is still serving.
        var lines = operatorProcess.Output.Split('\n');
        Assert.Contains(lines, line => line.Contains(expected, StringComparison.Ordinal) && line.Contains("retrying in", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Npgsql.PostgresException", operatorProcess.Output, StringComparison.Ordinal);
        Assert.False(operatorProcess.HasExited);
    }

    [Fact]
    public async Task History_and_postmortem_say_a_wrong_password_in_the_same_one_line()
    {
        await using var postgres = await StartPostgresAsync();
        var database = await postgres.CreateOwnedDatabaseAsync("cliwrong");
        var wrong = database.ConnectionStringWithoutPassword + ";Password=not-the-password";
        var expected = $"authentication failed for user \"{database.User}\"";

        using var history = ExecutableProcess.Start("history", "--history-database", wrong);
        Assert.Equal(1, await history.WaitForExitAsync(Deadline));
        var line = Assert.Single(history.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cannot read the history store: " + expected, line, StringComparison.Ordinal);
        Assert.Contains("PGPASSWORD", line, StringComparison.Ordinal);

        await using var cluster = await ClusterHarness.StartAsync();
        using var postmortem = ExecutableProcess.Start("postmortem", "default/web-crashloop-r2", "--kubeconfig", cluster.Kubeconfig, "--history-database", wrong);
        Assert.Equal(1, await postmortem.WaitForExitAsync(Deadline));
        var postmortemLine = Assert.Single(postmortem.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, postmortemLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_takes_the_password_from_PGPASSWORD_or_a_PGPASSFILE_when_the_connection_string_has_none()
    {
        await using var postgres = await StartPostgresAsync();
        var database = await postgres.CreateOwnedDatabaseAsync("envpass");
        using (var migrate = ExecutableProcess.Start("history", "--history-database", database.ConnectionString))
        {
            // The schema does not exist yet: the password worked, the tables are missing.
            Assert.Equal(1, await migrate.WaitForExitAsync(Deadline));
            Assert.Contains("no incident tables yet", migrate.Output, StringComparison.Ordinal);
        }

        var passfile = Path.Combine(Directory.CreateTempSubdirectory("pgpass-").FullName, "pgpass");
        await File.WriteAllTextAsync(passfile, database.PasswordFileLine + "\n", TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        foreach (var environment in new Dictionary<string, string>[] { new() { ["PGPASSWORD"] = database.Password }, new() { ["PGPASSFILE"] = passfile } })
        {
            using var history = ExecutableProcess.Start(environment, "history", "--history-database", database.ConnectionStringWithoutPassword);
            Assert.Equal(1, await history.WaitForExitAsync(Deadline));
            Assert.Contains("no incident tables yet", history.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("authentication failed", history.Output, StringComparison.Ordinal);
        }

        // A password file with no line for this database: the server's demand for a password is named as such.
        var empty = passfile + ".empty";
        await File.WriteAllTextAsync(empty, string.Empty, TestContext.Current.CancellationToken);
        using var none = ExecutableProcess.Start(new Dictionary<string, string> { ["PGPASSFILE"] = empty },
            "history", "--history-database", database.ConnectionStringWithoutPassword);
        Assert.Equal(1, await none.WaitForExitAsync(Deadline));
        Assert.StartsWith($"cannot read the history store: authentication failed for user \"{database.User}\" (no password was provided)",
            Assert.Single(none.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

        // A password file that is not there is a mistake to name, not a stack trace.
        using var absent = ExecutableProcess.Start(new Dictionary<string, string> { ["PGPASSFILE"] = passfile + ".absent" },
            "history", "--history-database", database.ConnectionStringWithoutPassword);
        Assert.Equal(1, await absent.WaitForExitAsync(Deadline));
        var line = Assert.Single(absent.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"authentication failed for user \"{database.User}\" (the password file {passfile}.absent does not exist)", line, StringComparison.Ordinal);
        File.Delete(passfile);
        File.Delete(empty);
    }

    [Fact]
    public async Task A_malformed_connection_string_is_a_usage_error_naming_the_flag_and_never_echoing_the_password()
    {
        foreach (var command in new[] { "history", "run" })
        {
            using var process = ExecutableProcess.Start(command, "--history-database", "Host=db;Pasword=hunter2secret");
            Assert.Equal(2, await process.WaitForExitAsync(Deadline));
            var line = Assert.Single(process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("--history-database is not an Npgsql connection string", line, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2secret", line, StringComparison.Ordinal);
        }
    }

    private static async Task<PostgresServer> StartPostgresAsync()
    {
        if (PostgresServer.Unavailable() is { } reason)
        {
            Assert.Skip(reason);
        }

        return await PostgresServer.StartAsync();
    }

    private static async Task KubectlOk(ClusterHarness cluster, params string[] arguments) =>
        (await cluster.KubectlAsync(arguments)).ShouldSucceed();

    [GeneratedRegex(@"Serving probes and metrics at (http://\S+)")]
    private static partial Regex ProbesLine();

    [GeneratedRegex(@"default\s+web-crashloop-r2\s+web\s+CrashLoop\s+SEV-\d.*")]
    private static partial Regex IncidentRow();
}
