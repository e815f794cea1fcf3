using IncidentResponder.Runtime.Health;
using k8s;

namespace IncidentResponder.Operator.Health;

/// <summary>
/// Can the operator reach the API server? Asks for /version (cheap, and readable by every authenticated client through
/// the default system:public-info-viewer role, so it needs no RBAC rule).
///
/// The probe must answer within the kubelet's timeout (1 s) while the API server may take longer on a busy cluster,
/// so the request runs in the background with its own, longer timeout and the check reports the latest answer: a new
/// request is made when that answer is older than <c>cacheFor</c> (so probes never add up to load on the API server),
/// and a request still unanswered after <c>requestTimeout</c> fails the check. Only the very first probe waits.
/// </summary>
public sealed class ApiServerCheck(IKubernetes client, TimeProvider time, TimeSpan? requestTimeout = null, TimeSpan? cacheFor = null) : IHealthCheck
{
    private readonly TimeSpan _requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5);
    private readonly TimeSpan _cacheFor = cacheFor ?? TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private Task? _request;
    private Answer? _latest;

    public string Name => "api-server";

    public bool IsCritical => true;

    public bool IsHealthy() => CheckAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult().IsHealthy;

    public async ValueTask<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        Task request;
        Answer? latest;
        lock (_lock)
        {
            if (_request is null || (_request.IsCompleted && (_latest is null || time.GetUtcNow() - _latest.At >= _cacheFor)))
            {
                _request = AskAsync(time.GetUtcNow());
            }

            request = _request;
            latest = _latest;
        }

        if (latest is null)
        {
            await request.WaitAsync(cancellationToken).ConfigureAwait(false);
            return _latest!.Result;
        }

        return latest.Result;
    }

    private async Task AskAsync(DateTimeOffset asked)
    {
        using var timeout = new CancellationTokenSource(_requestTimeout, time);
        HealthCheckResult result;
        try
        {
            var version = await client.Version.GetCodeAsync(timeout.Token).ConfigureAwait(false);
            result = HealthCheckResult.Healthy($"reachable, {version.GitVersion}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            result = HealthCheckResult.Unhealthy($"GET /version took longer than {_requestTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or k8s.Autorest.HttpOperationException or IOException or InvalidOperationException)
        {
            result = HealthCheckResult.Unhealthy($"GET /version failed: {ex.Message}");
        }

        lock (_lock)
        {
            // Stamped with when it was asked: the answer is as old as the question.
            _latest = new Answer(result, asked);
        }
    }

    private sealed record Answer(HealthCheckResult Result, DateTimeOffset At);
}
