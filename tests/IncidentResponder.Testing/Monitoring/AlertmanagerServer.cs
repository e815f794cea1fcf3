using System.Globalization;
using System.Text;

namespace IncidentResponder.Testing;

/// <summary>
/// A real Alertmanager (Debian's <c>prometheus-alertmanager</c>, or <c>$ALERTMANAGER</c>) on a free loopback port,
/// clustering off, routing every alert at once (1 s group wait and interval) to one webhook receiver that sends a
/// bearer token, as the operator's intake expects (<c>http_config.authorization</c>).
/// </summary>
public sealed class AlertmanagerServer : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private AlertmanagerServer(ServerProcess process) => _process = process;

    public Uri BaseAddress => _process.BaseAddress;

    public string Output => _process.Output;

    /// <summary>Why no Alertmanager can be started here, or null.</summary>
    public static string? Unavailable() => Find() is null
        ? "alertmanager is not installed (Debian package prometheus-alertmanager, or $ALERTMANAGER): tests/run.sh installs it"
        : null;

    public static async Task<AlertmanagerServer> StartAsync(Uri webhookUrl, string bearerToken)
    {
        var executable = Find() ?? throw new InvalidOperationException(Unavailable());
        var port = ServerProcess.FreePort();
        var process = await ServerProcess.StartAsync(executable, port,
            directory => File.WriteAllText(Path.Combine(directory, "alertmanager.yml"), Config(webhookUrl, bearerToken)),
            directory =>
            [
                $"--config.file={Path.Combine(directory, "alertmanager.yml")}",
                $"--storage.path={Path.Combine(directory, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
                // An empty address turns gossip off; otherwise it binds 0.0.0.0:9094, shared by every test.
                "--cluster.listen-address=",
                "--log.level=warn",
            ]);
        return new AlertmanagerServer(process);
    }

    private static string? Find() => ProcessRunner.Find("prometheus-alertmanager", "ALERTMANAGER") ?? ProcessRunner.Find("alertmanager");

    private static string Config(Uri webhookUrl, string bearerToken) => new StringBuilder()
        .AppendLine("route:")
        .AppendLine("  receiver: incident-responder")
        .AppendLine("  group_by: ['alertname', 'namespace', 'deployment']")
        .AppendLine("  group_wait: 1s")
        .AppendLine("  group_interval: 1s")
        .AppendLine("  repeat_interval: 1h")
        .AppendLine("receivers:")
        .AppendLine("  - name: incident-responder")
        .AppendLine("    webhook_configs:")
        .AppendLine(CultureInfo.InvariantCulture, $"      - url: '{webhookUrl}'")
        .AppendLine("        send_resolved: true")
        .AppendLine("        http_config:")
        .AppendLine("          authorization:")
        .AppendLine("            type: Bearer")
        .AppendLine(CultureInfo.InvariantCulture, $"            credentials: '{bearerToken}'")
        .ToString();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
