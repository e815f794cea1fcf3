using Polly.Timeout;

namespace IncidentResponder.Operator.Egress;

/// <summary>
/// What a tenant is told when a request to their endpoint failed: the kind of failure only. Socket errors name the
/// address and port tried ("Connection refused (10.0.0.5:6379)"), which turns a flag or webhook URL into a scanner
/// of the operator's network; the kind is enough to fix one's own endpoint.
/// </summary>
public static class EgressFailure
{
    public const string Refused = "egress refused by policy";
    public const string ConnectionFailed = "connection failed";
    public const string TimedOut = "timed out (attempt timeout reached)";

    public static bool IsRefused(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is EgressRefusedException)
            {
                return true;
            }
        }

        return false;
    }

    public static string Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return IsRefused(error) ? Refused
            : error is TimeoutRejectedException or TimeoutException or TaskCanceledException ? TimedOut
            : ConnectionFailed;
    }
}
