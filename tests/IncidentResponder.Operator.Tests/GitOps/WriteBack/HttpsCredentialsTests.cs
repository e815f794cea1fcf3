using System.Collections.Concurrent;
using System.Net;
using System.Text;
using IncidentResponder.Operator.GitOps.WriteBack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentResponder.Operator.Tests.GitOps.WriteBack;

/// <summary>
/// HTTPS credentials reach the server through git's askpass, not the URL or the arguments, and a server that refuses
/// them is reported as an authentication failure that does not repeat the token. The server is a loopback Kestrel
/// endpoint answering 401 to git's smart-HTTP discovery, as a git host does for a bad token.
/// </summary>
public sealed class HttpsCredentialsTests
{
    private const string Token = "s3cret-token-7f1c";

    [Fact]
    public async Task A_refused_token_fails_as_authentication_failed_after_git_sent_it_by_askpass()
    {
        if (GitRepositoryFixture.MissingGit() is { } reason)
        {
            Assert.Skip(reason);
        }

        var authorizations = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.Run(context =>
        {
            authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"git\"";
            return Task.CompletedTask;
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var credentials = GitCredentials.FromSecretData(new Dictionary<string, byte[]>
        {
            [GitCredentials.UsernameKey] = Encoding.UTF8.GetBytes("bot"),
            [GitCredentials.PasswordKey] = Encoding.UTF8.GetBytes(Token),
        });

        var result = await new GitWriteBack().WriteAsync(Manifests.Request($"{address}/shop/platform.git", credentials: credentials), TestContext.Current.CancellationToken);

        var failed = Assert.IsType<WriteBackResult.Failed>(result);
        Assert.Equal(WriteBackFailure.AuthenticationFailed, failed.Kind);
        Assert.DoesNotContain(Token, failed.Message, StringComparison.Ordinal);
        Assert.Contains("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("bot:" + Token)), authorizations);
    }

    [Fact]
    public void Credentials_read_flux_and_argo_cd_secret_keys_and_never_print_them()
    {
        var ssh = GitCredentials.FromSecretData(new Dictionary<string, byte[]>
        {
            ["sshPrivateKey"] = Encoding.UTF8.GetBytes("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n"),
            ["known_hosts"] = Encoding.UTF8.GetBytes("github.com ssh-ed25519 AAAA"),
        });
        var https = GitCredentials.FromSecretData(new Dictionary<string, byte[]> { ["username"] = "bot"u8.ToArray(), ["password"] = Encoding.UTF8.GetBytes(Token) });

        Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----", ssh.Identity, StringComparison.Ordinal);
        Assert.Equal("github.com ssh-ed25519 AAAA", ssh.KnownHosts);
        Assert.Equal(("bot", Token), (https.Username, https.Password));
        Assert.DoesNotContain("PRIVATE", ssh.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, https.ToString(), StringComparison.Ordinal);
    }
}
