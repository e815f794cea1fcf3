using IncidentResponder.History;
using IncidentResponder.Runtime.Health;

namespace IncidentResponder.Operator.History;

/// <summary>
/// The history store's readiness check, not critical: when PostgreSQL is unreachable the operator still remediates
/// (it only records later), so /readyz says "degraded", never 503. Unhealthy while the last write failed, or while a
/// quick ping fails (a database that went down with nothing to write yet shows up too).
/// </summary>
public sealed class HistoryHealth(HistoryStore store, HistoryBacklog backlog, TimeProvider time) : IHealthCheck
{
    public const string CheckName = "history-store";

    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private string? _lastError;
    private DateTimeOffset? _failingSince;

    public string Name => CheckName;

    public bool IsCritical => false;

    /// <summary>The outcome of the last write (no I/O).</summary>
    public bool IsHealthy()
    {
        lock (_lock)
        {
            return _lastError is null;
        }
    }

    public async ValueTask<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var pending = $"{backlog.PendingCount} pending, lag {backlog.Lag.TotalSeconds:0.#}s";
        lock (_lock)
        {
            if (_lastError is not null)
            {
                return HealthCheckResult.Unhealthy($"writes failing since {_failingSince:O}: {_lastError}; {pending}");
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PingTimeout);
        try
        {
            await store.PingAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy(pending);
        }
        catch (HistoryAuthenticationException refused)
        {
            return HealthCheckResult.Unhealthy($"{refused.Message}; {pending}");
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"unreachable: {error.Message}; {pending}");
        }
    }

    public void Succeeded()
    {
        lock (_lock)
        {
            _lastError = null;
            _failingSince = null;
        }
    }

    public void Failed(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_lock)
        {
            _lastError = error.Message;
            _failingSince ??= time.GetUtcNow();
        }
    }
}
