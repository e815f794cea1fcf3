using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests.Support;

/// <summary>
/// What the operator's pod must satisfy however it is installed (kustomize or Helm): restricted Pod Security plus
/// a read-only root filesystem, probes, resources and a metrics port. One assertion method per concern.
/// </summary>
public sealed class ManagerPod
{
    private ManagerPod(YamlNode pod, YamlNode container)
    {
        Pod = pod;
        Container = container;
    }

    public YamlNode Pod { get; }

    public YamlNode Container { get; }

    public static ManagerPod Of(YamlMappingNode deployment)
    {
        var pod = deployment.At("spec.template.spec") ?? throw new InvalidDataException($"{deployment.Describe()} has no pod template");
        Assert.Empty(pod.Seq("initContainers"));
        return new ManagerPod(pod, Assert.Single(pod.Seq("containers")));
    }

    /// <summary>All of the checks below, for a rendering tested as a whole.</summary>
    public void AssertAll()
    {
        AssertRunsAsNonRoot();
        AssertNoPrivilegeOrCapabilities();
        AssertRuntimeDefaultSeccomp();
        AssertReadOnlyRootWithWritableTmp();
        AssertMountsServiceAccountToken();
        AssertProbes();
        AssertMetricsPort();
        AssertResources();
    }

    /// <summary>A container-level security setting, falling back to the pod level as Kubernetes does.</summary>
    private string? Effective(string path) => Container.Str($"securityContext.{path}") ?? Pod.Str($"securityContext.{path}");

    public void AssertRunsAsNonRoot()
    {
        Assert.Equal("true", Effective("runAsNonRoot"));
        Assert.Equal("65532", Effective("runAsUser"));
        Assert.NotEqual("0", Effective("runAsGroup") ?? "65532");
    }

    public void AssertNoPrivilegeOrCapabilities()
    {
        Assert.Equal("false", Container.Str("securityContext.allowPrivilegeEscalation"));
        Assert.Equal(new[] { "ALL" }, Container.Strings("securityContext.capabilities.drop"));
        Assert.Empty(Container.Strings("securityContext.capabilities.add"));
        Assert.NotEqual("true", Container.Str("securityContext.privileged"));
        Assert.All(new[] { "hostNetwork", "hostPID", "hostIPC" }, field => Assert.NotEqual("true", Pod.Str(field)));
    }

    public void AssertRuntimeDefaultSeccomp() => Assert.Equal("RuntimeDefault", Effective("seccompProfile.type"));

    public void AssertReadOnlyRootWithWritableTmp()
    {
        Assert.Equal("true", Container.Str("securityContext.readOnlyRootFilesystem"));
        var tmp = Assert.Single(Container.Seq("volumeMounts"), m => m.Str("mountPath") == "/tmp");
        var volume = Assert.Single(Pod.Seq("volumes"), v => v.Str("name") == tmp.Str("name"));
        Assert.NotNull(volume.At("emptyDir"));

        // Restricted Pod Security allows only these volume types; hostPath in particular is forbidden.
        string[] allowed = ["emptyDir", "configMap", "secret", "projected", "downwardAPI", "persistentVolumeClaim", "ephemeral", "csi"];
        Assert.All(Pod.Seq("volumes"), v => Assert.Contains(
            ((YamlMappingNode)v).Children.Keys.Select(k => k.ToString()).Single(k => k != "name"), allowed));
    }

    public void AssertMountsServiceAccountToken()
    {
        Assert.EndsWith("incident-responder-controller-manager", Pod.Str("serviceAccountName"), StringComparison.Ordinal);
        Assert.Equal("true", Pod.Str("automountServiceAccountToken"));
    }

    public void AssertProbes()
    {
        var health = Assert.Single(Container.Seq("ports"), p => p.Str("containerPort") == "9464");
        Assert.Equal("/healthz", Container.Str("livenessProbe.httpGet.path"));
        Assert.Equal("/readyz", Container.Str("readinessProbe.httpGet.path"));
        Assert.Contains(Container.Str("livenessProbe.httpGet.port"), new[] { "9464", health.Str("name") });
        Assert.Contains(Container.Str("readinessProbe.httpGet.port"), new[] { "9464", health.Str("name") });
        Assert.Contains("--health-probe-bind-address=:9464", Container.Strings("args"));
    }

    public void AssertMetricsPort()
    {
        var metrics = Assert.Single(Container.Seq("ports"), p => p.Str("name") == "metrics");
        Assert.Equal("9463", metrics.Str("containerPort"));
        Assert.Contains("--metrics-bind-address=:9463", Container.Strings("args"));
    }

    public void AssertResources()
    {
        Assert.NotNull(Container.Str("resources.requests.cpu"));
        Assert.NotNull(Container.Str("resources.requests.memory"));
        Assert.NotNull(Container.Str("resources.limits.memory"));
    }
}
