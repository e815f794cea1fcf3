using System.Text;
using IncidentResponder.Operator.GitOps.WriteBack;

namespace IncidentResponder.Operator.Tests.GitOps.WriteBack;

/// <summary>Write-back over ssh:// to a real OpenSSH server, with the identity and known_hosts from a Secret's data.</summary>
public sealed class SshWriteBackTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Dictionary<string, byte[]> Secret(string identityKey, string identity, string knownHosts) => new()
    {
        [identityKey] = Encoding.UTF8.GetBytes(identity),
        [GitCredentials.KnownHostsKey] = Encoding.UTF8.GetBytes(knownHosts),
    };

    private static void SkipUnlessPossible()
    {
        if ((GitRepositoryFixture.MissingGit() ?? SshGitServer.Missing()) is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    [Fact]
    public async Task A_write_back_pushes_over_ssh_with_the_secrets_identity_and_known_hosts()
    {
        SkipUnlessPossible();
        await using var server = await SshGitServer.StartAsync();
        using var repository = await GitRepositoryFixture.CreateAsync(Manifests.Files);
        var credentials = GitCredentials.FromSecretData(Secret(GitCredentials.IdentityKey, server.ClientKey, server.KnownHosts));

        var result = await new GitWriteBack().WriteAsync(Manifests.Request(server.UrlFor(repository.BarePath), credentials: credentials), Token);

        var pushed = Assert.IsType<WriteBackResult.Pushed>(result);
        Assert.Equal(pushed.CommitSha, await repository.ReadAsync("rev-parse", "main"));
        Assert.Equal(["-          image: nginx:1.26", "+          image: nginx:1.25"], await repository.ChangedLinesAsync(pushed.CommitSha));
    }

    [Fact]
    public async Task Argo_cds_ssh_private_key_is_accepted_as_the_identity()
    {
        SkipUnlessPossible();
        await using var server = await SshGitServer.StartAsync();
        using var repository = await GitRepositoryFixture.CreateAsync(Manifests.Files);
        var credentials = GitCredentials.FromSecretData(Secret(GitCredentials.ArgoCdSshPrivateKey, server.ClientKey, server.KnownHosts));

        var result = await new GitWriteBack().WriteAsync(Manifests.Request(server.UrlFor(repository.BarePath), WriteBackMode.Branch, credentials: credentials), Token);

        Assert.Equal(((WriteBackResult.Pushed)result).CommitSha, await repository.ReadAsync("rev-parse", "incident-responder/web-crashloop"));
    }

    [Fact]
    public async Task A_key_the_server_does_not_know_fails_as_authentication_failed_without_the_key_in_the_message()
    {
        SkipUnlessPossible();
        await using var server = await SshGitServer.StartAsync();
        using var repository = await GitRepositoryFixture.CreateAsync(Manifests.Files);
        var stranger = await server.StrangerKeyAsync();
        var credentials = GitCredentials.FromSecretData(Secret(GitCredentials.IdentityKey, stranger, server.KnownHosts));

        var result = Assert.IsType<WriteBackResult.Failed>(await new GitWriteBack().WriteAsync(Manifests.Request(server.UrlFor(repository.BarePath), credentials: credentials), Token));

        Assert.Equal(WriteBackFailure.AuthenticationFailed, result.Kind);
        Assert.Contains("check the Secret's identity", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", result.Message, StringComparison.Ordinal);
        Assert.Equal(1, await repository.CommitCountAsync("main"));
    }

    [Fact]
    public async Task A_server_whose_host_key_is_not_in_known_hosts_is_refused()
    {
        SkipUnlessPossible();
        await using var server = await SshGitServer.StartAsync();
        using var repository = await GitRepositoryFixture.CreateAsync(Manifests.Files);
        var otherHost = server.KnownHosts.Split(' ')[0] + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n";
        var credentials = GitCredentials.FromSecretData(Secret(GitCredentials.IdentityKey, server.ClientKey, otherHost));

        var result = Assert.IsType<WriteBackResult.Failed>(await new GitWriteBack().WriteAsync(Manifests.Request(server.UrlFor(repository.BarePath), credentials: credentials), Token));

        Assert.Equal(WriteBackFailure.AuthenticationFailed, result.Kind);
        Assert.Contains("known_hosts", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_nothing_listens_on_fails_as_unreachable()
    {
        if ((GitRepositoryFixture.MissingGit() ?? (ProcessRunner.OnPath("ssh") ? null : "ssh is not on PATH; install Debian's openssh-client")) is { } reason)
        {
            Assert.Skip(reason);
        }

        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await new GitWriteBack().WriteAsync(Manifests.Request($"ssh://git@127.0.0.1:{port}/srv/git/platform.git"), Token);

        var failed = Assert.IsType<WriteBackResult.Failed>(result);
        Assert.Equal(WriteBackFailure.Unreachable, failed.Kind);
        Assert.Contains("network policy", failed.Message, StringComparison.Ordinal);
    }
}
