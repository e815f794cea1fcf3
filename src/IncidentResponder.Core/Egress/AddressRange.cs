using System.Globalization;
using System.Net;

namespace IncidentResponder.Core.Egress;

/// <summary>A CIDR block (10.96.0.0/12, fe80::/10); a single address is a block of its full length.</summary>
public sealed record AddressRange(IPAddress Network, int PrefixLength)
{
    /// <summary>"10.0.0.0/8", "fe80::/10" or "127.0.0.1"; null when the text is neither.</summary>
    public static AddressRange? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return null;
        }

        address = Normalize(address);
        var bits = address.GetAddressBytes().Length * 8;
        if (slash < 0)
        {
            return new AddressRange(address, bits);
        }

        return int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) && prefix <= bits
            ? new AddressRange(address, prefix)
            : null;
    }

    public static AddressRange Parse(string text) => TryParse(text) ?? throw new FormatException($"'{text}' is not an IP address or CIDR");

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = Normalize(address);
        var a = address.GetAddressBytes();
        var n = Network.GetAddressBytes();
        if (a.Length != n.Length)
        {
            return false;
        }

        var whole = PrefixLength / 8;
        for (var i = 0; i < whole; i++)
        {
            if (a[i] != n[i])
            {
                return false;
            }
        }

        var rest = PrefixLength % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (a[whole] & mask) == (n[whole] & mask);
    }

    /// <summary>An IPv4 address written as IPv6 (::ffff:169.254.169.254) is the IPv4 address: checked as one.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    public override string ToString() => $"{Network}/{PrefixLength}";
}
