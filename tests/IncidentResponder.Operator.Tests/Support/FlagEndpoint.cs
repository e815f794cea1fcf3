using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentResponder.Operator.Tests.Support;

/// <summary>One request the flag endpoint received, as the operator sent it.</summary>
public sealed record FlagRequest(string Method, string Path, string Body, string? Authorization);

/// <summary>
/// A real HTTP server on loopback (Kestrel, 127.0.0.1, a free port) standing in for the playbook's feature-flag
/// service: it records every request and answers with the status the test sets, so retries and refusals are real.
/// </summary>
public sealed class FlagEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<FlagRequest> requests = new();
    private readonly ConcurrentQueue<int?> script = new();

    private FlagEndpoint(WebApplication app) => this.app = app;

    /// <summary>The status every request is answered with (after the scripted answers are used up).</summary>
    public int Status { get; set; } = StatusCodes.Status200OK;

    /// <summary>Every request (after the scripted answers) hangs until the client gives up: a service that stopped answering.</summary>
    public bool Hang { get; set; }

    /// <summary>Answers for the next requests, in order; null hangs that request until the client gives up.</summary>
    public void AnswerNext(params int?[] statuses)
    {
        foreach (var status in statuses)
        {
            script.Enqueue(status);
        }
    }

    public IReadOnlyList<FlagRequest> Requests => [.. requests];

    /// <summary>The URL of the feature-flag path, e.g. http://127.0.0.1:41234/feature-flags.</summary>
    public string Url { get; private set; } = string.Empty;

    public static async Task<FlagEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        var endpoint = new FlagEndpoint(builder.Build());
        endpoint.app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            endpoint.requests.Enqueue(new FlagRequest(context.Request.Method, context.Request.Path, body,
                context.Request.Headers.Authorization.Count == 0 ? null : context.Request.Headers.Authorization.ToString()));
            int? answer = endpoint.script.TryDequeue(out var scripted) ? scripted : endpoint.Hang ? null : endpoint.Status;
            if (answer is null)
            {
                // Never answers: only the client's per-attempt timeout (which aborts the request) ends this.
                var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using (context.RequestAborted.Register(() => aborted.TrySetResult()))
                {
                    await aborted.Task;
                }

                return;
            }

            context.Response.StatusCode = answer.Value;
        });
        await endpoint.app.StartAsync(TestContext.Current.CancellationToken);
        var address = endpoint.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        endpoint.Url = address.TrimEnd('/') + "/feature-flags";
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
