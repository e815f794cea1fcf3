using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentResponder.Operator.Tests.Notifications;

/// <summary>One request a receiver got.</summary>
public sealed record ReceivedRequest(string Method, string Path, string? ContentType, string Body, DateTimeOffset At)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}

/// <summary>How a receiver answers one request.</summary>
public sealed record Answer(int Status, string? RetryAfter = null, TimeSpan? Delay = null);

/// <summary>
/// A real HTTP receiver on loopback (Kestrel, 127.0.0.1, a free port) standing in for Slack, a webhook or
/// PagerDuty: it records every request and answers from a script (then with <see cref="Otherwise"/>), so retries,
/// refusals and Retry-After are real HTTP.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<Answer> _script = new();

    private Receiver(WebApplication app) => _app = app;

    /// <summary>The answer once the script is used up.</summary>
    public Answer Otherwise { get; set; } = new(StatusCodes.Status200OK);

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>The receiver's URL, e.g. http://127.0.0.1:41234/hooks/incident.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>Answers the next requests with these, in order.</summary>
    public void Script(params Answer[] answers)
    {
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }
    }

    public static async Task<Receiver> StartAsync(string path = "/hooks/incident")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        var receiver = new Receiver(builder.Build());
        receiver._app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            receiver._requests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path, context.Request.ContentType, body, DateTimeOffset.UtcNow));
            var answer = receiver._script.TryDequeue(out var scripted) ? scripted : receiver.Otherwise;
            if (answer.Delay is { } delay)
            {
                // The receiver hangs (a slow webhook); the client's per-attempt timeout must cut it short.
                await Task.Delay(delay, context.RequestAborted);
            }

            if (answer.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            context.Response.StatusCode = answer.Status;
        });
        await receiver._app.StartAsync(TestContext.Current.CancellationToken);
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = address.TrimEnd('/') + path;
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        catch (OperationCanceledException)
        {
            // A request still hanging in a Delay answer.
        }

        await _app.DisposeAsync();
    }
}
