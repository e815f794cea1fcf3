using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace IncidentResponder.Testing;

/// <summary>
/// A private PostgreSQL server for tests, configured as production configures one: <c>scram-sha-256</c> password
/// authentication for every connection (unless a test asks for <see cref="PostgresAuthentication.Trust"/> on purpose),
/// and each database owned by a login role of its own with its own password, not the superuser. initdb into a
/// temporary directory, listening on 127.0.0.1 only, a free port, its socket in that directory (nothing shared with a
/// system server), durability switched off for speed. PostgreSQL refuses to run as root, so as root every server
/// command runs as the <c>postgres</c> user that Debian's package creates (runuser). Stop and start it again at will
/// (an outage); disposing removes everything. Shared by every test project that needs a database.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string ServiceUser = "postgres";

    private readonly string _bin;
    private readonly string _root;
    private readonly bool _asServiceUser;

    private PostgresServer(string bin, string root, bool asServiceUser, int port, PostgresAuthentication authentication)
    {
        _bin = bin;
        _root = root;
        _asServiceUser = asServiceUser;
        Port = port;
        Authentication = authentication;
    }

    public int Port { get; private set; }

    public PostgresAuthentication Authentication { get; }

    /// <summary>The superuser's password (random per server); empty under trust.</summary>
    public string SuperuserPassword { get; private set; } = string.Empty;

    public bool Running { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>Why no server can be started here (no binaries, or root without a postgres user), or null.</summary>
    public static string? Unavailable()
    {
        if (FindBinaries() is null)
        {
            return "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found in $PG_BIN, /usr/lib/postgresql/*/bin or PATH: install the Debian package postgresql (tests/run.sh does)";
        }

        return IsRoot() && !UserExists(ServiceUser)
            ? "running as root and there is no 'postgres' user to run the server as (PostgreSQL refuses to run as root)"
            : null;
    }

    /// <summary>The directory with initdb, pg_ctl and postgres: $PG_BIN, the newest /usr/lib/postgresql/N/bin, or PATH.</summary>
    public static string? FindBinaries()
    {
        static bool Complete(string dir) => new[] { "initdb", "pg_ctl", "postgres" }.All(tool => File.Exists(Path.Combine(dir, tool)));

        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured)
        {
            return Complete(configured) ? configured : null; // asked for these binaries: no silent fallback to others
        }

        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var newest = Directory.GetDirectories(debian)
                .Select(dir => (Dir: Path.Combine(dir, "bin"), Version: int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(d => Complete(d.Dir))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Dir)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(Complete);
    }

    /// <summary>Creates a cluster in a new temporary directory and starts it; password authentication unless asked.</summary>
    public static async Task<PostgresServer> StartAsync(PostgresAuthentication authentication = PostgresAuthentication.ScramSha256)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(Unavailable());
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the test server is started the Unix way (runuser, Unix file modes)");
        }

        // As root the server runs as postgres, which must reach the directory: /tmp, not a TMPDIR under /root.
        var asServiceUser = IsRoot();
        var root = Path.Combine(asServiceUser && Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath(), "pg-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        // World-writable (chmod, which the umask does not narrow) so postgres can create its data, socket and log here.
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        var server = new PostgresServer(bin, root, asServiceUser, FreePort(), authentication);
        try
        {
            if (authentication == PostgresAuthentication.Trust)
            {
                await server.RunAsync("initdb", "-D", server.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
            }
            else
            {
                // initdb reads the superuser's password from a file; it is removed as soon as the cluster exists.
                server.SuperuserPassword = NewPassword();
                var passwordFile = Path.Combine(root, "superuser-password");
                await File.WriteAllTextAsync(passwordFile, server.SuperuserPassword + "\n");
                try
                {
                    await server.RunAsync("initdb", "-D", server.DataDirectory, "-U", "postgres", "-A", "scram-sha-256", "--pwfile", passwordFile,
                        "-E", "UTF8", "--locale=C", "--no-sync");
                }
                finally
                {
                    File.Delete(passwordFile);
                }
            }

            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An Npgsql connection string for the superuser (administration of the test server only).</summary>
    public string ConnectionString(string database = "postgres") => ConnectionString(database, "postgres", SuperuserPassword);

    /// <summary>An Npgsql connection string for <paramref name="user"/> on a database of this server.</summary>
    public string ConnectionString(string database, string user, string? password)
    {
        var settings = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = user,
            Database = database,
            // Fail fast while the server is stopped on purpose; an outage test must not wait out Npgsql's 15 s default.
            Timeout = 3,
            CommandTimeout = 15,
        };
        if (password is { Length: > 0 })
        {
            settings.Password = password;
        }

        return settings.ConnectionString;
    }

    /// <summary>Creates a fresh database owned by a login role of the same name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix) => (await CreateOwnedDatabaseAsync(prefix)).ConnectionString;

    /// <summary>
    /// Creates a fresh database owned by a new login role of the same name with a random password, as an application's
    /// database is set up in production, and returns its credentials.
    /// </summary>
    public async Task<PostgresDatabase> CreateOwnedDatabaseAsync(string prefix)
    {
        var name = (prefix + "_" + Guid.NewGuid().ToString("N")[..8]).ToLowerInvariant();
        var password = NewPassword();
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        foreach (var statement in new[] { $"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'", $"CREATE DATABASE \"{name}\" OWNER \"{name}\"" })
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }

        return new PostgresDatabase("127.0.0.1", Port, name, name, password, ConnectionString(name, name, password));
    }

    /// <summary>Stops the server the way an outage does: pg_ctl stop -m fast (clients disconnected, no waiting for them).</summary>
    public async Task StopAsync()
    {
        await RunAsync("pg_ctl", "stop", "-D", DataDirectory, "-m", "fast", "-w");
        Running = false;
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Starts the (stopped) server again on the same port, waiting until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        var options = string.Join(' ',
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
            "-c listen_addresses=127.0.0.1",
            $"-c unix_socket_directories={_root}",
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "-c max_connections=200 -c shared_buffers=16MB");
        await RunAsync("pg_ctl", "start", "-D", DataDirectory, "-w", "-t", "60", "-l", Path.Combine(_root, "server.log"), "-o", options);
        Running = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (Running)
        {
            try
            {
                await RunAsync("pg_ctl", "stop", "-D", DataDirectory, "-m", "immediate", "-w");
            }
            catch (InvalidOperationException)
            {
                // Already gone; the directory goes below either way.
            }
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temporary directory.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private async Task RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo
        {
            FileName = _asServiceUser ? "runuser" : Path.Combine(_bin, tool),
            WorkingDirectory = _root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (_asServiceUser)
        {
            foreach (var argument in new[] { "-u", ServiceUser, "--", Path.Combine(_bin, tool) })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_root, "server.log");
            var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : string.Empty;
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await Completed(stdout)}\n{await Completed(stderr)}\n{serverLog}");
        }
    }

    // The server started by pg_ctl writes to its own log file, but a tool's pipe could in principle outlive the tool.
    private static async Task<string> Completed(Task<string> read) =>
        await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(2))) == read ? await read : "(output still open)";

    // Letters and digits only: safe inside a SQL literal, a connection string and a password file line.
    private static string NewPassword() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot() => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private static bool UserExists(string user) =>
        File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(line => line.StartsWith(user + ":", StringComparison.Ordinal));
}

/// <summary>How the test server authenticates its clients.</summary>
public enum PostgresAuthentication
{
    /// <summary>Passwords, hashed with SCRAM-SHA-256: PostgreSQL's default and what production databases ask for.</summary>
    ScramSha256,

    /// <summary>No password asked; only for the test that shows such a server still works.</summary>
    Trust,
}

/// <summary>
/// A database of the test server and the credentials of the role that owns it; ConnectionString has them all, ready
/// for Npgsql.
/// </summary>
public sealed record PostgresDatabase(string Host, int Port, string Name, string User, string Password, string ConnectionString)
{
    /// <summary>The same connection without the password, for credentials given another way.</summary>
    public string ConnectionStringWithoutPassword => new NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }.ConnectionString;

    /// <summary>This database's line for a PostgreSQL password file (hostname:port:database:username:password).</summary>
    public string PasswordFileLine => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}:{Name}:{User}:{Password}";
}
