using IncidentResponder.Simulator.Controllers;
using k8s.Models;

namespace IncidentResponder.Simulator.Tests.Controllers;

public sealed class ControllersPodTemplateHashTests
{
    [Fact]
    public void Safe_encode_maps_digits_into_the_kubernetes_alphabet()
    {
        // '0' is byte 48 and 48 % 27 = 21 → '4'; '9' is 57 % 27 = 3 → 'f'. Same mapping as rand.SafeEncodeString.
        Assert.Equal("4f", PodTemplateHash.SafeEncode("09"));
    }

    [Fact]
    public void Fnv1a_matches_the_reference_vectors()
    {
        Assert.Equal(0x811c9dc5u, PodTemplateHash.Fnv1a32([], 2166136261u));
        Assert.Equal(0xe40c292cu, PodTemplateHash.Fnv1a32("a"u8, 2166136261u));
        Assert.Equal(0xbf9cf968u, PodTemplateHash.Fnv1a32("foobar"u8, 2166136261u));
    }

    [Fact]
    public void Hash_is_stable_depends_on_template_and_collision_count_and_uses_only_safe_characters()
    {
        var template = ControllerFixtures.Deployment().Spec.Template;
        var hash = PodTemplateHash.Compute(template, null);
        Assert.Equal(hash, PodTemplateHash.Compute(KubeObjects.Clone(template), null));
        Assert.InRange(hash.Length, 1, 10);
        Assert.All(hash, c => Assert.Contains(c, PodTemplateHash.SafeAlphabet));

        Assert.NotEqual(hash, PodTemplateHash.Compute(template, 1));
        var changed = KubeObjects.Clone(template);
        changed.Spec.Containers[0].Image = "nginx:1.26";
        Assert.NotEqual(hash, PodTemplateHash.Compute(changed, null));
    }

    [Theory]
    [InlineData("25%", 4, true, 1)]
    [InlineData("25%", 10, true, 3)]
    [InlineData("25%", 10, false, 2)]
    [InlineData("3", 10, false, 3)]
    [InlineData("0%", 10, true, 0)]
    public void Int_or_percent_rounds_like_kubernetes(string value, int total, bool roundUp, int expected)
    {
        Assert.Equal(expected, IntOrPercent.Scale((IntOrString)value, total, roundUp, defaultValue: -1));
    }

    [Fact]
    public void Both_fenceposts_zero_means_one_unavailable()
    {
        var deployment = ControllerFixtures.Deployment(replicas: 3);
        deployment.Spec.Strategy = new V1DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = (IntOrString)"0", MaxUnavailable = (IntOrString)"0%" },
        };
        Assert.Equal((0, 1), DeploymentRules.ResolveFenceposts(deployment));
    }

    [Fact]
    public void Defaults_are_twenty_five_percent_each_way()
    {
        var deployment = ControllerFixtures.Deployment(replicas: 10);
        Assert.Equal(3, DeploymentRules.MaxSurge(deployment));
        Assert.Equal(2, DeploymentRules.MaxUnavailable(deployment));
    }

    [Fact]
    public void Equal_ignore_hash_ignores_only_the_pod_template_hash_label()
    {
        var template = ControllerFixtures.Deployment().Spec.Template;
        var labelled = KubeObjects.Clone(template);
        labelled.Metadata.Labels[PodTemplateHash.Label] = "abc";
        Assert.True(DeploymentRules.EqualIgnoreHash(template, labelled));

        labelled.Metadata.Labels["tier"] = "web";
        Assert.False(DeploymentRules.EqualIgnoreHash(template, labelled));
    }
}
