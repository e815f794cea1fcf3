using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// A feature flag kept as a ConfigMap key: a JSON patch that tests the value the decision planned from (or that the
/// key is still absent) and sets the new one, then a read-back, because a flip only counts once the provider says so.
/// </summary>
public sealed class ConfigMapFlag(IKubernetes client)
{
    /// <summary>The key holding the flag: the provider's key, else the flag's name.</summary>
    public static string KeyOf(FeatureFlagAction settings) => settings.ConfigMap?.Key ?? settings.Flag;

    public async Task<ActionOutcome> ExecuteAsync(string ns, ActionChange.FlipFlag change, bool dryRun, CancellationToken cancellationToken)
    {
        if (change.Settings.ConfigMap is not { } source)
        {
            return new ActionOutcome.Skipped($"skipped: flag {change.Flag} names the ConfigMap provider but no 'configMap' settings");
        }

        var key = KeyOf(change.Settings);
        var configMap = await ApiReads.GetOrNullAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(source.Name, ns, cancellationToken: cancellationToken));
        if (configMap is null)
        {
            return new ActionOutcome.Skipped($"skipped: ConfigMap {source.Name} holding flag {change.Flag} does not exist");
        }

        var details = change.ToDetails();
        var current = Projections.Value(configMap.Data, key);
        if (current == change.ToValue && !dryRun)
        {
            return new ActionOutcome.Applied($"{change.Describe()} (found applied: ConfigMap {source.Name} key {key} reads {current})", details);
        }

        if (current != change.FromValue)
        {
            return new ActionOutcome.Skipped($"skipped: ConfigMap {source.Name} key {key} is {current ?? "absent"} now, not the {change.FromValue ?? "absent"} this step planned from");
        }

        var path = "/data/" + MemoryLimitPatch.Escape(key);
        var patch = new JsonArray();
        if (configMap.Data is null)
        {
            patch.Add(JsonPatchOps.Operation("add", "/data", new JsonObject { [key] = change.ToValue }));
        }
        else if (current is null)
        {
            patch.Add(JsonPatchOps.Operation("add", path, change.ToValue));
        }
        else
        {
            patch.Add(JsonPatchOps.Operation("test", path, current));
            patch.Add(JsonPatchOps.Operation("replace", path, change.ToValue));
        }

        V1ConfigMap result;
        try
        {
            result = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.JsonPatch), source.Name, ns,
                dryRun: dryRun ? "All" : null, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException error) when (LiveReads.IsFailedTest(error))
        {
            return new ActionOutcome.Skipped($"skipped: ConfigMap {source.Name} key {key} changed while the flip was being sent (the patch's test failed)");
        }

        if (dryRun)
        {
            return ActionOutcome.ServerDryRun(change.Describe(), $"{key} would read {Projections.Value(result.Data, key)}", details);
        }

        // Read back: the flip is what the provider says now, not what the patch answered.
        var readBack = Projections.Value((await client.CoreV1.ReadNamespacedConfigMapAsync(source.Name, ns, cancellationToken: cancellationToken)).Data, key);
        details["readBack"] = readBack ?? string.Empty;
        return readBack == change.ToValue
            ? new ActionOutcome.Applied($"{change.Describe()}; ConfigMap {source.Name} key {key} reads {readBack}", details)
            : new ActionOutcome.Skipped($"skipped: ConfigMap {source.Name} key {key} reads {readBack ?? "nothing"} after the flip, not {change.ToValue}");
    }
}
