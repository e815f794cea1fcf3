using System.Net;
using System.Net.Sockets;

namespace IncidentResponder.Commands;

/// <summary>
/// Checks, before anything starts, that the ports the flags ask for can be listened on. A busy port found later, inside
/// a hosted service, surfaces as a host failure with pages of trace and no word about which flag to change.
/// </summary>
internal static class FreePort
{
    /// <summary>Throws a <see cref="UserError"/> naming <paramref name="flag"/> when its port is taken.</summary>
    public static void Require(string flag, string? url)
    {
        if (url is null || new Uri(url) is not { Port: > 0 } uri)
        {
            return; // disabled, or port 0: the system picks a free one
        }

        var host = uri.Host.Trim('[', ']');
        if (!IPAddress.TryParse(host, out var address))
        {
            if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                return; // a host name: the server resolves it and reports what it cannot bind
            }

            address = IPAddress.Loopback;
        }

        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // As Kestrel binds: a port with connections lingering in TIME_WAIT is free; only a listener makes it busy.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            socket.Bind(new IPEndPoint(address, uri.Port));
            socket.Listen();
        }
        catch (SocketException busy) when (busy.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new UserError($"{flag}: port {uri.Port} is already in use: pass {flag} with another port, or port 0 to pick a free one", busy);
        }
        catch (SocketException refused)
        {
            throw new UserError($"{flag}: cannot listen on {host}:{uri.Port} ({refused.Message}): pass {flag} with an address of this machine", refused);
        }
    }

    /// <summary>Throws a <see cref="UserError"/> when two flags ask for the same fixed port.</summary>
    public static void RequireDistinct(IEnumerable<(string Flag, string? Url)> addresses)
    {
        var clash = addresses
            .Where(a => a.Url is not null && new Uri(a.Url).Port > 0)
            .GroupBy(a => new Uri(a.Url!).Port)
            .FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new UserError($"{string.Join(" and ", clash.Select(a => a.Flag))} both ask for port {clash.Key}: give each its own port");
        }
    }
}
