using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentResponder.Operator.Tests.GitOps.WriteBack;

/// <summary>One request the API endpoint received, as Octokit sent it.</summary>
public sealed record GitHubApiRequest(string Method, string Path, string Query, string Body, string? Authorization);

/// <summary>
/// A loopback Kestrel endpoint answering the two GitHub REST calls pull-request write-back makes (list open pulls,
/// create a pull) and recording each request: it checks our call, not GitHub. Answers in GitHub's documented shapes.
/// </summary>
public sealed class GitHubApiEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<GitHubApiRequest> requests = new();

    private GitHubApiEndpoint(WebApplication app) => this.app = app;

    public IReadOnlyList<GitHubApiRequest> Requests => [.. requests];

    /// <summary>The base URL, as a GitHub Enterprise Server address (Octokit adds /api/v3/).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>What the list call answers: an open pull request's URL, or none.</summary>
    public string? OpenPullRequestUrl { get; set; }

    public static async Task<GitHubApiEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var endpoint = new GitHubApiEndpoint(builder.Build());
        endpoint.app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            endpoint.requests.Enqueue(new GitHubApiRequest(context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? string.Empty, body,
                context.Request.Headers.Authorization.Count == 0 ? null : context.Request.Headers.Authorization.ToString()));
            context.Response.ContentType = "application/json";
            if (context.Request.Method == "GET")
            {
                await context.Response.WriteAsync(endpoint.OpenPullRequestUrl is { } open
                    ? $$"""[{"number": 7, "state": "open", "html_url": "{{open}}", "title": "existing"}]"""
                    : "[]", context.RequestAborted);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status201Created;
            await context.Response.WriteAsync("""{"number": 8, "state": "open", "html_url": "https://github.example.com/shop/platform/pull/8", "title": "created"}""", context.RequestAborted);
        });
        await endpoint.app.StartAsync();
        var address = endpoint.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
