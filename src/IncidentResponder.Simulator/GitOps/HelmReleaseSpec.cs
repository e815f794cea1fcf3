using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>How <c>spec.driftDetection.mode</c> treats live changes to the rendered objects.</summary>
public enum HelmDriftMode
{
    /// <summary>Upstream's default: the cluster is not compared with the release at all.</summary>
    Disabled,

    /// <summary>Drift is reported in a Drifted condition and left alone.</summary>
    Warn,

    /// <summary>Drift is reported and corrected on every interval.</summary>
    Enabled,
}

/// <summary>
/// The parts of a helm.toolkit.fluxcd.io/v2 HelmRelease the emulated helm-controller acts on, with upstream's
/// defaults: the release name <c>[targetNamespace-]name</c> (shortened past Helm's 53 characters), the target and
/// storage namespaces defaulting to the HelmRelease's, drift detection off, and the chart's reconcile strategy
/// <c>ChartVersion</c>. <see cref="Unsupported"/> names what the simulator does not emulate.
/// </summary>
public sealed record HelmReleaseSpec(
    string Namespace,
    string Name,
    string ReleaseName,
    string TargetNamespace,
    string StorageNamespace,
    bool CreateNamespace,
    string Chart,
    string SourceKind,
    string SourceNamespace,
    string SourceName,
    bool ReconcileByRevision,
    HelmDriftMode DriftMode,
    JsonObject Values,
    string? Unsupported)
{
    private const int MaxReleaseName = 53;

    /// <summary>The HelmChart source-controller would build for this release: <c>&lt;namespace&gt;-&lt;name&gt;</c> in the source's namespace.</summary>
    public string HelmChart => $"{SourceNamespace}/{Namespace}-{Name}";

    /// <summary>The digest of the values, which upstream records as <c>lastAttemptedConfigDigest</c>; key order does not count.</summary>
    public string ConfigDigest => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(Values)!.ToJsonString())));

    public static HelmReleaseSpec Parse(JsonObject release)
    {
        var ns = ObjectRules.Str(release["metadata"]?["namespace"]) ?? string.Empty;
        var name = ObjectRules.Str(release["metadata"]?["name"]) ?? string.Empty;
        var spec = release["spec"] as JsonObject ?? [];
        var chart = spec["chart"]?["spec"] as JsonObject;
        var sourceRef = chart?["sourceRef"] as JsonObject;
        var target = NonEmpty(spec["targetNamespace"]) ?? ns;
        return new HelmReleaseSpec(
            ns,
            name,
            NonEmpty(spec["releaseName"]) ?? ReleaseNameOf(NonEmpty(spec["targetNamespace"]) is { } explicitTarget ? $"{explicitTarget}-{name}" : name),
            target,
            NonEmpty(spec["storageNamespace"]) ?? ns,
            spec["install"]?["createNamespace"] is JsonValue create && create.TryGetValue<bool>(out var createNamespace) && createNamespace,
            NonEmpty(chart?["chart"]) ?? string.Empty,
            NonEmpty(sourceRef?["kind"]) ?? string.Empty,
            NonEmpty(sourceRef?["namespace"]) ?? ns,
            NonEmpty(sourceRef?["name"]) ?? string.Empty,
            NonEmpty(chart?["reconcileStrategy"]) == "Revision",
            (NonEmpty(spec["driftDetection"]?["mode"]) ?? "disabled") switch
            {
                "enabled" => HelmDriftMode.Enabled,
                "warn" => HelmDriftMode.Warn,
                _ => HelmDriftMode.Disabled,
            },
            spec["values"] is JsonObject values ? values.DeepClone().AsObject() : [],
            UnsupportedPart(spec, chart));
    }

    /// <summary>
    /// Helm refuses release names over 53 characters, so upstream keeps the first 40 and appends a short digest of
    /// the whole name, which stays stable and unique enough.
    /// </summary>
    public static string ReleaseNameOf(string composed) =>
        composed.Length <= MaxReleaseName
            ? composed
            : $"{composed[..40]}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(composed)))[..12]}";

    private static string? UnsupportedPart(JsonObject spec, JsonObject? chart)
    {
        if (spec["chartRef"] is not null)
        {
            return "spec.chartRef (OCIRepository/HelmChart sources) is not simulated; use spec.chart with a GitRepository source";
        }

        if (chart is null)
        {
            return "spec.chart.spec is required";
        }

        if (NonEmpty(chart["sourceRef"]?["kind"]) is { } kind && kind != "GitRepository")
        {
            return $"chart source kind '{kind}' is not simulated; only GitRepository sources are";
        }

        if (spec["valuesFrom"] is JsonArray { Count: > 0 })
        {
            return "spec.valuesFrom is not simulated; put the values in spec.values";
        }

        return chart["valuesFiles"] is JsonArray { Count: > 0 }
            ? "spec.chart.spec.valuesFiles is not simulated; put the values in spec.values"
            : null;
    }

    private static string? NonEmpty(JsonNode? node) => ObjectRules.Str(node) is { Length: > 0 } text ? text : null;

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, Canonical(kv.Value)))),
        JsonArray list => new JsonArray([.. list.Select(Canonical)]),
        _ => node?.DeepClone(),
    };
}
