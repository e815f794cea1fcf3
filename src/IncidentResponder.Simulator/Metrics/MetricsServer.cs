using IncidentResponder.Simulator.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Simulator.Metrics;

/// <summary>
/// The listener Prometheus scrapes: <c>GET /sim/metrics</c> renders every serving pod's request metrics from the
/// store and the simulator's clock at the moment of the scrape. Apart from the API server so a scrape config needs
/// no credentials, as a pod's metrics port needs none.
/// </summary>
public sealed class MetricsServer : IAsyncDisposable
{
    public const string Path = "/sim/metrics";

    private readonly WebApplication _app;

    private MetricsServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The metrics URL, e.g. <c>http://127.0.0.1:41235/sim/metrics</c>.</summary>
    public Uri Address { get; }

    public static async Task<MetricsServer> StartAsync(IClusterStore store, string listenAddress, SimulatedMetricsOptions settings, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Parse(listenAddress), settings.Port);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            if (context.Request.Path != Path || !HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = ExpositionWriter.ContentType;
            await context.Response.WriteAsync(ApplicationMetrics.Render(store, store.Time.GetUtcNow(), settings), context.RequestAborted).ConfigureAwait(false);
        });
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MetricsServer(app, new Uri(new Uri(address), Path));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
