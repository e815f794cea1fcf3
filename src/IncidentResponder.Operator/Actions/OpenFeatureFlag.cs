using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// A flag served by the OpenFeature operator: a FeatureFlag resource (core.openfeature.dev/v1beta1) whose
/// spec.flagSpec.flags.&lt;flag&gt;.defaultVariant names the variant flagd serves. The flip is a JSON patch that tests
/// the variant the decision planned from and replaces it, then a read-back, because a flip only counts once the
/// resource says so. Variants themselves are never touched: the runbook names one the flag already defines.
/// </summary>
public sealed class OpenFeatureFlag(IKubernetes client)
{
    public const string Group = "core.openfeature.dev";
    public const string Version = "v1beta1";
    public const string Plural = "featureflags";

    /// <summary>The flag's defaultVariant in a FeatureFlag resource, or null when the resource or the flag lacks one.</summary>
    public static string? DefaultVariant(JsonObject? featureFlag, string flag) =>
        featureFlag?["spec"]?["flagSpec"]?["flags"]?[flag]?["defaultVariant"] is JsonValue value && value.TryGetValue<string>(out var variant) ? variant : null;

    /// <summary>Reads the FeatureFlag resource, or null when it does not exist.</summary>
    public async Task<JsonObject?> ReadAsync(string ns, string name, CancellationToken cancellationToken) =>
        await ApiReads.GetOrNullAsync(() => client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(Group, Version, ns, Plural, name, cancellationToken: cancellationToken));

    public async Task<ActionOutcome> ExecuteAsync(string ns, ActionChange.FlipFlag change, bool dryRun, CancellationToken cancellationToken)
    {
        if (change.Settings.OpenFeature is not { } source)
        {
            return new ActionOutcome.Skipped($"skipped: flag {change.Flag} names the OpenFeature provider but no 'openFeature' settings");
        }

        var resource = await ReadAsync(ns, source.Name, cancellationToken);
        if (resource is null)
        {
            return new ActionOutcome.Skipped($"skipped: FeatureFlag {source.Name} holding flag {change.Flag} does not exist");
        }

        var details = change.ToDetails();
        var current = DefaultVariant(resource, change.Flag);
        if (current is null)
        {
            // Adding a flag, or a defaultVariant, would invent configuration flagd never had: a person decides that.
            return new ActionOutcome.Skipped($"skipped: FeatureFlag {source.Name} defines no defaultVariant for flag {change.Flag}");
        }

        if (current == change.ToValue && !dryRun)
        {
            return new ActionOutcome.Applied($"{change.Describe()} (found applied: FeatureFlag {source.Name} flag {change.Flag} defaultVariant is {current})", details);
        }

        if (current != change.FromValue)
        {
            return new ActionOutcome.Skipped($"skipped: FeatureFlag {source.Name} flag {change.Flag} defaultVariant is {current} now, not the {change.FromValue ?? "absent"} this step planned from");
        }

        var path = "/spec/flagSpec/flags/" + MemoryLimitPatch.Escape(change.Flag) + "/defaultVariant";
        var patch = new JsonArray
        {
            JsonPatchOps.Operation("test", path, current),
            JsonPatchOps.Operation("replace", path, change.ToValue),
        };

        JsonObject result;
        try
        {
            result = await client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonObject>(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.JsonPatch),
                Group, Version, ns, Plural, source.Name, dryRun: dryRun ? "All" : null, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException error) when (LiveReads.IsFailedTest(error))
        {
            return new ActionOutcome.Skipped($"skipped: FeatureFlag {source.Name} flag {change.Flag} changed while the flip was being sent (the patch's test failed)");
        }

        if (dryRun)
        {
            return ActionOutcome.ServerDryRun(change.Describe(), $"defaultVariant would read {DefaultVariant(result, change.Flag)}", details);
        }

        // Read back: the flip is what the resource says now, not what the patch answered.
        var readBack = DefaultVariant(await ReadAsync(ns, source.Name, cancellationToken), change.Flag);
        details["readBack"] = readBack ?? string.Empty;
        return readBack == change.ToValue
            ? new ActionOutcome.Applied($"{change.Describe()}; FeatureFlag {source.Name} flag {change.Flag} defaultVariant reads {readBack}", details)
            : new ActionOutcome.Skipped($"skipped: FeatureFlag {source.Name} flag {change.Flag} defaultVariant reads {readBack ?? "nothing"} after the flip, not {change.ToValue}");
    }
}
