using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Tests.Controllers;

/// <summary>Typed objects as the store would hold them, and helpers to apply a reconciler's writes in memory.</summary>
internal static class ControllerFixtures
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static V1Deployment Deployment(string name = "web", int replicas = 4, string image = "nginx:1.25", int generation = 1)
    {
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = name, NamespaceProperty = "default", Uid = $"uid-{name}", Generation = generation, ResourceVersion = "10",
                CreationTimestamp = T0.UtcDateTime,
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = image }] },
                },
            },
        };
    }

    public static V1Deployment WithImage(V1Deployment deployment, string image, int generation)
    {
        var copy = KubeObjects.Clone(deployment);
        copy.Spec.Template.Spec.Containers[0].Image = image;
        copy.Metadata.Generation = generation;
        return copy;
    }

    /// <summary>Applies creates/updates/status updates of ReplicaSets to an in-memory list, giving created ones a uid and timestamp.</summary>
    public static List<V1ReplicaSet> ApplyReplicaSets(IEnumerable<V1ReplicaSet> current, IEnumerable<ControllerWrite> writes, DateTimeOffset now)
    {
        var list = current.Select(KubeObjects.Clone).ToList();
        foreach (var write in writes)
        {
            switch (write)
            {
                case CreateObject { Type: var type, Object: V1ReplicaSet created } when type == BuiltinResources.ReplicaSets:
                    var rs = KubeObjects.Clone(created);
                    rs.Metadata.Uid = "uid-" + rs.Metadata.Name;
                    rs.Metadata.CreationTimestamp = now.UtcDateTime;
                    rs.Metadata.Generation = 1;
                    rs.Status = new V1ReplicaSetStatus { Replicas = 0 };
                    list.Add(rs);
                    break;
                case UpdateObject { Object: V1ReplicaSet updated }:
                    var index = list.FindIndex(r => r.Metadata.Name == updated.Metadata.Name);
                    var status = list[index].Status;
                    list[index] = KubeObjects.Clone(updated);
                    list[index].Status = status;
                    break;
                case DeleteObject { Type: var type } delete when type == BuiltinResources.ReplicaSets:
                    list.RemoveAll(r => r.Metadata.Name == delete.Name);
                    break;
            }
        }

        return list;
    }

    /// <summary>What the replicaset controller and kubelet would eventually report: every wanted pod exists, and <paramref name="available"/> decides availability.</summary>
    public static List<V1ReplicaSet> SettlePods(IEnumerable<V1ReplicaSet> replicaSets, Func<V1ReplicaSet, bool> available)
    {
        return replicaSets.Select(rs =>
        {
            var copy = KubeObjects.Clone(rs);
            var replicas = copy.Spec.Replicas ?? 1;
            var ok = available(copy) ? replicas : 0;
            copy.Status = new V1ReplicaSetStatus { Replicas = replicas, ReadyReplicas = ok, AvailableReplicas = ok, ObservedGeneration = copy.Metadata.Generation };
            return copy;
        }).ToList();
    }

    public static V1Deployment ApplyDeployment(V1Deployment deployment, IEnumerable<ControllerWrite> writes)
    {
        var current = KubeObjects.Clone(deployment);
        foreach (var write in writes)
        {
            switch (write)
            {
                case UpdateObject { Object: V1Deployment updated }:
                    current.Metadata.Annotations = updated.Metadata.Annotations;
                    break;
                case UpdateStatus { Object: V1Deployment updated }:
                    current.Status = updated.Status;
                    break;
            }
        }

        return current;
    }

    public static IEnumerable<EventSpec> Events(IEnumerable<ControllerWrite> writes) =>
        writes.OfType<RecordEvent>().Select(record => record.Event);
}
