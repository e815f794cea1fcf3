using System.Globalization;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>Plausible application log lines for each point of a container's life, so <c>kubectl logs</c> tells the story.</summary>
public static class ContainerLogLines
{
    public static IEnumerable<string> Startup(string container, string image, DateTimeOffset at)
    {
        var version = image.Contains(':', StringComparison.Ordinal) ? image[(image.LastIndexOf(':') + 1)..] : "latest";
        yield return Line(at, "INFO", $"starting {container} version={version}");
        yield return Line(at, "INFO", "loaded configuration from /etc/app/config.yaml");
        yield return Line(at, "INFO", "listening on 0.0.0.0:8080");
    }

    /// <summary>Well-known example credentials an application carelessly logs with its connection error, as real ones do.</summary>
    public const string LeakedDatabasePassword = "0rd3rs-s3cret";

    public static IEnumerable<string> Crash(DateTimeOffset at)
    {
        // Many applications print their DSN, password included, when the connection fails: whatever reads these logs
        // (the operator's evidence) must be seen to mask it.
        yield return Line(at, "ERROR", $"failed to connect to database postgres://orders:{LeakedDatabasePassword}@postgres:5432/orders: dial tcp 10.96.0.20:5432: connect: connection refused");
        yield return Line(at, "FATAL", "cannot continue without a database connection, exiting with status 1");
    }

    /// <summary>An OOM kill gives the process no chance to log its death: the last lines show memory growing.</summary>
    public static IEnumerable<string> BeforeOom(DateTimeOffset at, long limitBytes)
    {
        var limit = limitBytes > 0 ? $"{limitBytes / (1024 * 1024)}Mi" : "node memory";
        yield return Line(at, "WARN", $"heap usage at 91% of {limit}, cache entries=1843291");
        yield return Line(at, "WARN", $"heap usage at 99% of {limit}, gc pause 1.8s");
    }

    public static string Completed(DateTimeOffset at) => Line(at, "INFO", "work done, exiting with status 0");

    public static string Unready(DateTimeOffset at) =>
        Line(at, "WARN", "readiness check failing: dependency \"upstream-api\" unavailable (503)");

    private static string Line(DateTimeOffset at, string level, string message) =>
        $"{at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} {level} {message}";
}
