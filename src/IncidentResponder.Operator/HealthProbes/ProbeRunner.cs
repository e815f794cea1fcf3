using IncidentResponder.Core.Probes;
using IncidentResponder.Operator.Egress;
using k8s;
using k8s.Autorest;

namespace IncidentResponder.Operator.HealthProbes;

/// <summary>
/// Performs a probe's GET and reports what it saw; the core judges it. A Service is reached through the API server's
/// service proxy (services/proxy get, the operator's own credentials); a URL only through the egress-checked client.
/// Every failure to answer (timeout, refused connection, egress refusal) is an answer without a status, never a throw.
/// </summary>
public sealed class ProbeRunner(IKubernetes client, HttpClient egress, TimeProvider time)
{
    public async Task<ProbeAnswer> RunAsync(string ns, ProbeSettings probe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(probe.Timeout);
        var started = time.GetTimestamp();
        try
        {
            var status = probe.Url is { } url
                ? await GetUrlAsync(url, timeout.Token)
                : await GetThroughProxyAsync(ns, probe, timeout.Token);
            return new ProbeAnswer(status, time.GetElapsedTime(started));
        }
        catch (HttpOperationException error)
        {
            // The proxy answers the backend's own non-2xx status (or 503 with no ready endpoint) as an error.
            return new ProbeAnswer((int)error.Response.StatusCode, time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeAnswer(null, time.GetElapsedTime(started), $"timed out after {Core.Time.GoDuration.Format(probe.Timeout)}");
        }
        catch (Exception error) when (error is HttpRequestException or EgressRefusedException or IOException)
        {
            // The kind of failure only: an address in a socket error would turn a tenant's URL into a network scanner.
            return new ProbeAnswer(null, time.GetElapsedTime(started), EgressFailure.Describe(error));
        }
    }

    private async Task<int> GetThroughProxyAsync(string ns, ProbeSettings probe, CancellationToken cancellationToken)
    {
        var service = probe.Port is { } port ? $"{probe.Service}:{port}" : probe.Service!;
        using var response = await client.CoreV1.ConnectGetNamespacedServiceProxyWithPathWithHttpMessagesAsync(
            service, ns, probe.Path, cancellationToken: cancellationToken);
        return (int)response.Response.StatusCode;
    }

    private async Task<int> GetUrlAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await egress.GetAsync(new Uri(url), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return (int)response.StatusCode;
    }
}
