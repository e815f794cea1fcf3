using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentResponder.Operator.Tests.Support;

/// <summary>
/// A Prometheus that misbehaves, on loopback (Kestrel, a free port): every query is answered with the status and body
/// the test sets, or hangs until the client gives up. It records the queries it was asked.
/// </summary>
public sealed class FakePrometheus : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<string> queries = new();

    private FakePrometheus(WebApplication app, int status, string body, bool hang)
    {
        this.app = app;
        (Status, Body, Hang) = (status, body, hang);
    }

    public int Status { get; }

    public string Body { get; }

    public bool Hang { get; }

    public string Url { get; private set; } = string.Empty;

    public IReadOnlyList<string> Queries => [.. queries];

    public static async Task<FakePrometheus> StartAsync(int status, string body, bool hang = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        var fake = new FakePrometheus(builder.Build(), status, body, hang);
        fake.app.Run(async context =>
        {
            fake.queries.Enqueue(context.Request.Query["query"].ToString());
            if (fake.Hang)
            {
                // Only the operator's query timeout, which aborts the request, ends this.
                var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using (context.RequestAborted.Register(() => aborted.TrySetResult()))
                {
                    await aborted.Task;
                }

                return;
            }

            context.Response.StatusCode = fake.Status;
            await context.Response.WriteAsync(fake.Body, context.RequestAborted);
        });
        await fake.app.StartAsync(TestContext.Current.CancellationToken);
        fake.Url = fake.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
