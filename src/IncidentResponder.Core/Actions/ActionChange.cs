using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Quantities;

namespace IncidentResponder.Core.Actions;

/// <summary>
/// The exact change an action makes, in absolute values: applying it twice is the same as once, so a shell that
/// crashed between intent and outcome can simply apply it again. Every change names the value it expects to find
/// (From...), so the shell can make the write conditional (a JSON patch "test" op) and a revert never overwrites
/// somebody else's later change. <see cref="ToDetails"/> is what the incident records; <see cref="ActionChangeCodec"/>
/// reads it back.
/// </summary>
public abstract record ActionChange
{
    /// <summary>One line for the timeline.</summary>
    public abstract string Describe();

    /// <summary>The change as action-record details (string to string, as the API stores them).</summary>
    public abstract Dictionary<string, string> ToDetails();

    /// <summary>
    /// spec.replicas of the Deployment, through the scale subresource: <c>PATCH .../deployments/{name}/scale</c>.
    /// </summary>
    /// <param name="OriginalReplicas">Replicas before the incident's first scale; a scale-back returns here.</param>
    /// <param name="ScaleBack">Scale back to <paramref name="OriginalReplicas"/> once the incident is resolved and stable.</param>
    public sealed record ScaleDeployment(string Deployment, int FromReplicas, int ToReplicas, int OriginalReplicas, bool ScaleBack) : ActionChange
    {
        public override string Describe() => $"scale Deployment {Deployment} from {FromReplicas} to {ToReplicas} replicas";

        public override Dictionary<string, string> ToDetails() => ActionChangeCodec.Details(nameof(ScaleDeployment),
            ("deployment", Deployment), ("fromReplicas", I(FromReplicas)), ("toReplicas", I(ToReplicas)),
            ("originalReplicas", I(OriginalReplicas)), ("scaleBack", B(ScaleBack)));
    }

    /// <summary>
    /// The HPA's spec.minReplicas (and spec.maxReplicas when it must rise to stay ≥ min) instead of the Deployment's
    /// replicas, which the HPA would overwrite on its next sync.
    /// </summary>
    public sealed record ScaleHpa(
        string Hpa, int FromMinReplicas, int ToMinReplicas, int FromMaxReplicas, int ToMaxReplicas,
        int OriginalMinReplicas, int OriginalMaxReplicas, bool ScaleBack) : ActionChange
    {
        public override string Describe() =>
            $"raise HPA {Hpa} minReplicas from {FromMinReplicas} to {ToMinReplicas}" +
            (ToMaxReplicas != FromMaxReplicas ? $" and maxReplicas from {FromMaxReplicas} to {ToMaxReplicas}" : string.Empty);

        public override Dictionary<string, string> ToDetails() => ActionChangeCodec.Details(nameof(ScaleHpa),
            ("hpa", Hpa), ("fromMinReplicas", I(FromMinReplicas)), ("toMinReplicas", I(ToMinReplicas)),
            ("fromMaxReplicas", I(FromMaxReplicas)), ("toMaxReplicas", I(ToMaxReplicas)),
            ("originalMinReplicas", I(OriginalMinReplicas)), ("originalMaxReplicas", I(OriginalMaxReplicas)), ("scaleBack", B(ScaleBack)));
    }

    /// <summary>
    /// A container's resources.limits.memory in the Deployment's pod template (a template change: the Deployment rolls
    /// out). The request stays unless it would exceed the new limit (Kubernetes requires request ≤ limit).
    /// </summary>
    /// <param name="FromRequest">The request before, if set.</param>
    /// <param name="ToRequest">The request after; equal to <paramref name="FromRequest"/> when it is kept.</param>
    /// <param name="OriginalLimit">The limit before the incident's first raise: the cap is computed from it.</param>
    /// <param name="Cap">min(policy maxMemory, maxMemoryFactor × original).</param>
    /// <param name="Deployment">The workload's name (a Deployment's, or a CronJob's: <paramref name="Kind"/>).</param>
    /// <param name="RevertOnResolve">Set the original limit back once the incident is resolved.</param>
    public sealed record SetMemoryLimit(
        string Deployment, string Container, MemoryQuantity FromLimit, MemoryQuantity ToLimit,
        MemoryQuantity? FromRequest, MemoryQuantity? ToRequest, MemoryQuantity OriginalLimit, MemoryQuantity Cap,
        string Kind = "Deployment", bool RevertOnResolve = false) : ActionChange
    {
        public override string Describe() =>
            $"{(ToLimit < FromLimit ? "set back" : "raise")} the memory limit of container {Container} of {Kind} {Deployment} from {FromLimit} to {ToLimit} (cap {Cap})" +
            (FromRequest != ToRequest ? $", request from {FromRequest} to {ToRequest}" : string.Empty);

        public override Dictionary<string, string> ToDetails() => ActionChangeCodec.Details(nameof(SetMemoryLimit),
            ("deployment", Deployment), ("container", Container), ("fromLimit", FromLimit.ToString()), ("toLimit", ToLimit.ToString()),
            ("fromRequest", FromRequest?.ToString()), ("toRequest", ToRequest?.ToString()),
            ("originalLimit", OriginalLimit.ToString()), ("cap", Cap.ToString()),
            ("kind", Kind == "Deployment" ? null : Kind), ("revertOnResolve", RevertOnResolve ? B(true) : null));
    }

    /// <summary>A feature flag set through its provider.</summary>
    /// <param name="Settings">The step's provider settings (ConfigMap name and key, FeatureFlag name, HTTP endpoint).</param>
    /// <param name="FromValue">The value the shell read before the flip; null when the provider cannot be read.</param>
    /// <param name="RevertTo">The value a flip-back restores: the value read before, or for a boolean flag that could not be read, its opposite.</param>
    /// <param name="RevertOnResolve">Flip back once the incident is resolved.</param>
    public sealed record FlipFlag(
        FeatureFlagAction Settings, string Flag, FeatureFlagProviderType Provider, string? FromValue, string ToValue,
        string? RevertTo, bool RevertOnResolve) : ActionChange
    {
        public override string Describe() =>
            $"set feature flag {Flag} ({Provider}) to {ToValue}" + (FromValue is null ? string.Empty : $" (was {FromValue})");

        public override Dictionary<string, string> ToDetails() => ActionChangeCodec.Details(nameof(FlipFlag),
            ("flag", Flag), ("provider", Provider.ToString()), ("fromValue", FromValue), ("toValue", ToValue),
            ("revertTo", RevertTo), ("revertOnResolve", B(RevertOnResolve)));
    }

    /// <summary>
    /// kubectl rollout restart: the pod template annotation kubectl.kubernetes.io/restartedAt set to a time, which
    /// makes the Deployment replace every pod without changing anything else.
    /// </summary>
    public sealed record RestartRollout(string Deployment, string RestartedAt) : ActionChange
    {
        /// <summary>The pod-template annotation kubectl writes.</summary>
        public const string Annotation = "kubectl.kubernetes.io/restartedAt";

        public override string Describe() => $"restart the rollout of Deployment {Deployment} ({Annotation}: {RestartedAt})";

        public override Dictionary<string, string> ToDetails() => ActionChangeCodec.Details(nameof(RestartRollout),
            ("deployment", Deployment), ("restartedAt", RestartedAt));
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string B(bool value) => value ? "true" : "false";
}
