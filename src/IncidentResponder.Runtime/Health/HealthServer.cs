using IncidentResponder.Runtime.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace IncidentResponder.Runtime.Health;

/// <summary>
/// A small Kestrel app serving /healthz (liveness: the process can answer, plus any liveness checks; plain text, as
/// kube-apiserver's), /readyz (readiness, as JSON: each check with its status, latency and message, and the verdict
/// healthy, degraded or unhealthy; 503 only when a critical check fails) and the metrics of the runtime's registry.
/// </summary>
public sealed class HealthServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HealthServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<HealthServer> StartAsync(
        HealthServerOptions options,
        IReadOnlyList<IHealthCheck> livenessChecks,
        IReadOnlyList<IHealthCheck> readinessChecks,
        RuntimeMetrics metrics,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Url);
        var app = builder.Build();
        app.MapGet("/healthz", () => Answer(livenessChecks));
        var evaluator = new HealthEvaluator(options.CheckTimeout, TimeProvider.System);
        app.MapGet("/readyz", async (HttpContext context) =>
        {
            var report = await evaluator.EvaluateAsync(readinessChecks, context.RequestAborted).ConfigureAwait(false);
            return Results.Text(report.ToJson().ToJsonString(), "application/json", statusCode: report.HttpStatusCode);
        });
        if (options.MetricsPath is { } path)
        {
            app.MapMetrics(path, metrics.Registry);
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new HealthServer(app, new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static IResult Answer(IReadOnlyList<IHealthCheck> checks)
    {
        var lines = checks.Select(check => (check.Name, Ok: Safe(check))).ToList();
        var body = string.Join('\n', lines.Select(l => $"[{(l.Ok ? "+" : "-")}]{l.Name} {(l.Ok ? "ok" : "failed")}"));
        var healthy = lines.TrueForAll(l => l.Ok);
        return Results.Text(body + (healthy ? "\nok\n" : "\nfailed\n"), "text/plain", statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static bool Safe(IHealthCheck check)
    {
        try
        {
            return check.IsHealthy();
        }
        catch (Exception)
        {
            // A check that cannot answer is a failing check, not a crashed endpoint.
            return false;
        }
    }
}
