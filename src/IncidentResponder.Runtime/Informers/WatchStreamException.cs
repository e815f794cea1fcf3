using System.Net;
using k8s.Autorest;

namespace IncidentResponder.Runtime.Informers;

/// <summary>
/// Carries an error reported through a watch's onError out of the enumeration. Thrown from onError: KubernetesClient
/// calls onError inside a try/catch that passes the exception back to onError, so rethrowing the same instance is what
/// finally escapes the enumerator and ends the watch instead of letting it silently read on.
/// </summary>
public sealed class WatchStreamException : Exception
{
    public WatchStreamException()
    {
    }

    public WatchStreamException(string message)
        : base(message)
    {
    }

    public WatchStreamException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True for 410 Gone/Expired, whether sent as a watch ERROR event or as the HTTP status of the request.</summary>
    public static bool IsExpired(Exception error) => error switch
    {
        WatchStreamException { InnerException: { } inner } => IsExpired(inner),
        k8s.KubernetesException { Status.Code: 410 } => true,
        HttpOperationException { Response.StatusCode: HttpStatusCode.Gone } => true,
        _ => false,
    };

    /// <summary>
    /// True when the server ended a watch before sending a single line. KubernetesClient peeks the first line of a watch
    /// response, so an empty body surfaces as an HttpRequestException over EndOfStreamException instead of an empty
    /// stream; it is a normal close (e.g. timeoutSeconds with nothing to report), not a transport failure.
    /// </summary>
    public static bool IsEmptyClose(Exception error) =>
        error is HttpRequestException { InnerException: EndOfStreamException };

    /// <summary>The onError callback to hand to a watch.</summary>
    public static void Rethrow(Exception error) =>
        throw (error as WatchStreamException ?? new WatchStreamException("Watch reported an error: " + error.Message, error));
}
