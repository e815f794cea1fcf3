using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IncidentResponder.Operator.Tests.GitOps.WriteBack;

/// <summary>
/// Debian's OpenSSH server, started by the test on a free loopback port with its own generated host key, a client
/// key pair it authorises and a temp sshd_config: git reaches the bare repositories through it over ssh://, exactly as
/// it reaches a git host. Runs as the current user (root here, which sshd needs to switch to the login user).
/// </summary>
public sealed class SshGitServer : IAsyncDisposable
{
    private const string Sshd = "/usr/sbin/sshd";
    private readonly Process process;

    private SshGitServer(Process process, string root, int port, string clientKey, string knownHosts)
    {
        this.process = process;
        Root = root;
        Port = port;
        ClientKey = clientKey;
        KnownHosts = knownHosts;
    }

    public string Root { get; }

    public int Port { get; }

    /// <summary>The authorised client's private key (what a Secret's <c>identity</c> holds).</summary>
    public string ClientKey { get; }

    /// <summary>The known_hosts line pinning this server's host key.</summary>
    public string KnownHosts { get; }

    /// <summary>Why the test cannot run here, or null.</summary>
    public static string? Missing()
    {
        if (!File.Exists(Sshd))
        {
            return $"{Sshd} is missing; install Debian's openssh-server (tests/run.sh does)";
        }

        if (!ProcessRunner.OnPath("ssh-keygen") || !ProcessRunner.OnPath("ssh"))
        {
            return "ssh and ssh-keygen are not on PATH; install Debian's openssh-client";
        }

        return Environment.UserName != "root" ? "sshd must run as root to log a user in; run the tests as root" : null;
    }

    /// <summary>An ssh:// URL for a repository path on this machine.</summary>
    public string UrlFor(string path) => $"ssh://{Environment.UserName}@127.0.0.1:{Port}{path}";

    /// <summary>A fresh key pair sshd does not know: for the wrong-key test.</summary>
    public async Task<string> StrangerKeyAsync() => await KeyPairAsync(Root, "stranger");

    public static async Task<SshGitServer> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("writeback-sshd-").FullName;
        var hostKey = Path.Combine(root, "host_ed25519");
        (await ProcessRunner.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey])).ShouldSucceed("ssh-keygen host");
        var clientKey = await KeyPairAsync(root, "client");
        await File.WriteAllTextAsync(Path.Combine(root, "authorized_keys"), await File.ReadAllTextAsync(Path.Combine(root, "client.pub")));
        // sshd checks its privilege separation folder exists even when it never uses it here.
        Directory.CreateDirectory("/run/sshd");

        var port = FreePort();
        var config = Path.Combine(root, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            Port {port}
            ListenAddress 127.0.0.1
            HostKey {hostKey}
            PidFile {Path.Combine(root, "sshd.pid")}
            AuthorizedKeysFile {Path.Combine(root, "authorized_keys")}
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            UsePAM no
            StrictModes no
            LogLevel VERBOSE
            """);
        var start = new ProcessStartInfo(Sshd) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-D", "-e", "-f", config })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var log = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        var knownHosts = $"[127.0.0.1]:{port} {(await File.ReadAllTextAsync(hostKey + ".pub")).Trim()}\n";
        var server = new SshGitServer(process, root, port, clientKey, knownHosts);
        await Eventually.TrueAsync(async () => process.HasExited || await BannerAsync(port), $"sshd answering on 127.0.0.1:{port}", TimeSpan.FromSeconds(20));
        if (process.HasExited)
        {
            lock (log)
            {
                Assert.Fail($"sshd exited {process.ExitCode}: {log}");
            }
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    private static async Task<string> KeyPairAsync(string root, string name)
    {
        var path = Path.Combine(root, name);
        (await ProcessRunner.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path])).ShouldSucceed("ssh-keygen " + name);
        return await File.ReadAllTextAsync(path);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Ready once the server sends its identification line.
    private static async Task<bool> BannerAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            var buffer = new byte[8];
            var read = await client.GetStream().ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("SSH-", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
