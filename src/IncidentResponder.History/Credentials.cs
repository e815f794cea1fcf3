using Npgsql;

namespace IncidentResponder.History;

/// <summary>
/// Turns PostgreSQL's refusal of the configured credentials into one line naming the user and where a password may
/// come from. Npgsql reads the password from the connection string, from its <c>Passfile</c>, from <c>PGPASSFILE</c>
/// or <c>~/.pgpass</c>, and from <c>PGPASSWORD</c>, in that order; the operator adds no source of its own.
/// </summary>
internal static class Credentials
{
    private const string WherePasswordsComeFrom =
        "check the password in the connection string (Password=...), its Passfile, $PGPASSFILE or ~/.pgpass, or $PGPASSWORD";

    /// <summary>
    /// The authentication failure <paramref name="error"/> (or an exception it wraps, as a failed migration does) stands
    /// for, or null when it is something else.
    /// </summary>
    public static HistoryAuthenticationException? Refused(Exception error, NpgsqlConnectionStringBuilder settings)
    {
        if (error is HistoryAuthenticationException)
        {
            return null; // already said
        }

        for (var cause = error; cause is not null; cause = cause.InnerException)
        {
            if (Detail(cause, settings) is { } detail)
            {
                var user = settings.Username is { Length: > 0 } named ? named
                    : Environment.GetEnvironmentVariable("PGUSER") is { Length: > 0 } fromEnvironment ? fromEnvironment
                    : Environment.UserName;
                return new HistoryAuthenticationException($"authentication failed for user \"{user}\" ({detail}): {WherePasswordsComeFrom}", error);
            }
        }

        return null;
    }

    private static string? Detail(Exception error, NpgsqlConnectionStringBuilder settings) => error switch
    {
        // 28P01 invalid_password, 28000 invalid_authorization_specification (no pg_hba entry, unknown role).
        PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } refused => refused.MessageText,
        // Npgsql's own words when the server asks for a password and none was found anywhere.
        NpgsqlException missing when missing.Message.Contains("No password has been provided", StringComparison.Ordinal) => "no password was provided",
        // A Passfile or PGPASSFILE that names no file: Npgsql lets the FileNotFoundException through.
        FileNotFoundException absent when IsPasswordFile(absent.FileName, settings) => $"the password file {absent.FileName} does not exist",
        _ => null,
    };

    private static bool IsPasswordFile(string? path, NpgsqlConnectionStringBuilder settings) =>
        path is { Length: > 0 }
        && (string.Equals(path, settings.Passfile, StringComparison.Ordinal)
            || string.Equals(path, Environment.GetEnvironmentVariable("PGPASSFILE"), StringComparison.Ordinal));
}
