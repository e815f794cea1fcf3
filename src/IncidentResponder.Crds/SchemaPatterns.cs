namespace IncidentResponder.Crds;

/// <summary>The regular expressions the generator emits for the schema markers that stand for a Kubernetes format.</summary>
public static class SchemaPatterns
{
    /// <summary>
    /// A non-negative Go duration ("30s", "1h30m", "1.5h", "500ms"). There is deliberately no sign: Go accepts "-5m",
    /// but a negative cooldown or window is always a mistake, so the API refuses it.
    /// </summary>
    public const string Duration = @"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$";

    /// <summary>A Kubernetes resource quantity ("512Mi", "1.5Gi", "100m", "1e3"), as apimachinery's resource.Quantity parses it.</summary>
    public const string Quantity =
        @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    /// <summary>An RFC 1123 DNS label: lower-case alphanumerics and '-', starting and ending alphanumeric.</summary>
    public const string DnsLabel = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    public const int DnsLabelMaxLength = 63;

    /// <summary>An RFC 1123 DNS subdomain: DNS labels joined by '.'.</summary>
    public const string DnsSubdomainName = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    public const int DnsSubdomainNameMaxLength = 253;
}
