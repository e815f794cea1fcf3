using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using IncidentResponder.Operator.Egress;

namespace IncidentResponder.Operator.Notifications;

/// <summary>
/// One delivery as Polly runs it: a timeout per attempt (inner) inside retries with exponential backoff (outer),
/// as the HTTP flag provider does. Retried: network errors, timeouts, 5xx and 429 (after the receiver's Retry-After
/// when it sends one, capped). Never retried: any other 4xx, the receiver refusing this very request.
/// Waits are real time (the wire's), whatever clock the controller runs on.
/// </summary>
public sealed class DeliveryPipeline(HttpClient http, NotificationOptions options)
{
    public async Task<DeliveryOutcome> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            using var response = await Pipeline().ExecuteAsync(async token =>
            {
                attempts++;
                using var message = request();
                return await http.SendAsync(message, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 300
                ? new DeliveryOutcome.Delivered(attempts, code)
                : new DeliveryOutcome.Failed(attempts, Reason(response.StatusCode), $"HTTP {code} after {attempts} attempt(s)");
        }
        catch (HttpRequestException error) when (EgressFailure.IsRefused(error))
        {
            return new DeliveryOutcome.Failed(attempts, "egress_refused", $"{EgressFailure.Refused} after {attempts} attempt(s)");
        }
        catch (HttpRequestException error)
        {
            // The error kind only: the exception's message may carry the URL, and a webhook URL is a credential.
            return new DeliveryOutcome.Failed(attempts, "network", $"network error ({error.HttpRequestError}) after {attempts} attempt(s)");
        }
        catch (TimeoutRejectedException)
        {
            return new DeliveryOutcome.Failed(attempts, "timeout", $"no answer within {options.AttemptTimeout.TotalSeconds:0.###}s after {attempts} attempt(s)");
        }
    }

    public static bool IsTransient(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests;

    private static string Reason(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests ? "rate_limited" : (int)status >= 500 ? "server_error" : "rejected";

    private ResiliencePipeline<HttpResponseMessage> Pipeline()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.FirstRetryDelay,
                UseJitter = false,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>(error => !EgressFailure.IsRefused(error))
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => IsTransient(response.StatusCode)),
                DelayGenerator = arguments => ValueTask.FromResult(RetryAfter(arguments.Outcome.Result)),
                // A response that will be retried is never read: release its connection before the next attempt.
                OnRetry = arguments =>
                {
                    arguments.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    /// <summary>The receiver's Retry-After (seconds or a date), capped; null lets the exponential backoff decide.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is not { } delay)
        {
            return null;
        }

        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > options.RetryAfterCap ? options.RetryAfterCap : delay;
    }
}
