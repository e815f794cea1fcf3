using System.Text.Json.Nodes;

namespace IncidentResponder.Core.GitOps;

/// <summary>
/// How to stop exactly one GitOps owner from undoing a live mitigation, and how to give back exactly what was taken:
/// two JSON merge patches decided together from the owner as it is now, so the resume is recorded with the intent and
/// a restarted operator restores the same thing. <see cref="PausePatch"/> is null when no pause is needed or possible
/// (<see cref="Summary"/> says why).
/// </summary>
/// <param name="PausePatch">The merge patch that pauses the owner and marks it with the incident; null: leave it.</param>
/// <param name="ResumePatch">The merge patch that restores what the pause changed and removes the mark.</param>
/// <param name="Warnings">Managers above the owner that will undo the pause, for the timeline.</param>
public sealed record OwnerPause(string? PausePatch, string? ResumePatch, string Summary, IReadOnlyList<string> Warnings)
{
    /// <summary>On a paused owner: which incident paused it (namespace/name).</summary>
    public const string PausedByAnnotation = "incidentresponder.dev/paused-by";

    /// <summary>The <see cref="PausedByAnnotation"/> value that names an incident: <c>namespace/name</c>.</summary>
    public static string PausedByValue(string incidentNamespace, string incidentName) => $"{incidentNamespace}/{incidentName}";

    /// <summary>On an Application paused by removing <c>automated</c>: the removed value, as JSON, to restore it exactly.</summary>
    public const string RemovedAutomatedAnnotation = "incidentresponder.dev/removed-automated";

    /// <summary>
    /// The pause for <paramref name="owner"/> as it is now (<paramref name="ownerObject"/>, the whole object as JSON).
    /// <paramref name="argoCdHasEnabledField"/>: whether the served Application CRD knows
    /// <c>spec.syncPolicy.automated.enabled</c> (Argo CD 3.1 and later); older ones are paused by removing
    /// <c>automated</c> and keeping it in an annotation.
    /// </summary>
    public static OwnerPause For(GitOpsOwner owner, JsonObject ownerObject, string incident, bool argoCdHasEnabledField)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(ownerObject);
        var warnings = ManagedBy(owner, ownerObject);
        var pausedBy = Annotation(ownerObject, PausedByAnnotation);
        if (pausedBy is not null && pausedBy != incident)
        {
            return new OwnerPause(null, null, $"{owner} is already paused by incident {pausedBy}; it resumes it", warnings);
        }

