using System.Globalization;
using System.Text.Json;

namespace IncidentResponder.Core.Alerts;

/// <summary>Why a notification was refused: the shell turns the kind into a status code.</summary>
public enum PayloadProblem
{
    /// <summary>Not a version 4 Alertmanager notification (400).</summary>
    Malformed,

    /// <summary>More alerts than the operator accepts in one notification (413).</summary>
    TooLarge,
}

/// <summary>The outcome of reading a notification: the validated group, or the one problem that refuses it.</summary>
public sealed record AlertGroupParse(AlertGroup? Group, PayloadProblem? Problem, string? Message)
{
    public static AlertGroupParse Ok(AlertGroup group) => new(group, null, null);

    public static AlertGroupParse Refused(PayloadProblem problem, string message) => new(null, problem, message);
}

/// <summary>
/// Reads an Alertmanager webhook notification (payload version 4, as documented for webhook_config) and validates
/// all of it before anything is done with it. Unknown fields are ignored (Grafana and newer Alertmanagers add some);
/// a missing or mistyped field the operator relies on refuses the whole notification with a message naming it.
/// </summary>
public static class AlertGroupParser
{
    /// <summary>The only payload version Alertmanager has sent since 0.6; another number means another format.</summary>
    public const string SupportedVersion = "4";

    /// <summary>
    /// A notification's own nesting is four levels (object, alerts, alert, labels); the margin is for fields other
    /// senders add. Deeper input is refused before it is built into objects.
    /// </summary>
    public const int MaxDepth = 16;

    /// <summary>
    /// More alerts than this in one group is not one incident a person can follow; Alertmanager's max_alerts on the
    /// webhook receiver caps what it sends.
    /// </summary>
    public const int MaxAlerts = 1000;

    /// <summary>Alertmanager's fingerprints are 16 hex digits; the margin is for other senders.</summary>
    public const int MaxFingerprintLength = 128;

