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
    public async Task A_stale_object_is_read_again_so_a_concurrent_change_is_kept_and_ours_is_added()
    {
        var stale = (await _client.GetAsync("ns", "x", TestContext.Current.CancellationToken))!;
        _client.ChangeElsewhere(m => m.Metadata.Finalizers.Add("third"));

        var updated = await new Finalizers<V1ConfigMap>(_client).EnsureAsync(stale, Finalizer, TestContext.Current.CancellationToken);

        Assert.Equal(["other", "third", Finalizer], _client.Stored.Metadata.Finalizers);
        Assert.Equal(["other", "third", Finalizer], updated!.Metadata.Finalizers);
        Assert.Equal(2, _client.Patches.Count); // the stale one refused, then one from the fresh read
    }

    [Fact]
    public async Task After_a_conflict_a_finalizer_someone_else_already_removed_needs_no_second_write()
    {
        var finalizers = new Finalizers<V1ConfigMap>(_client);
        var withOurs = (await finalizers.EnsureAsync(_client.Stored, Finalizer, TestContext.Current.CancellationToken))!;
        _client.ChangeElsewhere(m => m.Metadata.Finalizers.Remove(Finalizer));

        Assert.Null(await finalizers.RemoveAsync(withOurs, Finalizer, TestContext.Current.CancellationToken));
        Assert.Equal(["other"], _client.Stored.Metadata.Finalizers);
    }

    [Fact]
    public async Task An_object_deleted_during_a_conflict_leaves_nothing_to_do()
    {
        _client.PatchConflictsToInject = 1;
        _client.Deleted = true;

        Assert.Null(await new Finalizers<V1ConfigMap>(_client).EnsureAsync(_client.Stored, Finalizer, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Conflicts_that_keep_coming_go_back_to_the_reconcile_after_a_few_tries()
    {
        _client.PatchConflictsToInject = 100;

        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            new Finalizers<V1ConfigMap>(_client, maxConflictRetries: 3).EnsureAsync(_client.Stored, Finalizer, TestContext.Current.CancellationToken));
        Assert.Equal(100 - 4, _client.PatchConflictsToInject); // the first try and three more
        Assert.Equal(["other"], _client.Stored.Metadata.Finalizers);
    }
}
