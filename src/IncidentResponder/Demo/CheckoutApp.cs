using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Kubelet;
using k8s.Models;

namespace IncidentResponder.Demo;

/// <summary>The demo's application: a Deployment, its good image, and the bad rollout a person pushes.</summary>
internal static class CheckoutApp
{
    public const string Name = "checkout";
    public const string Namespace = "default";
    public const string Container = "checkout";
    public const string GoodImage = "nginx:1.25";
    public const string BadImage = "nginx:1.26";
    public const int Replicas = 3;

    /// <summary>The fault the simulated kubelet turns into a container that exits on start, over and over.</summary>
    public const string Fault = "crashloop";

    public static string LabelSelector => $"app={Name}";

    public static V1Deployment Deployment() => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = Namespace, Labels = new Dictionary<string, string> { ["app"] = Name } },
        Spec = new V1DeploymentSpec
        {
            Replicas = Replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = Name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = Name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = Container, Image = GoodImage }] },
            },
        },
    };

    /// <summary>
    /// A JSON merge patch as a person's <c>kubectl patch</c> would send it: a new image, and the simulator's fault
    /// annotation standing in for whatever makes the new version crash.
    /// </summary>
    public static V1Patch BadRollout()
    {
        var template = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [FaultSpec.FaultAnnotation] = Fault } },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = Container, ["image"] = BadImage }) },
        };
        var patch = new JsonObject { ["spec"] = new JsonObject { ["template"] = template } };
        return new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
    }
}
