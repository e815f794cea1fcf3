using System.Net;
using System.Net.Sockets;
using IncidentResponder.Core.Egress;

namespace IncidentResponder.Operator.Egress;

/// <summary>
/// HTTP clients for destinations named by tenants (flag endpoints, notification receivers), held to an
/// <see cref="EgressPolicy"/> where it cannot be talked around: the connect step resolves the name itself, checks
/// every address, and connects to the checked addresses, so a name that resolves to a public address for a check and
/// to 169.254.169.254 a moment later (DNS rebinding) gains nothing. No redirects (a 302 to an internal address would
/// skip the check's intent) and no proxy (the proxy, not the destination, would be checked).
/// </summary>
public static class EgressHttp
{
    /// <summary>A client for the process's life: no client timeout (callers time each attempt), connections recycled to follow DNS.</summary>
    public static HttpClient CreateClient(EgressPolicy policy) => new(CreateHandler(policy)) { Timeout = Timeout.InfiniteTimeSpan };

    public static SocketsHttpHandler CreateHandler(EgressPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context.DnsEndPoint, cancellationToken),
        };
    }

    private static async ValueTask<Stream> ConnectAsync(EgressPolicy policy, DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var host = endpoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (!policy.AllowsAll(host, addresses))
        {
            throw new EgressRefusedException();
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>The destination's addresses are not allowed by the egress policy; deliberately carries no address.</summary>
public sealed class EgressRefusedException : Exception
{
    public EgressRefusedException()
        : base(EgressFailure.Refused)
    {
    }

    public EgressRefusedException(string message)
        : base(message)
    {
    }

    public EgressRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
