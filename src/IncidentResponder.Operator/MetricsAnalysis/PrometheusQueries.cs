using System.Net.Http.Headers;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Metrics;
using IncidentResponder.Core.Time;
using IncidentResponder.Operator.Egress;
using IncidentResponder.Operator.Notifications;

namespace IncidentResponder.Operator.MetricsAnalysis;

/// <summary>
/// Asks a policy's Prometheus one instant query (<c>GET /api/v1/query</c>) within the policy's timeout, with the
/// bearer token read from its Secret at query time (never kept, never written anywhere). Every failure becomes an
/// answer the core can judge: unreachable, too slow and garbage are Unavailable; a query Prometheus refuses is Rejected.
/// </summary>
public sealed class PrometheusQueries(HttpClient http, TargetSecret secrets)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public async Task<PrometheusAnswer> AskAsync(string ns, PrometheusProvider provider, string query, bool worstIsHighest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var timeout = GoDuration.ParseOrDefault(provider.Timeout, DefaultTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{provider.Url.TrimEnd('/')}/api/v1/query?query={Uri.EscapeDataString(query)}");
        if (provider.BearerTokenSecretRef is { } reference)
        {
            var (values, _, problem) = await secrets.ReadAsync(ns, reference, cancellationToken, request.RequestUri).ConfigureAwait(false);
            if (values is null)
            {
                return new PrometheusAnswer.Unavailable($"bearer token: {problem}");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", values[reference.Key]);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            return PrometheusAnswer.Parse((int)response.StatusCode, body, worstIsHighest);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PrometheusAnswer.Unavailable($"no answer within the timeout of {GoDuration.Format(timeout)}");
        }
        catch (HttpRequestException error)
        {
            // The kind of failure only: a socket error names addresses of the operator's network.
            return new PrometheusAnswer.Unavailable(EgressFailure.Describe(error));
        }
    }
}
