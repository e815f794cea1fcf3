using System.Globalization;

namespace IncidentResponder.Commands;

/// <summary>
/// controller-runtime's bind address flags: ":9463" (every interface), "127.0.0.1:0" (port 0 picks a free port) or
/// "0" (serve nothing).
/// </summary>
internal static class BindAddress
{
    /// <summary>The Kestrel URL for <paramref name="flag"/>'s address, or null when the address is "0" (disabled).</summary>
    public static string? ToUrl(string flag, string address)
    {
        if (address == "0")
        {
            return null;
        }

        var colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new UserError($"{flag} '{address}' is not a bind address: use host:port, :port, or 0 to disable");
        }

        var host = address[..colon];
        return $"http://{(host.Length == 0 ? "0.0.0.0" : host)}:{port.ToString(CultureInfo.InvariantCulture)}";
    }
}
