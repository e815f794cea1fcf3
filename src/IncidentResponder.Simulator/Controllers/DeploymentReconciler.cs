using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// The deployment controller's sync, as a pure function of the Deployment, the ReplicaSets in its namespace and the
/// time. It follows <c>pkg/controller/deployment</c> (sync.go, rolling.go, recreate.go, progress.go): one step per
/// sync, because the real controller also returns after each scale and continues when the ReplicaSets report back.
/// This file holds the state and the dispatch; each step lives in a <c>DeploymentReconciler.*.cs</c> file of its own.
/// </summary>
public sealed partial class DeploymentReconciler
{
    public const string Component = "deployment-controller";

    private readonly V1Deployment _original;
    private readonly V1Deployment _deployment;
    private readonly V1DeploymentStatus _status;
    private readonly List<V1ReplicaSet> _owned;
    private readonly IReadOnlyList<V1ReplicaSet> _namespaceReplicaSets;
    private readonly DateTimeOffset _now;
    private readonly List<ControllerWrite> _writes = [];
    private bool _deploymentMetadataChanged;
    private TimeSpan? _requeueAfter;

    private DeploymentReconciler(V1Deployment deployment, IReadOnlyList<V1ReplicaSet> namespaceReplicaSets, DateTimeOffset now)
    {
        _original = deployment;
        _deployment = KubeObjects.Clone(deployment);
        _status = KubeObjects.Clone(deployment.Status ?? new V1DeploymentStatus());
        _namespaceReplicaSets = namespaceReplicaSets;
        _owned = namespaceReplicaSets
            .Where(rs => KubeObjects.IsControlledBy(rs.Metadata, deployment.Metadata.Uid) && rs.Metadata.DeletionTimestamp is null)
            .Select(KubeObjects.Clone)
            .ToList();
        _now = now;
    }

    /// <summary>Reconciles one Deployment. <paramref name="namespaceReplicaSets"/> are all ReplicaSets of its namespace.</summary>
    public static SyncResult Reconcile(V1Deployment deployment, IReadOnlyList<V1ReplicaSet> namespaceReplicaSets, DateTimeOffset now)
    {
        var sync = new DeploymentReconciler(deployment, namespaceReplicaSets, now);
        sync.Run();
        return new SyncResult(sync.Finish(), sync._requeueAfter);
    }

    private string Name => _deployment.Metadata.Name;

    private int Desired => DeploymentRules.Replicas(_deployment);

    private void Run()
    {
        if (_deployment.Metadata.DeletionTimestamp is not null)
        {
            var (newRs, oldRss) = ReplicaSetsAndSyncRevision(createIfMissing: false);
            WriteStatus(CalculateStatus(All(newRs, oldRss), newRs));
            return;
        }

        var selector = _deployment.Spec.Selector;
        if (selector is null || ((selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0))
        {
            // A real controller refuses to select every pod in the namespace; it emits SelectingAll and stops.
            Event("Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            return;
        }

        CheckPausedConditions();
        if (_deployment.Spec.Paused == true || IsScalingEvent())
        {
            SyncScaleOnly();
            return;
        }

        if (DeploymentRules.IsRecreate(_deployment))
        {
            RolloutRecreate();
        }
        else
        {
            RolloutRolling();
        }
    }

    private IReadOnlyList<ControllerWrite> Finish()
    {
        if (!_deploymentMetadataChanged)
        {
            return _writes;
        }

        // A Deployment's /status endpoint keeps spec and labels but takes annotations from the body (as
        // kube-apiserver's deploymentStatusStrategy does), so the status write must carry the new revision too.
        foreach (var status in _writes.OfType<UpdateStatus>())
        {
            status.Object.Metadata.Annotations = _deployment.Metadata.Annotations;
        }

        // The revision annotation goes on the Deployment before its status, as the real controller writes it.
        var updated = KubeObjects.Clone(_original);
        updated.Metadata.Annotations = _deployment.Metadata.Annotations;
        var firstStatus = _writes.FindIndex(write => write is UpdateStatus);
        var write = new UpdateObject(BuiltinResources.Deployments, updated);
        if (firstStatus < 0)
        {
            _writes.Add(write);
        }
        else
        {
            _writes.Insert(firstStatus, write);
        }

        return _writes;
    }

    private void Event(string type, string reason, string message) =>
        _writes.Add(new RecordEvent(new EventSpec(
            KubeObjects.Reference("apps/v1", "Deployment", _deployment.Metadata), type, reason, message, Component, null, _now)));

    private static List<V1ReplicaSet> All(V1ReplicaSet? newRs, IEnumerable<V1ReplicaSet> oldRss) =>
        newRs is null ? [.. oldRss] : [.. oldRss, newRs];
}