    public static AlertGroupParse Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException error)
        {
            return Malformed($"the body is not valid JSON: {error.Message}");
        }

        using (document)
        {
            try
            {
                return AlertGroupParse.Ok(Read(document.RootElement));
            }
            catch (PayloadException refused)
            {
                return AlertGroupParse.Refused(refused.Problem, refused.Message);
            }
        }
    }

    private static AlertGroup Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Problem($"the payload must be a JSON object (an Alertmanager webhook notification), not {Describe(root.ValueKind)}");
        }

        var version = RequiredString(root, "version", "version");
        if (version != SupportedVersion)
        {
            throw Problem($"version is \"{Shorten(version)}\"; only Alertmanager webhook payload version \"{SupportedVersion}\" is accepted");
        }

        var groupKey = RequiredString(root, "groupKey", "groupKey");
        if (string.IsNullOrWhiteSpace(groupKey))
        {
            throw Problem("groupKey is empty; it identifies the alert group and is required");
        }

        var status = Status(RequiredString(root, "status", "status"), "status");
        if (!root.TryGetProperty("alerts", out var alerts) || alerts.ValueKind == JsonValueKind.Null)
        {
            throw Problem("alerts is missing; it must be an array of alerts");
        }

        if (alerts.ValueKind != JsonValueKind.Array)
        {
            throw Problem($"alerts must be an array, not {Describe(alerts.ValueKind)}");
        }

        var count = alerts.GetArrayLength();
        if (count > MaxAlerts)
        {
            throw new PayloadException(PayloadProblem.TooLarge,
                $"the notification has {count} alerts; at most {MaxAlerts} are accepted (set max_alerts in the webhook_config)");
        }

        var read = new List<Alert>(count);
        var byFingerprint = new Dictionary<string, (int Index, Alert Alert)>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in alerts.EnumerateArray())
        {
            var alert = ReadAlert(element, $"alerts[{index}]", status);
            if (byFingerprint.TryGetValue(alert.Fingerprint, out var first))
            {
                // Alertmanager never sends one alert twice in a notification. An exact repeat is harmless and dropped;
                // a repeat that contradicts the first (firing and resolved) cannot be applied without guessing.
                if (first.Alert.Status != alert.Status)
                {
                    throw Problem($"alerts[{index}] repeats fingerprint {alert.Fingerprint} of alerts[{first.Index}] with status " +
                        $"{Name(alert.Status)} instead of {Name(first.Alert.Status)}");
                }
            }
            else
            {
                byFingerprint[alert.Fingerprint] = (index, alert);
                read.Add(alert);
            }

            index++;
        }

        return new AlertGroup(
            groupKey,
            status,
            OptionalString(root, "receiver", "receiver") ?? string.Empty,
            StringMap(root, "groupLabels", "groupLabels", required: false),
            StringMap(root, "commonLabels", "commonLabels", required: false),
            StringMap(root, "commonAnnotations", "commonAnnotations", required: false),
            OptionalString(root, "externalURL", "externalURL"),
            TruncatedAlerts(root),
            read);
    }

    private static Alert ReadAlert(JsonElement element, string path, AlertStatus groupStatus)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Problem($"{path} must be an object, not {Describe(element.ValueKind)}");
        }

        // Alertmanager before 0.19 sent no per-alert status; the group's status then stands for each of its alerts.
        var status = OptionalString(element, "status", $"{path}.status") is { } text ? Status(text, $"{path}.status") : groupStatus;
        var labels = StringMap(element, "labels", $"{path}.labels", required: true);
        var annotations = StringMap(element, "annotations", $"{path}.annotations", required: false);
        var startsAt = RequiredTime(element, "startsAt", $"{path}.startsAt");
        var endsAt = OptionalTime(element, "endsAt", $"{path}.endsAt");
        var fingerprint = OptionalString(element, "fingerprint", $"{path}.fingerprint");
        if (fingerprint is not null && (fingerprint.Length == 0 || fingerprint.Length > MaxFingerprintLength || fingerprint.Any(char.IsControl)))
        {
            throw Problem($"{path}.fingerprint must be 1 to {MaxFingerprintLength} printable characters");
        }

        return new Alert(status, labels, annotations, startsAt, endsAt, OptionalString(element, "generatorURL", $"{path}.generatorURL"),
            fingerprint ?? AlertFingerprint.FromLabels(labels));
    }

    private static long TruncatedAlerts(JsonElement root)
    {
        if (!root.TryGetProperty("truncatedAlerts", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0
            ? count
            : throw Problem($"truncatedAlerts must be a non-negative integer, not {Describe(value)}");
    }

    private static AlertStatus Status(string text, string path) => text switch
    {
        "firing" => AlertStatus.Firing,
        "resolved" => AlertStatus.Resolved,
        _ => throw Problem($"{path} is \"{Shorten(text)}\"; it must be \"firing\" or \"resolved\""),
    };

    private static string RequiredString(JsonElement parent, string name, string path) =>
        OptionalString(parent, name, path) ?? throw Problem($"{path} is missing; it is required");

    private static string? OptionalString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Problem($"{path} must be a string, not {Describe(value)}");
    }

    private static Dictionary<string, string> StringMap(JsonElement parent, string name, string path, bool required)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw Problem($"{path} is missing; it must be an object of string values") : [];
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Problem($"{path} must be an object of string values, not {Describe(value)}");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Problem($"{path}.{Shorten(entry.Name)} must be a string, not {Describe(entry.Value)}");
            }

            // JSON allows a name twice; the last one wins, as in Go's decoder that Alertmanager's receivers use.
            map[entry.Name] = entry.Value.GetString()!;
        }

        return map;
    }

    private static DateTimeOffset RequiredTime(JsonElement parent, string name, string path) =>
        OptionalTime(parent, name, path) ?? throw Problem($"{path} is missing or the zero time; it must be an RFC 3339 time");

    /// <summary>An RFC 3339 time; Go's zero time (0001-01-01T00:00:00Z, "has not ended") reads as null.</summary>
    private static DateTimeOffset? OptionalTime(JsonElement parent, string name, string path)
    {
        var text = OptionalString(parent, name, path);
        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) || !text.Contains('T', StringComparison.Ordinal))
        {
            throw Problem($"{path} is \"{Shorten(text)}\"; it must be an RFC 3339 time such as 2024-05-01T12:00:00Z");
        }

        return time.UtcDateTime.Year <= 1 ? null : time;
    }

    private static string Name(AlertStatus status) => status == AlertStatus.Firing ? "firing" : "resolved";

    private static string Describe(JsonElement value) => value.ValueKind == JsonValueKind.String ? $"the string \"{Shorten(value.GetString()!)}\"" : Describe(value.ValueKind);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>Echoed values are cut short: a hostile payload must not fill the response or the log.</summary>
    private static string Shorten(string text) => text.Length <= 64 ? text : text[..61] + "...";

    private static AlertGroupParse Malformed(string message) => AlertGroupParse.Refused(PayloadProblem.Malformed, message);

    private static PayloadException Problem(string message) => new(PayloadProblem.Malformed, message);

    private sealed class PayloadException(PayloadProblem problem, string message) : Exception(message)
    {
        public PayloadProblem Problem { get; } = problem;
    }
}
