using IncidentResponder.Runtime.Status;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentResponder.Runtime.Tests.Status;

public sealed class StatusWriterTests
{
    private readonly FakeResourceClient<V1Deployment> _client = new(new V1Deployment
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns", ResourceVersion = "10", Generation = 2 },
        Status = new V1DeploymentStatus { Replicas = 3, ReadyReplicas = 1 },
    });

    private StatusWriter<V1Deployment> Writer => new(_client, NullLogger.Instance);

    [Fact]
    public async Task An_unchanged_status_makes_no_call()
    {
        var result = await Writer.UpdateAsync(_client.Stored, d => d.Status.Replicas = 3, TestContext.Current.CancellationToken);

        Assert.False(result.Patched);
        Assert.Empty(_client.Patches);
    }

    [Fact]
    public async Task Only_the_changed_fields_are_sent_with_the_resource_version()
    {
        var result = await Writer.UpdateAsync(_client.Stored, d => { d.Status.ReadyReplicas = 3; d.Status.ObservedGeneration = 2; }, TestContext.Current.CancellationToken);

        Assert.True(result.Patched);
        Assert.Equal("""{"status":{"observedGeneration":2,"readyReplicas":3},"metadata":{"resourceVersion":"10"}}""", Assert.Single(_client.Patches));
        Assert.Equal(3, _client.Stored.Status.ReadyReplicas);
    }

    [Fact]
    public async Task A_conflict_re_reads_and_applies_the_change_to_the_fresh_object()
    {
        var stale = (await _client.GetAsync("ns", "x", TestContext.Current.CancellationToken))!;
        _client.ChangeElsewhere(d => d.Status.Replicas = 5);

        var result = await Writer.UpdateAsync(stale, d => d.Status.ReadyReplicas = 2, TestContext.Current.CancellationToken);

        Assert.True(result.Patched);
        Assert.Equal(1, result.Conflicts);
        Assert.Equal((5, 2), (_client.Stored.Status.Replicas!.Value, _client.Stored.Status.ReadyReplicas!.Value));
    }

    [Fact]
    public async Task Conflicts_past_the_retry_limit_surface_to_the_caller()
    {
        _client.StatusConflictsToInject = 10;

        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            new StatusWriter<V1Deployment>(_client, NullLogger.Instance, maxConflictRetries: 3)
                .UpdateAsync(_client.Stored, d => d.Status.ReadyReplicas = 2, TestContext.Current.CancellationToken));
    }
}
