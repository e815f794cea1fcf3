using IncidentResponder.Operator.Observation;
using k8s.Models;

namespace IncidentResponder.Operator.Tests.Unit;

public sealed class TemplateFingerprintTests
{
    private static V1PodTemplateSpec Template(string image, params (string Key, string Value)[] labels) => new()
    {
        Metadata = new V1ObjectMeta { Labels = labels.ToDictionary(l => l.Key, l => l.Value) },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = image }] },
    };

    [Fact]
    public void The_replica_set_copy_with_its_hash_label_hashes_like_the_deployment_template()
    {
        var deployment = Template("web:1", ("app", "web"), ("tier", "front"));
        var replicaSet = Template("web:1", ("tier", "front"), ("pod-template-hash", "5d8f9"), ("app", "web"));

        Assert.Equal(TemplateFingerprint.Of(deployment), TemplateFingerprint.Of(replicaSet));
        Assert.True(TemplateFingerprint.EqualIgnoreHash(deployment, replicaSet));
    }

    [Fact]
    public void Any_other_difference_changes_the_fingerprint() =>
        Assert.NotEqual(TemplateFingerprint.Of(Template("web:1", ("app", "web"))), TemplateFingerprint.Of(Template("web:2", ("app", "web"))));
}
