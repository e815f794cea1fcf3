using IncidentResponder.Core.Egress;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Time;
using IncidentResponder.Operator.Egress;
using IncidentResponder.Runtime.Client;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using k8s;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// A flag behind an HTTP endpoint, as a runbook's curl -X POST .../feature-flags: the configured method, URL and JSON
/// body (with {{flag}} and {{value}} filled in), the Authorization header from a Secret key, a timeout per attempt and
/// retries with exponential backoff for failures that may pass (network errors, timeouts, 5xx, 429). Any other 4xx is
/// the endpoint refusing the request: retrying would only repeat it. Verification is the endpoint's 2xx: such an
/// endpoint has no standard read. The client given must be an <see cref="EgressHttp"/> client: the URL is a tenant's.
/// </summary>
public sealed class HttpFlag(IKubernetes client, HttpClient http, TimeSpan firstRetryDelay)
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private const int DefaultRetries = 3;

    public async Task<ActionOutcome> ExecuteAsync(string ns, ActionChange.FlipFlag change, bool dryRun, CancellationToken cancellationToken)
    {
        if (change.Settings.Http is not { } endpoint)
        {
            return new ActionOutcome.Skipped($"skipped: flag {change.Flag} names the Http provider but no 'http' settings");
        }

        var details = change.ToDetails();
        var method = new HttpMethod(endpoint.Method ?? "POST");
        var body = Body(endpoint.Body, change.Flag, change.ToValue);
        if (dryRun)
        {
            // An HTTP endpoint has no server-side dry run: record the request that would be sent, send nothing.
            details["dryRunResult"] = $"would send {method} {endpoint.Url} with body {body}";
            return new ActionOutcome.DryRun($"dry run: would {change.Describe()} by {method} {endpoint.Url}", details);
        }

        string? authorization = null;
        if (endpoint.AuthSecretRef is { } secretRef)
        {
            var secret = await ApiReads.GetOrNullAsync(() => client.CoreV1.ReadNamespacedSecretAsync(secretRef.Name, ns, cancellationToken: cancellationToken));
            if (secret?.Data?.TryGetValue(secretRef.Key, out var bytes) != true)
            {
                return new ActionOutcome.Skipped($"skipped: Secret {secretRef.Name} key {secretRef.Key} holding the Authorization header for flag {change.Flag} does not exist");
            }

            if (SecretConsent.Refusal(ns, secretRef.Name, secret.Metadata?.Annotations?.AsReadOnly(), new Uri(endpoint.Url)) is { } refusal)
            {
                return new ActionOutcome.Skipped($"skipped: flag {change.Flag} not sent: {refusal}");
            }

            authorization = Encoding.UTF8.GetString(bytes!).Trim();
        }

        var attempts = 0;
        var pipeline = Pipeline(endpoint);
        HttpStatusCode? status = null;
        string? failure = null;
        try
        {
            using var response = await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                using var request = new HttpRequestMessage(method, endpoint.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                if (authorization is not null)
                {
                    // Sent verbatim ("Bearer ..."): the Secret holds the whole header value, whatever the scheme.
                    request.Headers.TryAddWithoutValidation("Authorization", authorization);
                }

                return await http.SendAsync(request, token);
            }, cancellationToken);
            status = response.StatusCode;
        }
        catch (Exception error) when (error is HttpRequestException or TimeoutRejectedException)
        {
            // The kind of failure only: the exception's text names the address tried, which a tenant must not learn.
            failure = EgressFailure.Describe(error);
        }

        if (failure is null)
        {
            // The URL is the tenant's own text, but after a failure it is left out as well: a refusal must not confirm
            // which literal address was probed.
            details["url"] = endpoint.Url;
        }

        details["method"] = method.Method;
        details["attempts"] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (status is { } code)
        {
            details["httpStatus"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return status is { } answered && (int)answered is >= 200 and < 300
            ? new ActionOutcome.Applied($"{change.Describe()}; {method} {endpoint.Url} answered {(int)answered}", details)
            : new ActionOutcome.Skipped(status is { } failed
                ? $"skipped: {method} {endpoint.Url} to set flag {change.Flag} failed after {attempts} attempt(s): HTTP {(int)failed}"
                : $"skipped: {method} to the endpoint of flag {change.Flag} failed after {attempts} attempt(s): {failure}");
    }

    /// <summary>The JSON body: the template with {{flag}} and {{value}} filled in JSON-escaped, else {"flag": value}.</summary>
    public static string Body(string? template, string flag, string value)
    {
        if (template is null)
        {
            // A runbook's -d '{"payment_service": false}': a value that is JSON (false, 3) goes as is, anything else as a string.
            return $"{{{JsonSerializer.Serialize(flag)}: {(IsJsonLiteral(value) ? value : JsonSerializer.Serialize(value))}}}";
        }

        return template.Replace("{{flag}}", Escape(flag), StringComparison.Ordinal).Replace("{{value}}", Escape(value), StringComparison.Ordinal);
    }

    private static string Escape(string text) => JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(text);

    private static bool IsJsonLiteral(string value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number or JsonValueKind.Null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Retries (outer) around a timeout per attempt (inner), so a hung endpoint costs one timeout, then a retry.</summary>
    private ResiliencePipeline<HttpResponseMessage> Pipeline(HttpFlagProvider endpoint)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        var retries = endpoint.Retries ?? DefaultRetries;
        if (retries > 0)
        {
            // Polly rejects a retry strategy of zero attempts; "retries: 0" means one attempt and no strategy at all.
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = firstRetryDelay,
                UseJitter = false,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>(error => !EgressFailure.IsRefused(error))
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests),
                // A response that will be retried is never read: release its connection before the next attempt.
                OnRetry = arguments =>
                {
                    arguments.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        return builder.AddTimeout(GoDuration.ParseOrDefault(endpoint.Timeout, DefaultTimeout)).Build();
    }
}
