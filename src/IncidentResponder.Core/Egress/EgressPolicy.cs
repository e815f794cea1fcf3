using System.Net;

namespace IncidentResponder.Core.Egress;

/// <summary>
/// Where the operator's own HTTP requests (flag endpoints, notification receivers) may go. The URLs come from tenants'
/// Runbooks and policies while the operator holds cluster-wide rights, so the decision is made on the addresses a
/// name resolves to at connect time, never on the URL text (a name can resolve anywhere, and differently the second
/// time). Owned by the cluster admin through the operator's configuration, never by a tenant's object.
/// <list type="bullet">
/// <item>Internal addresses are refused unless an <see cref="Allow"/> CIDR covers them: loopback, link-local (the
/// cloud metadata endpoint 169.254.169.254 among them), unspecified, private ranges, and the cluster's service and pod
/// CIDRs.</item>
/// <item>Other addresses are allowed when <see cref="Allow"/> lists no host names; once it lists any, only those
/// hosts (exact, or "*.example.com" for subdomains) and the listed CIDRs are reachable.</item>
/// </list>
/// </summary>
public sealed record EgressPolicy
{
    /// <summary>kubeadm's default Service CIDR (--service-cidr); set the cluster's own when it differs.</summary>
    public const string DefaultServiceCidr = "10.96.0.0/12";

    /// <summary>The pod CIDR kubeadm clusters with flannel use by default (--pod-network-cidr); set the cluster's own when it differs.</summary>
    public const string DefaultPodCidr = "10.244.0.0/16";

    public static EgressPolicy Default { get; } = new();

    private static readonly AddressRange[] Internal =
    [
        AddressRange.Parse("127.0.0.0/8"), AddressRange.Parse("::1/128"),
        AddressRange.Parse("169.254.0.0/16"), AddressRange.Parse("fe80::/10"),
        AddressRange.Parse("0.0.0.0/8"), AddressRange.Parse("::/128"),
        AddressRange.Parse("10.0.0.0/8"), AddressRange.Parse("172.16.0.0/12"), AddressRange.Parse("192.168.0.0/16"),
        AddressRange.Parse("100.64.0.0/10"), AddressRange.Parse("fc00::/7"),
        AddressRange.Parse("224.0.0.0/4"), AddressRange.Parse("ff00::/8"),
    ];

    /// <summary>Host names and CIDRs the admin allows (the run command's repeatable --egress-allow).</summary>
    public IReadOnlyList<string> Allow { get; init; } = [];

    public string ServiceCidr { get; init; } = DefaultServiceCidr;

    public string PodCidr { get; init; } = DefaultPodCidr;

    /// <summary>The entries of <see cref="Allow"/> that are neither a host name nor a CIDR, to report at startup.</summary>
    public IReadOnlyList<string> Invalid() => [.. Allow.Where(a => AddressRange.TryParse(a) is null && !IsHostName(a))];

    /// <summary>Whether a connection to <paramref name="address"/>, which <paramref name="host"/> resolved to, is allowed.</summary>
    public bool Allows(string host, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(address);
        var ranges = Allow.Select(AddressRange.TryParse).OfType<AddressRange>().ToList();
        if (ranges.Any(r => r.Contains(address)))
        {
            return true;
        }

        if (Internal.Concat(ClusterRanges()).Any(r => r.Contains(address)))
        {
            return false;
        }

        var hosts = Allow.Where(IsHostName).ToList();
        return hosts.Count == 0 || hosts.Any(h => HostMatches(h, host));
    }

    /// <summary>Every address must pass: a name answering with one public and one internal address is refused.</summary>
    public bool AllowsAll(string host, IReadOnlyCollection<IPAddress> addresses) =>
        addresses.Count > 0 && addresses.All(a => Allows(host, a));

    private IEnumerable<AddressRange> ClusterRanges() =>
        new[] { ServiceCidr, PodCidr }.Select(AddressRange.TryParse).OfType<AddressRange>();

    private static bool IsHostName(string entry) =>
        AddressRange.TryParse(entry) is null && entry.Length > 0 && Uri.CheckHostName(entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry) == UriHostNameType.Dns;

    private static bool HostMatches(string entry, string host) =>
        entry.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(entry, host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
}
