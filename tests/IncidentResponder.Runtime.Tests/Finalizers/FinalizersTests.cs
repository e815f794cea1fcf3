using IncidentResponder.Runtime.Finalizers;
using IncidentResponder.Runtime.Tests.Status;
using k8s.Models;

namespace IncidentResponder.Runtime.Tests.Finalizers;

public sealed class FinalizersTests
{
    private const string Finalizer = "example.com/cleanup";

    private readonly FakeResourceClient<V1ConfigMap> _client = new(new V1ConfigMap
    {
        Metadata = new V1ObjectMeta { Name = "x", NamespaceProperty = "ns", ResourceVersion = "1", Finalizers = ["other"] },
    });

    [Fact]
    public async Task Ensure_adds_once_and_keeps_other_finalizers()
    {
        var finalizers = new Finalizers<V1ConfigMap>(_client);

        var updated = await finalizers.EnsureAsync(_client.Stored, Finalizer, TestContext.Current.CancellationToken);
        var again = await finalizers.EnsureAsync(updated!, Finalizer, TestContext.Current.CancellationToken);

        Assert.Equal(["other", Finalizer], _client.Stored.Metadata.Finalizers);
        Assert.Null(again);
        Assert.Single(_client.Patches);
    }

    [Fact]
    public async Task Remove_takes_out_only_ours_and_removing_the_last_one_clears_the_list()
    {
        var finalizers = new Finalizers<V1ConfigMap>(_client);
        var withOurs = await finalizers.EnsureAsync(_client.Stored, Finalizer, TestContext.Current.CancellationToken);

        var removed = await finalizers.RemoveAsync(withOurs!, Finalizer, TestContext.Current.CancellationToken);
        Assert.Equal(["other"], removed!.Metadata.Finalizers);

        var cleared = await finalizers.RemoveAsync(removed, "other", TestContext.Current.CancellationToken);
        Assert.Null(cleared!.Metadata.Finalizers);
    }

    [Fact]
    public async Task A_stale_object_conflicts_instead_of_overwriting_a_concurrent_change()
    {
        var stale = (await _client.GetAsync("ns", "x", TestContext.Current.CancellationToken))!;
        _client.ChangeElsewhere(m => m.Metadata.Finalizers.Add("third"));

        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            new Finalizers<V1ConfigMap>(_client).EnsureAsync(stale, Finalizer, TestContext.Current.CancellationToken));
        Assert.Equal(["other", "third"], _client.Stored.Metadata.Finalizers);
    }
}
