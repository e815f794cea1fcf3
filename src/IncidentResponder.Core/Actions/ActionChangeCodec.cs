using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Quantities;

namespace IncidentResponder.Core.Actions;

/// <summary>
/// Reads a change back from an action record's details: after a restart, a Pending intent is applied exactly as it
/// was decided, never re-planned from a cluster the change may already have reached (that would scale 4 → 6 → 9).
/// </summary>
public static class ActionChangeCodec
{
    /// <summary>Details key naming the kind of change.</summary>
    public const string ChangeKey = "change";

    internal static Dictionary<string, string> Details(string kind, params (string Key, string? Value)[] entries)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { [ChangeKey] = kind };
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                details[key] = value;
            }
        }

        return details;
    }

    /// <summary>The change recorded in <paramref name="details"/>, or null when they hold none (or a broken one).</summary>
    /// <param name="settings">The step's action, for provider settings that are not copied into the record.</param>
    public static ActionChange? Read(IReadOnlyDictionary<string, string>? details, RunbookAction? settings)
    {
        if (details is null || !details.TryGetValue(ChangeKey, out var kind))
        {
            return null;
        }

        try
        {
            return kind switch
            {
                nameof(ActionChange.ScaleDeployment) => new ActionChange.ScaleDeployment(
                    details["deployment"], Int(details, "fromReplicas"), Int(details, "toReplicas"), Int(details, "originalReplicas"), Bool(details, "scaleBack")),
                nameof(ActionChange.ScaleHpa) => new ActionChange.ScaleHpa(
                    details["hpa"], Int(details, "fromMinReplicas"), Int(details, "toMinReplicas"), Int(details, "fromMaxReplicas"), Int(details, "toMaxReplicas"),
                    Int(details, "originalMinReplicas"), Int(details, "originalMaxReplicas"), Bool(details, "scaleBack")),
                nameof(ActionChange.SetMemoryLimit) => new ActionChange.SetMemoryLimit(
                    details["deployment"], details["container"], Memory(details, "fromLimit")!.Value, Memory(details, "toLimit")!.Value,
                    Memory(details, "fromRequest"), Memory(details, "toRequest"), Memory(details, "originalLimit")!.Value, Memory(details, "cap")!.Value,
                    details.GetValueOrDefault("kind") ?? "Deployment", Bool(details, "revertOnResolve")),
                nameof(ActionChange.FlipFlag) when settings?.FeatureFlag is { } flag => new ActionChange.FlipFlag(
                    flag, details["flag"], Enum.Parse<FeatureFlagProviderType>(details["provider"]), details.GetValueOrDefault("fromValue"),
                    details["toValue"], details.GetValueOrDefault("revertTo"), Bool(details, "revertOnResolve")),
                nameof(ActionChange.RestartRollout) => new ActionChange.RestartRollout(details["deployment"], details["restartedAt"]),
                _ => null,
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or ArgumentException or InvalidOperationException)
        {
            return null; // a hand-edited record: the caller skips with a reason rather than guess
        }
    }

    private static int Int(IReadOnlyDictionary<string, string> details, string key) => int.Parse(details[key], CultureInfo.InvariantCulture);

    private static bool Bool(IReadOnlyDictionary<string, string> details, string key) => details.TryGetValue(key, out var text) && text == "true";

    private static MemoryQuantity? Memory(IReadOnlyDictionary<string, string> details, string key) =>
        details.TryGetValue(key, out var text) ? MemoryQuantity.Parse(text) : null;
}
