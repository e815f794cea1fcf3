using System.CommandLine;
using System.Globalization;
using IncidentResponder.Core.Time;
using IncidentResponder.History;
using Npgsql;

namespace IncidentResponder.Commands;

/// <summary>
/// <c>incident-responder history [--namespace ns] [--since 30d]</c>: MTTD / MTTR per namespace and severity, and the
/// most recent incidents, from the PostgreSQL history store. Reads only (exit 1 when the store cannot be read, 2 on
/// a bad option).
/// </summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var database = HistoryDatabaseOption.Create("required");
        var ns = new Option<string?>("--namespace", "-n") { Description = "Only this namespace; default: all." };
        var since = new Option<string>("--since") { Description = "How far back: days (30d) or a Go duration (12h, 90m).", DefaultValueFactory = _ => "30d" };
        var limit = new Option<int>("--limit") { Description = "How many recent incidents to list.", DefaultValueFactory = _ => 20 };
        var command = new Command("history", "Show MTTD / MTTR per namespace and severity, and recent incidents, from the history store.")
        {
            database, ns, since, limit,
        };
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var connectionString = HistoryDatabaseOption.Value(parse, database)
                ?? throw new UserError($"the history store is not configured: pass {HistoryDatabaseOption.Name} or set {HistoryDatabaseOption.EnvironmentVariable}");
            if (!TryParseSince(parse.GetValue(since), out var back) || parse.GetValue(limit) < 1)
            {
                throw new UserError("--since must be like 30d, 12h or 90m, and --limit at least 1");
            }

            var until = DateTimeOffset.UtcNow;
            var from = until - back;
            var only = parse.GetValue(ns);
            try
            {
                await using var store = HistoryStore.Open(connectionString);
                var times = await store.ResponseTimesAsync(only, from, until, ct);
                var recent = await store.RecentIncidentsAsync(only, from, parse.GetValue(limit), ct);
                await parse.InvocationConfiguration.Output.WriteAsync(HistoryReport.Render(times, recent, only, from, until));
                return 0;
            }
            catch (PostgresException missing) when (missing.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                await error.WriteLineAsync("the history database has no incident tables yet: the operator creates them when it first runs with --history-database");
                return 1;
            }
            catch (Exception failure) when (failure is NpgsqlException or HistoryStoreException or ArgumentException or TimeoutException)
            {
                await error.WriteLineAsync($"cannot read the history store: {failure.Message}");
                return 1;
            }
        });
        return command;
    }

    private static bool TryParseSince(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text is { Length: > 1 } && text[^1] == 'd'
            && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            value = TimeSpan.FromDays(days);
            return days > 0;
        }

        return GoDuration.TryParse(text, out value) && value > TimeSpan.Zero;
    }
}
