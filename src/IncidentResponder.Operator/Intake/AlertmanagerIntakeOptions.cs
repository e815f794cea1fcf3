namespace IncidentResponder.Operator.Intake;

/// <summary>Where the Alertmanager webhook is served and how callers prove who they are.</summary>
public sealed record AlertmanagerIntakeOptions
{
    /// <summary>The Kestrel URL, e.g. http://0.0.0.0:9443; port 0 picks a free port.</summary>
    public required string Url { get; init; }

    /// <summary>Namespace of the Secret holding the bearer token (the operator's own namespace).</summary>
    public required string TokenSecretNamespace { get; init; }

    /// <summary>Name of the Secret holding the bearer token.</summary>
    public required string TokenSecretName { get; init; }

    /// <summary>The Secret's key holding the token.</summary>
    public string TokenSecretKey { get; init; } = "token";

    /// <summary>
    /// Bodies above this are refused with 413. Alertmanager's notifications are a few KiB per alert; 1 MiB holds
    /// several hundred alerts with long annotations.
    /// </summary>
    public long MaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>The token is read again this often, so a rotated Secret takes effect without a restart.</summary>
    public TimeSpan TokenRefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A rejected token triggers an early re-read (the Secret may just have been rotated), at most this often, so a
    /// caller with a wrong token cannot turn every request into an API call.
    /// </summary>
    public TimeSpan TokenRereadOnRejection { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Reports the running endpoint's health; list it in OperatorOptions.ReadinessChecks.</summary>
    public AlertmanagerIntakeHealth Health { get; } = new();

    /// <summary>The path Alertmanager's webhook_config url points at.</summary>
    public const string Path = "/api/alertmanager";

    /// <summary>Parses "namespace/name", as given to --webhook-token-secret.</summary>
    public static (string Namespace, string Name) ParseSecretReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var parts = reference.Split('/');
        if (parts.Length != 2 || !Core.Alerts.AlertTargetMapper.IsNamespace(parts[0]) || !Core.Alerts.AlertTargetMapper.IsObjectName(parts[1]))
        {
            throw new FormatException($"'{reference}' is not a Secret reference: use <namespace>/<name>");
        }

        return (parts[0], parts[1]);
    }
}
