using IncidentResponder.Runtime.Metrics;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Intake;

/// <summary>
/// Runs the Alertmanager endpoint for the life of the process (the <c>run</c> command's host). It serves on every
/// replica, leader or not: its writes are idempotent and conditional, so two replicas receiving the same group converge.
/// </summary>
public sealed class AlertmanagerIntakeService(
    IKubernetes client, AlertmanagerIntakeOptions options, IReadOnlyCollection<string> watchedNamespaces, RuntimeMetrics metrics, ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable
{
    private AlertmanagerEndpoint? _endpoint;

    public AlertmanagerEndpoint? Endpoint => _endpoint;

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _endpoint = await AlertmanagerEndpoint.StartAsync(client, options, watchedNamespaces, metrics, loggers, TimeProvider.System, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
            _endpoint = null;
        }
    }
}
