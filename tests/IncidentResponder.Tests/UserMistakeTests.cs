using System.Net;
using System.Net.Sockets;

namespace IncidentResponder.Tests;

/// <summary>
/// A user's mistake on the command line is one line on stderr naming the flag or file and what to do, and exit code 2;
/// an unexpected fault is one line pointing at --verbose, and exit code 1. Never a stack trace by default.
/// </summary>
public sealed class UserMistakeTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("user-mistakes-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("run")]
    [InlineData("postmortem")]
    public async Task A_kubeconfig_that_does_not_exist_is_named_in_one_line(string command)
    {
        var missing = Path.Combine(_directory, "missing.kubeconfig");

        string[] noWait = command == "run" ? ["--kubeconfig-wait", "0"] : [];
        var stderr = await UsageErrorAsync(Arguments(command, ["--kubeconfig", missing, .. noWait]));

        Assert.Equal($"--kubeconfig {missing} does not exist: pass the path of a kubeconfig (kubectl's, or the one 'incident-responder sim --kubeconfig' writes)", stderr);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("postmortem")]
    public async Task A_malformed_kubeconfig_is_named_in_one_line_with_what_is_wrong_in_it(string command)
    {
        var malformed = Path.Combine(_directory, "malformed.kubeconfig");
        await File.WriteAllTextAsync(malformed, "clusters: [\n", TestContext.Current.CancellationToken);

        var stderr = await UsageErrorAsync(Arguments(command, ["--kubeconfig", malformed]));

        Assert.StartsWith($"--kubeconfig {malformed} is not a usable kubeconfig (", stderr, StringComparison.Ordinal);
        Assert.EndsWith("): fix it, or pass another with --kubeconfig", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_without_any_kubeconfig_outside_a_cluster_says_so_instead_of_talking_to_localhost()
    {
        // No flag, an empty KUBECONFIG (kubectl treats it as unset) and a home without ~/.kube/config.
        var environment = new Dictionary<string, string> { ["HOME"] = _directory, ["KUBECONFIG"] = string.Empty };

        var stderr = await UsageErrorAsync(["run", "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0"], environment);

        Assert.Equal("no cluster to talk to: pass --kubeconfig <path>, set KUBECONFIG, or create ~/.kube/config (this is not a pod in a cluster)", stderr);
    }

    [Theory]
    [InlineData("run", "--metrics-bind-address")]
    [InlineData("run", "--health-probe-bind-address")]
    [InlineData("run", "--webhook-bind-address")]
    [InlineData("sim", "--listen")]
    public async Task A_port_already_in_use_names_the_flag_to_change(string command, string flag)
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var busy = $"127.0.0.1:{port}";
        string[] arguments = command == "sim"
            ? ["sim", "--listen", busy, "--kubeconfig", Path.Combine(_directory, "sim.kubeconfig")]
            : ["run", "--metrics-bind-address", flag == "--metrics-bind-address" ? busy : "127.0.0.1:0",
                "--health-probe-bind-address", flag == "--health-probe-bind-address" ? busy : "127.0.0.1:0",
                .. flag == "--webhook-bind-address" ? new[] { "--webhook-bind-address", busy, "--webhook-token-secret", "default/token" } : []];

        var stderr = await UsageErrorAsync(arguments);

        Assert.Equal($"{flag}: port {port} is already in use: pass {flag} with another port, or port 0 to pick a free one", stderr);
    }

    [Fact]
    public async Task Two_flags_asking_for_the_same_port_are_refused_before_either_binds()
    {
        var stderr = await UsageErrorAsync(["run", "--metrics-bind-address", ":9999", "--health-probe-bind-address", "127.0.0.1:9999"]);

        Assert.Equal("--metrics-bind-address and --health-probe-bind-address both ask for port 9999: give each its own port", stderr);
    }

    [Fact]
    public async Task A_demo_speed_that_is_not_a_number_is_a_usage_error_not_a_crash()
    {
        var stderr = await UsageErrorAsync(["demo", "--speed", "abc"]);

        Assert.Equal("--speed must be a positive number, e.g. 10 (got 'abc'): see 'incident-responder demo --help'", stderr);
    }

    [Theory]
    [InlineData("incident-responder", "bogus")]
    [InlineData("incident-responder run", "run", "--bogus")]
    [InlineData("incident-responder version", "version", "extra")]
    public async Task An_unknown_command_or_flag_is_one_line_naming_it_and_where_to_look(string path, params string[] arguments)
    {
        var stderr = await UsageErrorAsync(arguments);

        Assert.Equal($"'{arguments[^1]}' is not a command or flag of '{path}': see '{path} --help'", stderr);
    }

    [Fact]
    public async Task The_bare_command_lists_every_command_and_the_verbose_flag_and_exits_0()
    {
        using var bare = ExecutableProcess.Start();

        Assert.Equal(0, await bare.WaitForExitAsync(Deadline));
        Assert.Equal(string.Empty, bare.Stderr);
        foreach (var command in new[] { "version", "crds", "sim", "demo", "run", "postmortem", "history", "--verbose" })
        {
            Assert.Contains(Lines(bare.Stdout), line => line.TrimStart().StartsWith(command + " ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("0", "--history-evidence-retention-days must be a whole number of days, at least 1: see 'incident-responder run --help'")]
    [InlineData("30", "--history-evidence-retention-days purges the history store: pass --history-database too, or drop --history-evidence-retention-days")]
    public async Task An_evidence_retention_that_cannot_apply_names_its_flag(string days, string expected)
    {
        var stderr = await UsageErrorAsync(["run", "--history-evidence-retention-days", days, "--kubeconfig", Path.Combine(_directory, "none")]);

        Assert.Equal(expected, stderr);
    }

    [Fact]
    public async Task A_bind_address_that_is_not_one_names_its_flag()
    {
        var stderr = await UsageErrorAsync(["run", "--metrics-bind-address", "metrics"]);

        Assert.Equal("--metrics-bind-address 'metrics' is not a bind address: use host:port, :port, or 0 to disable", stderr);
    }

    [Fact]
    public async Task An_unexpected_fault_is_one_line_pointing_at_verbose_which_prints_the_trace()
    {
        // A file where crds must create a directory: no command anticipates it, so it is a fault, not a usage error.
        var file = Path.Combine(_directory, "a-file");
        await File.WriteAllTextAsync(file, "not a directory", TestContext.Current.CancellationToken);

        using var quiet = ExecutableProcess.Start("crds", "--output-dir", file);
        Assert.Equal(1, await quiet.WaitForExitAsync(Deadline));
        var line = Assert.Single(Lines(quiet.Stderr));
        Assert.StartsWith("incident-responder: unexpected error: IOException: ", line, StringComparison.Ordinal);
        Assert.EndsWith(" (run again with --verbose for the stack trace)", line, StringComparison.Ordinal);

        using var verbose = ExecutableProcess.Start("crds", "--output-dir", file, "--verbose");
        Assert.Equal(1, await verbose.WaitForExitAsync(Deadline));
        Assert.StartsWith("incident-responder: unexpected error: System.IO.IOException: ", verbose.Stderr, StringComparison.Ordinal);
        Assert.Contains(Lines(verbose.Stderr), l => l.StartsWith("   at ", StringComparison.Ordinal));
    }

    /// <summary>Runs the executable, expects exit code 2, and returns its only line of stderr (nothing on stdout).</summary>
    private static async Task<string> UsageErrorAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = ExecutableProcess.Start(environment ?? new Dictionary<string, string>(), arguments);
        var exitCode = await process.WaitForExitAsync(Deadline);
        Assert.True(exitCode == 2, $"exit code {exitCode}, expected 2:\n{process.Output}");
        Assert.Equal(string.Empty, process.Stdout);
        return Assert.Single(Lines(process.Stderr));
    }

    /// <summary>postmortem with an incident to look for; run on free ports, so a busy default port on this machine cannot mask the mistake.</summary>
    private static string[] Arguments(string command, string[] flags) =>
        command == "postmortem"
            ? ["postmortem", "default/web-crashloop-r2", .. flags]
            : [command, "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0", .. flags];

    private static string[] Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];
}
