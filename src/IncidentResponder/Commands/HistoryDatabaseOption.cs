using System.CommandLine;
using Npgsql;

namespace IncidentResponder.Commands;

/// <summary>
/// <c>--history-database</c>: the Npgsql connection string of the history store, shared by <c>run</c>, <c>history</c>
/// and <c>postmortem</c>. Falls back to <c>INCIDENT_RESPONDER_HISTORY_DATABASE</c>, so the password can come from a
/// Secret through the environment instead of the command line.
/// </summary>
internal static class HistoryDatabaseOption
{
    public const string Name = "--history-database";
    public const string EnvironmentVariable = "INCIDENT_RESPONDER_HISTORY_DATABASE";

    /// <summary>Adds a new instance of the option to <paramref name="command"/> and returns it.</summary>
    public static Option<string?> AddTo(Command command, string purpose)
    {
        ArgumentNullException.ThrowIfNull(command);
        var option = Create(purpose);
        command.Options.Add(option);
        return option;
    }

    /// <summary>A new instance of the option for one command; read it with <see cref="Value"/>.</summary>
    public static Option<string?> Create(string purpose) => new(Name)
    {
        Description = $"Npgsql connection string of the PostgreSQL history store ({purpose}); default: ${EnvironmentVariable}.",
    };

    /// <summary>
    /// The option's value, else the environment variable's, else null. Not a DefaultValueFactory on purpose: --help
    /// prints defaults, and a connection string may hold a password. A string Npgsql cannot parse throws
    /// <see cref="UserError"/> with one line naming where it came from (never echoing it: it may hold a password).
    /// </summary>
    public static string? Value(ParseResult parse, Option<string?> option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var (value, source) = parse.GetValue(option) is { Length: > 0 } given ? (given, Name)
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? (configured, "$" + EnvironmentVariable)
            : (null, null);
        if (value is not null)
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(value);
            }
            catch (ArgumentException malformed)
            {
                throw new UserError(
                    $"{source} is not an Npgsql connection string ({malformed.Message}): write it as Host=...;Username=...;Database=... with Password=... or Passfile=..., or set PGPASSWORD / PGPASSFILE",
                    malformed);
            }
        }

        return value;
    }
}
