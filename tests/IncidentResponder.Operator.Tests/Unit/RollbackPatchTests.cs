using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Actions;
using k8s.Models;

namespace IncidentResponder.Operator.Tests.Unit;

public sealed class RollbackPatchTests
{
    private static readonly V1Deployment Deployment = new()
    {
        Metadata = new V1ObjectMeta
        {
            ResourceVersion = "42",
            Annotations = new Dictionary<string, string>
            {
                ["deployment.kubernetes.io/revision"] = "3",
                ["kubectl.kubernetes.io/last-applied-configuration"] = "{}",
                ["team"] = "payments-new",
                [WellKnown.ActionAnnotation] = "older-incident/rollback",
            },
        },
    };

    private static readonly V1ReplicaSet Target = new()
    {
        Metadata = new V1ObjectMeta
        {
            Annotations = new Dictionary<string, string>
            {
                ["deployment.kubernetes.io/revision"] = "1",
                ["deployment.kubernetes.io/desired-replicas"] = "2",
                ["team"] = "payments",
                [WellKnown.PausedAnnotation] = "true",
            },
        },
        Spec = new V1ReplicaSetSpec
        {
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = "abc" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "web:1" }] },
            },
        },
    };

    [Fact]
    public void Annotations_follow_kubectl_and_keep_the_operators_own_from_the_deployment()
    {
        var annotations = RollbackPatch.Annotations(Deployment, Target, "inc-1/rollback");

        Assert.Equal("3", annotations["deployment.kubernetes.io/revision"]!.GetValue<string>());
        Assert.Equal("{}", annotations["kubectl.kubernetes.io/last-applied-configuration"]!.GetValue<string>());
        Assert.Equal("payments", annotations["team"]!.GetValue<string>());
        Assert.False(annotations.ContainsKey("deployment.kubernetes.io/desired-replicas"));
        Assert.False(annotations.ContainsKey(WellKnown.PausedAnnotation)); // an old opt-out is not resurrected
        Assert.Equal("inc-1/rollback", annotations[WellKnown.ActionAnnotation]!.GetValue<string>());
    }

    [Fact]
    public void The_patch_tests_the_resource_version_and_copies_the_template_without_its_hash_label()
    {
        var template = RollbackPatch.TemplateOf(Target);
        var patch = JsonNode.Parse(RollbackPatch.Build(Deployment, Target, template, "inc-1/rollback"))!.AsArray();

        Assert.Equal("test", patch[0]!["op"]!.GetValue<string>());
        Assert.Equal("42", patch[0]!["value"]!.GetValue<string>());
        Assert.Equal("/spec/template", patch[1]!["path"]!.GetValue<string>());
        Assert.Null(patch[1]!["value"]!["metadata"]!["labels"]!["pod-template-hash"]);
        Assert.Equal("web", patch[1]!["value"]!["metadata"]!["labels"]!["app"]!.GetValue<string>());
        Assert.Equal("abc", Target.Spec.Template.Metadata.Labels["pod-template-hash"]); // the ReplicaSet itself is untouched
    }
}