        return owner.Kind switch
        {
            GitOpsOwner.Application => Application(owner, ownerObject, incident, argoCdHasEnabledField, warnings),
            GitOpsOwner.HelmRelease when !DriftCorrected(ownerObject) => new OwnerPause(null, null,
                $"{owner} needs no pause: its drift detection is off, so helm-controller does not undo a live change before the next upgrade", warnings),
            _ => Suspend(owner, ownerObject, incident, warnings),
        };
    }

    private static OwnerPause Application(GitOpsOwner owner, JsonObject app, string incident, bool hasEnabledField, IReadOnlyList<string> warnings)
    {
        if (app["spec"]?["syncPolicy"]?["automated"] is not JsonObject automated)
        {
            return new OwnerPause(null, null, $"{owner} has no automated sync: Argo CD will not undo the change", warnings);
        }

        if (automated["enabled"] is JsonValue enabled && enabled.TryGetValue<bool>(out var on) && !on)
        {
            return new OwnerPause(null, null, $"{owner} has automated sync turned off already: Argo CD will not undo the change", warnings);
        }

        if (hasEnabledField)
        {
            // enabled:false keeps prune and selfHeal as they are; resume gives enabled back as it was (absent or true).
            var restore = automated.ContainsKey("enabled") ? automated["enabled"]!.DeepClone() : null;
            return new OwnerPause(
                Patch(incident, new JsonObject { ["syncPolicy"] = new JsonObject { ["automated"] = new JsonObject { ["enabled"] = false } } }),
                Patch(null, new JsonObject { ["syncPolicy"] = new JsonObject { ["automated"] = new JsonObject { ["enabled"] = restore } } }),
                $"pause {owner}: spec.syncPolicy.automated.enabled=false (prune and selfHeal kept)", warnings);
        }

        // Before enabled existed, the only pause is removing automated; its exact value travels in an annotation.
        var saved = automated.ToJsonString();
        var pause = Patch(incident, new JsonObject { ["syncPolicy"] = new JsonObject { ["automated"] = null } });
        var pauseObject = JsonNode.Parse(pause)!.AsObject();
        pauseObject["metadata"]!["annotations"]![RemovedAutomatedAnnotation] = saved;
        var resume = JsonNode.Parse(Patch(null, new JsonObject { ["syncPolicy"] = new JsonObject { ["automated"] = automated.DeepClone() } }))!.AsObject();
        resume["metadata"]!["annotations"]![RemovedAutomatedAnnotation] = null;
        return new OwnerPause(pauseObject.ToJsonString(), resume.ToJsonString(),
            $"pause {owner}: spec.syncPolicy.automated removed and kept in {RemovedAutomatedAnnotation} (this Argo CD has no automated.enabled)", warnings);
    }

    private static OwnerPause Suspend(GitOpsOwner owner, JsonObject obj, string incident, IReadOnlyList<string> warnings)
    {
        var suspend = obj["spec"]?["suspend"];
        if (suspend is JsonValue value && value.TryGetValue<bool>(out var suspended) && suspended)
        {
            return new OwnerPause(null, null, $"{owner} is suspended already: Flux will not undo the change", warnings);
        }

        // As flux resume does: a suspend that was absent is removed again, an explicit false is written back.
        return new OwnerPause(
            Patch(incident, new JsonObject { ["suspend"] = true }),
            Patch(null, new JsonObject { ["suspend"] = suspend is null ? null : suspend.DeepClone() }),
            $"pause {owner}: spec.suspend=true, as flux suspend does", warnings);
    }

    private static bool DriftCorrected(JsonObject release) =>
        release["spec"]?["driftDetection"]?["mode"] is JsonValue mode && mode.TryGetValue<string>(out var text) && text == "enabled";

    /// <summary>Managers above the owner that re-apply its spec, and so would undo the pause.</summary>
    private static IReadOnlyList<string> ManagedBy(GitOpsOwner owner, JsonObject obj)
    {
        var warnings = new List<string>();
        if (obj["metadata"]?["ownerReferences"] is JsonArray references)
        {
            foreach (var reference in references.OfType<JsonObject>().Where(r => (string?)r["kind"] == "ApplicationSet"))
            {
                warnings.Add($"{owner} is generated by ApplicationSet {(string?)reference["name"]}, which rewrites its sync policy unless it sets ignoreApplicationDifferences on /spec/syncPolicy: the pause may be undone");
            }
        }

        if (Annotation(obj, ArgoCdTrackingId.Annotation) is { } parent && ArgoCdTrackingId.TryParse(parent, out var id))
        {
            warnings.Add($"{owner} is itself applied by Argo CD application {id.App} (app of apps), which re-applies its spec from git: the pause may be undone");
        }

        if (owner.Kind != GitOpsOwner.Application
            && Label(obj, GitOpsOwnership.KustomizeNameLabel) is { } parentKustomization
            && obj["spec"]?["suspend"] is JsonValue declared && declared.TryGetValue<bool>(out var suspended) && !suspended)
        {
            warnings.Add($"{owner} is applied by Kustomization {parentKustomization}, and its git declares suspend: false, which that Kustomization writes back: the pause will be undone");
        }

        return warnings;
    }

    private static string Patch(string? pausedBy, JsonObject spec) => new JsonObject
    {
        ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [PausedByAnnotation] = pausedBy } },
        ["spec"] = spec,
    }.ToJsonString();

    private static string? Annotation(JsonObject obj, string key) => obj["metadata"]?["annotations"]?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string? Label(JsonObject obj, string key) => obj["metadata"]?["labels"]?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
