using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;

namespace IncidentResponder.Core.GitOps;

/// <summary>
/// What a verified mitigation changed on the target, field by field, read from its action record: the rollback's
/// images (the revision diff that matters in git) and a memory raise's limit. Only what really differs is listed, so
/// the commit changes nothing else.
/// </summary>
public static class MitigationChanges
{
    /// <summary>Details key of a rollback: the images before it, "container=image, ...".</summary>
    public const string FromImagesKey = "fromImages";

    /// <summary>Details key of a rollback: the images it set, "container=image, ...".</summary>
    public const string ImagesKey = "images";

    /// <summary>The changes of the newest verified (Succeeded) mitigation of the incident, or none.</summary>
    public static IReadOnlyList<WriteBackChange> Verified(IncidentStatus status, string deployment)
    {
        ArgumentNullException.ThrowIfNull(status);
        var action = (status.Actions ?? []).LastOrDefault(a => a.Phase == ActionPhase.Succeeded && a.Type is ActionType.RolloutUndo or ActionType.RaiseMemoryLimit);
        if (action?.Details is not { } details)
        {
            return [];
        }

        if (action.Type == ActionType.RaiseMemoryLimit)
        {
            return ActionChangeCodec.Read(details, null) is ActionChange.SetMemoryLimit memory && memory.FromLimit != memory.ToLimit
                ? [new WriteBackChange("Deployment", deployment, memory.Container, WriteBackChange.MemoryLimit, memory.FromLimit.ToString(), memory.ToLimit.ToString())]
                : [];
        }

        var from = Images(details.GetValueOrDefault(FromImagesKey));
        var to = Images(details.GetValueOrDefault(ImagesKey));
        return [.. to.Where(kv => from.TryGetValue(kv.Key, out var before) && before != kv.Value)
            .Select(kv => new WriteBackChange("Deployment", deployment, kv.Key, WriteBackChange.Image, from[kv.Key], kv.Value))];
    }

    /// <summary>"container=image, ..." as a rollback records it.</summary>
    public static string FormatImages(IEnumerable<(string Container, string Image)> images) =>
        string.Join(", ", images.Select(i => $"{i.Container}={i.Image}"));

    private static Dictionary<string, string> Images(string? text)
    {
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (text ?? string.Empty).Split(", ", StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                images[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        return images;
    }
}
