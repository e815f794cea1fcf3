using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Operator.Controllers;
using k8s;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// A RemediationPolicy wakes detection for its namespace's Deployments only when its spec changes (a new generation):
/// its status is rewritten whenever its incidents move, and metadata edits (annotations, labels from GitOps tools)
/// govern nothing, so neither may cost a reconcile of every Deployment.
/// </summary>
public sealed class PolicyWatchTests
{
    private const int Deployments = 6;
    private const int MetadataEdits = 10;

    [Fact]
    public async Task Only_a_spec_change_of_the_policy_requeues_its_namespaces_deployments()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        var names = Enumerable.Range(0, Deployments).Select(i => $"app{i}").ToList();
        foreach (var name in names)
        {
            (await cluster.Kubectl.RunAsync("create", "deployment", name, "--image=nginx:1.25", "--replicas=1")).ShouldSucceed();
        }

        foreach (var name in names)
        {
            (await cluster.Kubectl.RunAsync("rollout", "status", $"deployment/{name}", "--timeout=60s")).ShouldSucceed();
        }

        // No polling of unsettled Deployments in this test: every detection add comes from a watch event.
        var running = cluster.StartOperator(OperatorCluster.FastOptions()
            .Configure<RolloutDetectionFeature>(f => f with { Options = f.Options with { PollInterval = TimeSpan.FromHours(1) } }));
        var adds = running.Instance.Metrics.QueueAdds.WithLabels("rollout-detection", "rollout-detection");
        // The operator records on each ReplicaSet when it first saw it fully Available (last-known-good evidence that
        // survives a restart); those writes wake detection once more and belong to the initial sync.
        await Eventually.TrueAsync(async () => (await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync(OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken))
            .Items.All(rs => rs.Metadata.Annotations?.ContainsKey(Api.V1Alpha1.WellKnown.AvailableSinceAnnotation) == true), "every ReplicaSet's available-since evidence recorded");
        await QuietAsync(() => adds.Value, "the detection queue quiet after the initial sync");
        var before = adds.Value;

        for (var i = 0; i < MetadataEdits; i++)
        {
            (await cluster.Kubectl.RunAsync("annotate", "remediationpolicy", Manifests.PolicyName, $"example.com/edit={i}", "--overwrite")).ShouldSucceed();
        }

        // A spec change afterwards is the barrier: once its adds are in, every earlier edit has been seen too.
        (await cluster.Kubectl.RunAsync("patch", "remediationpolicy", Manifests.PolicyName, "--type=merge", "-p", """{"spec":{"detection":{"holdFor":"2s"}}}""")).ShouldSucceed();
        await Eventually.TrueAsync(() => adds.Value >= before + Deployments, "the spec change requeueing every Deployment");
        await QuietAsync(() => adds.Value, "the detection queue quiet after the spec change");

        var added = adds.Value - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"detection adds after {MetadataEdits} metadata edits and one spec change: {added}");
        Assert.True(added < 2 * Deployments, $"{added} detection adds: metadata or status edits of the policy requeued Deployments (one spec change accounts for {Deployments})");
    }

    /// <summary>Polls until the value has not moved over five consecutive looks.</summary>
    private static Task QuietAsync(Func<double> value, string what)
    {
        var last = double.NaN;
        var unchanged = 0;
        return Eventually.TrueAsync(() =>
        {
            var now = value();
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
            return unchanged >= 5;
        }, what);
    }
}
