using System.Text;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Notifications;

/// <summary>One notification target of a scenario policy: its name, type, and the Secret key it reads.</summary>
internal sealed record TargetManifest(string Name, string Type, string SecretName, string SecretKey, string? MinSeverity = null);

/// <summary>The scenario policy with notification targets, and the Secret holding their URLs and routing key.</summary>
internal static class NotificationManifests
{
    public const string SecretName = "notify";
    public const string RoutingKey = "R0UT1NGKEY0000000000000000000000";

    /// <summary>The scenario runbook and policy (<see cref="Manifests"/>) with <c>spec.notifications</c> added.</summary>
    public static string RunbookAndPolicy(IReadOnlyList<TargetManifest> targets, string? cadence = null, PolicySettings? policy = null)
    {
        var lines = targets.Select(t => $"      - {{name: {t.Name}, type: {t.Type}, secretRef: {{name: {t.SecretName}, key: {t.SecretKey}}}"
            + (t.MinSeverity is { } min ? $", minSeverity: {min}" : string.Empty) + "}");
        // The policy document ends inside its spec (at "paused:"), two spaces in: spec.notifications goes right after.
        var notifications = "\n  notifications:\n    targets:\n" + string.Join("\n", lines) + (cadence is null ? string.Empty : $"\n    cadence: {cadence}");
        return Manifests.Runbook(new RunbookSettings()) + "\n---\n" + Manifests.Policy(policy ?? new PolicySettings()) + notifications;
    }

    /// <summary>An Opaque Secret with these values (as base64 data: the simulated API server does not fold stringData in).</summary>
    public static string Secret(IReadOnlyDictionary<string, string> values, string name = SecretName) =>
        $"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: {name}
        type: Opaque
        data:
        {string.Join("\n", values.Select(v => $"  {v.Key}: {Convert.ToBase64String(Encoding.UTF8.GetBytes(v.Value))}"))}
        """;
}
