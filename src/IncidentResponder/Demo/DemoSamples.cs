using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Demo;

/// <summary>
/// config/samples, embedded in the executable at build time: the decision-tree Runbook and the RemediationPolicy that
/// governs every Deployment of a namespace, with the demo's shorter timings written in.
/// </summary>
internal sealed class DemoSamples
{
    private const string ResourcePrefix = "samples/";

    private DemoSamples(JsonObject runbook, JsonObject policy, IReadOnlyList<string> changes)
    {
        Runbook = runbook;
        Policy = policy;
        TimingChanges = changes;
    }

    public JsonObject Runbook { get; }

    public JsonObject Policy { get; }

    public string RunbookName => Name(Runbook);

    public string PolicyName => Name(Policy);

    /// <summary>Each shortened timing as "field sample → demo", for the narration.</summary>
    public IReadOnlyList<string> TimingChanges { get; }

    /// <summary>
    /// The sample Runbook and RemediationPolicy. The sample Incident is left out on purpose: it declares an outage of
    /// a Deployment named "app" that the demo does not run, and would only add a second, unrelated story.
    /// </summary>
    public static DemoSamples Load(DemoTimings timings)
    {
        var documents = Embedded().ToList();
        var runbook = Single(documents, Api.V1Alpha1.Runbook.KindName);
        var policy = Single(documents, RemediationPolicy.KindName);
        var changes = new List<string>();

        // The demo runs no Prometheus: the sample's metrics checks would only report it unreachable.
        policy["spec"]!.AsObject().Remove("metrics");
        var detection = policy["spec"]!["detection"]!.AsObject();
        changes.Add(Shorten(detection, "holdFor", timings.HoldFor));
        changes.Add(Shorten(detection, "lastKnownGoodSoak", timings.LastKnownGoodSoak));
        foreach (var step in runbook["spec"]!["steps"]!.AsArray().Select(s => s!.AsObject()))
        {
            if (step["action"]?["type"]?.GetValue<string>() == nameof(ActionType.RolloutUndo) && step["verify"] is JsonObject verify)
            {
                changes.Add("verify " + Shorten(verify, "window", timings.VerifyWindow));
            }
        }

        return new DemoSamples(runbook, policy, changes);
    }

    /// <summary>The checks and timeout of the rollback step's verification, as written in the runbook.</summary>
    public string RollbackVerification()
    {
        var verify = RollbackStep()?["verify"];
        var checks = verify?["checks"]?.AsArray().Select(c => c!.GetValue<string>()) ?? [];
        return $"{string.Join(", ", checks)} for {verify?["window"]} (timeout {verify?["timeout"]})";
    }

    private JsonObject? RollbackStep() =>
        Runbook["spec"]!["steps"]!.AsArray().Select(s => s!.AsObject())
            .FirstOrDefault(s => s["action"]?["type"]?.GetValue<string>() == nameof(ActionType.RolloutUndo));

    private static IEnumerable<JsonObject> Embedded()
    {
        var assembly = typeof(DemoSamples).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            foreach (var document in YamlJson.Documents(reader.ReadToEnd()))
            {
                yield return document;
            }
        }
    }

    private static JsonObject Single(List<JsonObject> documents, string kind) =>
        documents.SingleOrDefault(d => d["kind"]?.GetValue<string>() == kind)
        ?? throw new InvalidOperationException($"the executable embeds no {kind} sample (config/samples/*.yaml at build time)");

    private static string Shorten(JsonObject owner, string field, TimeSpan value)
    {
        var sample = owner[field]?.GetValue<string>() ?? "unset";
        var demo = DemoTimings.Format(value);
        owner[field] = demo;
        return $"{field} {sample} → {demo}";
    }

    private static string Name(JsonObject document) => document["metadata"]!["name"]!.GetValue<string>();
}
