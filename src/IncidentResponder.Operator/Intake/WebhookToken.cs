using System.Security.Cryptography;
using System.Text;
using IncidentResponder.Runtime.Client;
using Microsoft.Extensions.Logging;
using k8s;
using k8s.Autorest;

namespace IncidentResponder.Operator.Intake;

/// <summary>The verdict on a request's credentials.</summary>
public enum TokenVerdict
{
    Accepted,

    /// <summary>Missing, malformed or wrong: 401.</summary>
    Rejected,

    /// <summary>The expected token cannot be read (Secret missing, API server down): 503, so Alertmanager retries.</summary>
    Unavailable,
}

public sealed record TokenCheck(TokenVerdict Verdict, string Reason);

/// <summary>
/// The webhook's bearer token, read with GET on the one Secret named by --webhook-token-secret. It is read again
/// periodically and, at a bounded rate, when a presented token does not match, so a rotated Secret takes effect in
/// seconds. Only a hash of the token is kept, and tokens are compared in constant time.
/// </summary>
public sealed class WebhookToken(IKubernetes client, AlertmanagerIntakeOptions options, TimeProvider time, ILogger logger)
{
    private readonly SemaphoreSlim _reading = new(1, 1);

    // One immutable snapshot, replaced whole: requests read it without a lock and never see half an update.
    private volatile State _state = new(null, DateTimeOffset.MinValue, "not read yet");

    /// <summary>True once the token has been read and the last read did not fail (the intake's health).</summary>
    public bool IsHealthy => _state is { Expected: not null, Problem.Length: 0 };

    /// <summary>Why the token cannot be used (empty when it can); never the token itself.</summary>
    public string Problem => _state.Problem;

    /// <param name="Expected">SHA-256 of the token; null when there is none to accept.</param>
    private sealed record State(byte[]? Expected, DateTimeOffset ReadAt, string Problem);

    public async Task<TokenCheck> CheckAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (Presented(authorization) is not { } presented)
        {
            return new TokenCheck(TokenVerdict.Rejected, "an Authorization header with a Bearer token is required");
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (time.GetUtcNow() - _state.ReadAt >= options.TokenRefreshInterval)
        {
            await ReadAsync(cancellationToken);
        }

        if (Matches(hash))
        {
            return new TokenCheck(TokenVerdict.Accepted, string.Empty);
        }

        // Perhaps the Secret was rotated a moment ago: look again, but not more often than the bound allows.
        if (time.GetUtcNow() - _state.ReadAt >= options.TokenRereadOnRejection)
        {
            await ReadAsync(cancellationToken);
            if (Matches(hash))
            {
                return new TokenCheck(TokenVerdict.Accepted, string.Empty);
            }
        }

        var state = _state;
        return state.Expected is null
            ? new TokenCheck(TokenVerdict.Unavailable, $"the webhook token cannot be read: {state.Problem}")
            : new TokenCheck(TokenVerdict.Rejected, "the bearer token is not valid");
    }

    private bool Matches(byte[] presentedHash) =>
        _state.Expected is { } expected && CryptographicOperations.FixedTimeEquals(expected, presentedHash);

    /// <summary>The token of "Bearer &lt;token&gt;"; the scheme is case-insensitive (RFC 9110), a blank token is none.</summary>
    private static string? Presented(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            // Another request may have read it while this one waited.
            var before = _state;
            if (time.GetUtcNow() - before.ReadAt < options.TokenRereadOnRejection && before.Expected is not null)
            {
                return;
            }

            var readAt = time.GetUtcNow();
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(options.TokenSecretName, options.TokenSecretNamespace, cancellationToken: cancellationToken);
            // A token file usually ends with a newline (kubectl create secret --from-file); an HTTP header cannot.
            var token = secret.Data?.TryGetValue(options.TokenSecretKey, out var bytes) == true ? Encoding.UTF8.GetString(bytes).Trim() : string.Empty;
            if (token.Length == 0)
            {
                Fail(readAt, $"Secret {options.TokenSecretNamespace}/{options.TokenSecretName} has no key {options.TokenSecretKey}, or it is empty");
                return;
            }

            _state = new State(SHA256.HashData(Encoding.UTF8.GetBytes(token)), readAt, string.Empty);
        }
        catch (HttpOperationException error) when (error.IsNotFound())
        {
            Fail(time.GetUtcNow(), $"Secret {options.TokenSecretNamespace}/{options.TokenSecretName} not found");
        }
        catch (Exception error) when (error is HttpOperationException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Keep the token read last: an API server outage must not lock Alertmanager out.
            _state = _state with { ReadAt = time.GetUtcNow(), Problem = error.Message };
            logger.LogWarning("Could not read the webhook token Secret {Namespace}/{Name}: {Error}", options.TokenSecretNamespace, options.TokenSecretName, error.Message);
        }
        finally
        {
            _reading.Release();
        }
    }

    private void Fail(DateTimeOffset readAt, string problem)
    {
        // The Secret says there is no token (deleted, emptied): no old token may be accepted any longer.
        _state = new State(null, readAt, problem);
        logger.LogWarning("Alertmanager webhook refuses every request: {Problem}", problem);
    }
}
