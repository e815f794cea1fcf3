using IncidentResponder.Simulator.Kubelet;
using k8s.Models;

namespace IncidentResponder.Simulator.Tests.Kubelet;

/// <summary>An oom fault with memory-needed kills only below that limit, so a raised limit cures the pod.</summary>
public sealed class OomMemoryNeededTests
{
    private static V1Pod Pod(string? limit, string needed = "160Mi") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "job",
            Annotations = new Dictionary<string, string> { [FaultSpec.FaultAnnotation] = "oom", [FaultSpec.MemoryNeededAnnotation] = needed },
        },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container
            {
                Name = "job",
                Resources = limit is null ? null : new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new(limit) } },
            }],
        },
    };

    [Theory]
    [InlineData("128Mi", FaultKind.Oom)]
    [InlineData(null, FaultKind.Oom)]
    [InlineData("160Mi", FaultKind.None)]
    [InlineData("192Mi", FaultKind.None)]
    public void An_oom_pod_is_killed_only_while_its_memory_limit_is_below_what_it_needs(string? limit, FaultKind expected)
    {
        Assert.Equal(expected, FaultSpec.FromPod(Pod(limit)).Kind);
    }

    [Fact]
    public void An_unreadable_memory_need_leaves_the_oom_fault_in_place()
    {
        Assert.Equal(FaultKind.Oom, FaultSpec.FromPod(Pod("1Gi", needed: "lots")).Kind);
    }
}
