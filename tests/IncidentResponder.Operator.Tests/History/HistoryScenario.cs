using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.History;
using IncidentResponder.Operator.History;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Runtime.Health;

namespace IncidentResponder.Operator.Tests.History;

/// <summary>
/// A scenario with a history store: the simulated cluster, a private PostgreSQL server, an operator recording into it,
/// and a second connection to the same database to check what reached it.
/// </summary>
internal sealed class HistoryScenario : IAsyncDisposable
{
    private HistoryScenario(OperatorCluster cluster, PostgresServer postgres, string connectionString)
    {
        Cluster = cluster;
        Postgres = postgres;
        ConnectionString = connectionString;
        // Unpooled: the test's reads must not reuse a connection the outage killed.
        Store = HistoryStore.Open(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
    }

    public OperatorCluster Cluster { get; }

    public PostgresServer Postgres { get; }

    public string ConnectionString { get; }

    /// <summary>The test's own reader of the database (not the operator's).</summary>
    public HistoryStore Store { get; }

    public RunningOperator? Operator { get; private set; }

    /// <summary>Starts PostgreSQL and the simulated cluster, or skips the test when this machine has no PostgreSQL.</summary>
    public static async Task<HistoryScenario> StartAsync()
    {
        if (PostgresServer.Unavailable() is { } reason)
        {
            Assert.Skip(reason);
        }

        var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("history");
        return new HistoryScenario(await OperatorCluster.StartAsync(), postgres, connectionString);
    }

    /// <summary>Options with the history store on, retrying within a second so an outage test catches up quickly.</summary>
    public OperatorOptions Options() => OperatorCluster.FastOptions().With(new HistoryFeature(ConnectionString)
    {
        Timings = new HistoryTimings
        {
            PollInterval = TimeSpan.FromMilliseconds(500),
            FirstRetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromSeconds(1),
        },
    });

    public RunningOperator StartOperator() => Operator = Cluster.StartOperator(Options());

    public async Task<Incident?> IncidentAsync(string name) => (await Cluster.IncidentsAsync()).FirstOrDefault(i => i.Metadata.Name == name);

    /// <summary>The history's record of this very incident (by uid), or null while it has none.</summary>
    public async Task<IncidentHistoryRecord?> RecordAsync(Incident incident)
    {
        try
        {
            return await Store.IncidentAsync(incident.Metadata.Uid, TestContext.Current.CancellationToken);
        }
        catch (Npgsql.PostgresException error) when (error.SqlState == "42P01")
        {
            return null; // the operator has not created the schema yet
        }
    }

    /// <summary>A metric of the operator's registry as Prometheus would scrape it (0 when absent).</summary>
    public async Task<double> MetricAsync(string series)
    {
        using var text = new MemoryStream();
        await Operator!.Instance.Metrics.Registry.CollectAndExportAsTextAsync(text, TestContext.Current.CancellationToken);
        var exposition = Encoding.UTF8.GetString(text.ToArray());
        var match = Regex.Match(exposition, "^" + Regex.Escape(series) + @" (\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    public IHealthCheck HistoryReadiness() =>
        Assert.Single(Operator!.Instance.Manager.ReadinessChecks(), c => c.Name == HistoryHealth.CheckName);

    /// <summary>
    /// Every action and timeline entry of <paramref name="final"/> is in the record, and no entry is in it twice. The
    /// record may hold more entries than the final status: the ones the status lost on the way (trimmed, or overwritten).
    /// </summary>
    public static void AssertHoldsEverything(Incident final, IncidentHistoryRecord record)
    {
        var status = final.Status!;
        foreach (var action in status.Actions ?? [])
        {
            var stored = Assert.Single(record.Actions, a => a.Step == action.Step && a.Attempt == (action.Attempt ?? 1));
            Assert.Equal(action.Phase.ToString(), stored.Phase);
            Assert.Equal(Micros(action.FinishedAt), stored.FinishedAt is { } f ? f.UtcDateTime : null);
        }

        Assert.Equal((status.Actions ?? []).Count, record.Actions.Count);
        var stored2 = record.Timeline.Select(e => ((DateTime?)e.Time.UtcDateTime, e.Type, e.Message)).ToList();
        foreach (var entry in (status.Timeline ?? []).Where(e => !BoundedTimeline.IsOmittedNote(e)))
        {
            Assert.Contains((Micros(entry.Time), entry.Type.ToString(), entry.Message), stored2);
        }

        Assert.Equal(stored2.Count, stored2.Distinct().Count());
    }

    // PostgreSQL keeps microseconds; the status may carry .NET's 100 ns ticks.
    private static DateTime? Micros(DateTime? time) =>
        time is { } t ? new DateTime(t.Ticks - (t.Ticks % 10), DateTimeKind.Utc) : null;

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Store.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
