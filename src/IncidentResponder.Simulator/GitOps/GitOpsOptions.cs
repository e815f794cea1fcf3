using System.Collections.Concurrent;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>
/// The GitOps tools a simulated cluster emulates when <see cref="SimulatorOptions.GitOps"/> is set: Argo CD's
/// application controller and Flux's source, kustomize and helm controllers, serving their upstream CRDs.
/// </summary>
public sealed class GitOpsOptions
{
    /// <summary>The namespace Argo CD runs in (the control-plane namespace of tracking ids); created at start.</summary>
    public string ArgoCdNamespace { get; init; } = "argocd";

    /// <summary>The namespace Flux runs in; created at start.</summary>
    public string FluxNamespace { get; init; } = "flux-system";

    /// <summary>
    /// How often Argo CD compares every Application with git. Upstream's <c>timeout.reconciliation</c> is 120s plus up
    /// to 60s of jitter; the simulator polls much sooner so tests and demos see commits quickly.
    /// </summary>
    public TimeSpan ArgoCdReconciliationInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>First self-heal back-off step (<c>--self-heal-backoff-timeout-seconds</c>, 2); zero turns the back-off off.</summary>
    public TimeSpan SelfHealBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Multiplier of each self-heal back-off step (<c>--self-heal-backoff-factor</c>, 3).</summary>
    public int SelfHealBackoffFactor { get; init; } = 3;

    /// <summary>Largest self-heal back-off (<c>--self-heal-backoff-cap-seconds</c>, 300).</summary>
    public TimeSpan SelfHealBackoffCap { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Fixed self-heal delay used only when the back-off is off (<c>--self-heal-timeout-seconds</c>, 0).</summary>
    public TimeSpan SelfHealTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>Shortest interval the Flux controllers honour, whatever <c>spec.interval</c> says (none by default).</summary>
    public TimeSpan MinimumFluxInterval { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Remote URLs served from local repositories, e.g. <c>https://github.com/example/shop</c> → <c>/tmp/shop.git</c>.
    /// Flux's GitRepository CRD only accepts <c>http</c>, <c>https</c> and <c>ssh</c> URLs, so Flux sources name a
    /// remote URL registered here; Argo CD's <c>repoURL</c> may also be a <c>file://</c> URL or an absolute path.
    /// Entries may be added while the cluster runs.
    /// </summary>
    public ConcurrentDictionary<string, string> Repositories { get; } = new(StringComparer.Ordinal);

    /// <summary>The <c>git</c> executable.</summary>
    public string GitExecutable { get; init; } = "git";

    /// <summary>
    /// The <c>helm</c> executable the HelmRelease emulation renders charts with: the <c>HELM</c> environment variable
    /// when set (as the chart tests find it), else <c>helm</c> on PATH. Without one, HelmReleases report Ready=False.
    /// </summary>
    public string HelmExecutable { get; init; } = Environment.GetEnvironmentVariable("HELM") is { Length: > 0 } helm ? helm : "helm";
}
