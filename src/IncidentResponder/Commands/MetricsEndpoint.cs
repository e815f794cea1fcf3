using IncidentResponder.Runtime.Health;
using IncidentResponder.Runtime.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Commands;

/// <summary>Serves /metrics on its own address (--metrics-bind-address), apart from the probes, as controller-runtime does.</summary>
internal sealed class MetricsEndpoint(string url, RuntimeMetrics metrics, ILogger<MetricsEndpoint> logger) : IHostedService, IAsyncDisposable
{
    private HealthServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = await HealthServer.StartAsync(new HealthServerOptions { Url = url, MetricsPath = "/metrics" }, [], [], metrics, cancellationToken);
        logger.LogInformation("Serving metrics at {Address}metrics", _server.Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }
}
