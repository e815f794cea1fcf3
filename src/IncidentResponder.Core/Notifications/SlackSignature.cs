using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IncidentResponder.Core.Notifications;

/// <summary>Why a Slack request's signature was not accepted; <see cref="Valid"/> when it was.</summary>
public enum SlackSignatureVerdict
{
    Valid,

    /// <summary>No X-Slack-Signature or X-Slack-Request-Timestamp header, or one that is not in Slack's format.</summary>
    Malformed,

    /// <summary>The timestamp is more than five minutes from now, either way: an old request replayed, or a forged one.</summary>
    Stale,

    /// <summary>The signature is not the HMAC of this body with this secret.</summary>
    Mismatch,
}

/// <summary>
/// Slack's request signing, as its "Verifying requests from Slack" guide documents: the signature is
/// <c>v0=</c> and the hex HMAC-SHA256, keyed with the app's signing secret, of <c>v0:{timestamp}:{raw body}</c>; the
/// timestamp (X-Slack-Request-Timestamp, Unix seconds) must be within five minutes of now, so a captured request cannot
/// be sent again later. Pure: the caller passes the time.
/// </summary>
public static class SlackSignature
{
    public const string Version = "v0";

    /// <summary>How far the request's timestamp may be from now, as Slack's guide and SDKs use.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static SlackSignatureVerdict Verify(string secret, string? timestamp, ReadOnlySpan<byte> body, string? signature, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || signature is null || !signature.StartsWith(Version + "=", StringComparison.Ordinal))
        {
            return SlackSignatureVerdict.Malformed;
        }

        byte[] presented;
        try
        {
            presented = Convert.FromHexString(signature.AsSpan(Version.Length + 1));
        }
        catch (FormatException)
        {
            return SlackSignatureVerdict.Malformed;
        }

        if (presented.Length != HMACSHA256.HashSizeInBytes)
        {
            return SlackSignatureVerdict.Malformed;
        }

        // Far-off values would overflow DateTimeOffset; they are stale all the same.
        var nowSeconds = now.ToUnixTimeSeconds();
        if (seconds > nowSeconds + (long)Tolerance.TotalSeconds || seconds < nowSeconds - (long)Tolerance.TotalSeconds)
        {
            return SlackSignatureVerdict.Stale;
        }

        return CryptographicOperations.FixedTimeEquals(presented, Mac(secret, timestamp!, body))
            ? SlackSignatureVerdict.Valid
            : SlackSignatureVerdict.Mismatch;
    }

    /// <summary>The X-Slack-Signature header Slack sends with this body at this timestamp.</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(timestamp);
        return Version + "=" + Convert.ToHexStringLower(Mac(secret, timestamp, body));
    }

    private static byte[] Mac(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{Version}:{timestamp}:");
        var basestring = new byte[prefix.Length + body.Length];
        prefix.CopyTo(basestring, 0);
        body.CopyTo(basestring.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), basestring);
    }
}
