using System.Globalization;
using IncidentResponder.Runtime.Metrics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace IncidentResponder.Runtime.Informers;

/// <summary>
/// client-go's reflector + informer for one kind: paged LIST into a <see cref="Store{T}"/>, then WATCH from the list's
/// resourceVersion with bookmarks and a randomised server timeout, resuming from the last seen resourceVersion.
/// 410 Expired → relist and diff (vanished objects are delivered as deletes). A watchdog replaces a watch that has
/// been silent longer than <see cref="InformerOptions.StallTimeout"/>. Failures back off with jitter up to a cap.
/// Objects are stored as projections (<typeparamref name="TCached"/>), never as the full <typeparamref name="TSource"/>.
/// </summary>
public sealed class Informer<TSource, TCached> : IInformer<TCached>, IRunnableInformer
    where TSource : IKubernetesObject<V1ObjectMeta>
    where TCached : class, ICachedObject
{
    private static readonly TimeSpan VeryShortWatch = TimeSpan.FromSeconds(1);
    private readonly IListWatchSource<TSource> _source;
    private readonly Func<TSource, TCached> _project;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Store<TCached> _store = new();
    private readonly Lock _dispatchGate = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Random _random;
    private readonly RuntimeMetrics _metrics;
    private readonly Gauge.Child _storeObjects;
    private IInformerEventHandler<TCached>[] _handlers = [];
    private long _lastEventTimestamp;

    public Informer(
        IListWatchSource<TSource> source,
        Func<TSource, TCached> project,
        InformerOptions options,
        RuntimeMetrics metrics,
        ILogger logger,
        TimeProvider timeProvider,
        Random? random = null)
    {
        _source = source;
        _project = project;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _timeProvider = timeProvider;
        _random = random ?? Random.Shared;
        _storeObjects = metrics.StoreObjects.WithLabels(source.Resource);
    }

    public string Resource => _source.Resource;

    public IReadOnlyStore<TCached> Store => _store;

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the next watch resumes from (advanced by events and bookmarks).</summary>
    public string? LastResourceVersion { get; private set; }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public void AddIndexer(string name, Func<TCached, IEnumerable<string>> indexFunc) => _store.AddIndexer(name, indexFunc);

    public IDisposable AddEventHandler(IInformerEventHandler<TCached> handler)
    {
        lock (_dispatchGate)
        {
            foreach (var existing in _store.List())
            {
                handler.OnAdd(existing, true);
            }

            _handlers = [.. _handlers, handler];
        }

        return new Unsubscriber(() =>
        {
            lock (_dispatchGate)
            {
                _handlers = [.. _handlers.Where(h => !ReferenceEquals(h, handler))];
            }
        });
    }

    /// <summary>Lists and watches until cancelled. Never gives up: every failure ends in a retry after backoff.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(_options.InitialBackoff, _options.MaxBackoff, _options.BackoffJitter, _random);
        var listReason = "initial";
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (listReason is not null)
                {
                    await ListAndReplaceAsync(listReason, cancellationToken).ConfigureAwait(false);
                    listReason = null;
                }

                var watchStarted = _timeProvider.GetTimestamp();
                var (reason, sawEvents, failure) = await WatchOnceAsync(cancellationToken).ConfigureAwait(false);
                if (sawEvents)
                {
                    backoff.Reset();
                }

                // client-go's "very short watch": a server that keeps closing at once must not be hammered.
                var veryShort = reason == WatchEndReason.Closed && !sawEvents && _timeProvider.GetElapsedTime(watchStarted) < VeryShortWatch;
                var delay = reason == WatchEndReason.Error || veryShort ? backoff.Next() : TimeSpan.Zero;
                var pause = delay > TimeSpan.Zero ? Task.Delay(delay, _timeProvider, cancellationToken) : Task.CompletedTask;
                if (failure is not null)
                {
                    LogFailure(failure, watch: true, delay);
                }

                // Counted once the pause is scheduled, so whoever sees the count (a test on a fake clock) can advance time.
                _metrics.WatchRestarts.WithLabels(Resource, reason.ToString().ToLowerInvariant()).Inc();
                if (reason == WatchEndReason.Expired)
                {
                    _logger.LogInformation("Watch of {Resource} expired at resourceVersion {ResourceVersion}; relisting", Resource, LastResourceVersion);
                    listReason = "expired";
                }
                else if (reason == WatchEndReason.Stalled)
                {
                    _logger.LogWarning("Watch of {Resource} silent for more than {StallTimeout}; replacing it", Resource, _options.StallTimeout);
                }

                await pause.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // LIST failed: keep the old store (stale beats empty) and try again later.
                var delay = backoff.Next();
                var pause = Task.Delay(delay, _timeProvider, cancellationToken);
                _metrics.WatchRestarts.WithLabels(Resource, "list_error").Inc();
                LogFailure(error, watch: false, delay);
                listReason ??= "error";
                try
                {
                    await pause.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListAndReplaceAsync(string reason, CancellationToken cancellationToken)
    {
        var items = new List<TCached>();
        string? resourceVersion = null;
        string? continueToken = null;
        do
        {
            var page = await _source.ListAsync(new ListRequest(_options.LabelSelector, _options.FieldSelector, _options.PageSize, continueToken), cancellationToken).ConfigureAwait(false);
            resourceVersion ??= page.ResourceVersion;
            foreach (var item in page.Items)
            {
                items.Add(_project(item));
            }

            continueToken = string.IsNullOrEmpty(page.Continue) ? null : page.Continue;
        }
        while (continueToken is not null);

        _metrics.Relists.WithLabels(Resource, reason).Inc();
        var initial = !HasSynced;
        lock (_dispatchGate)
        {
            var diff = _store.Replace(items);
            LastResourceVersion = resourceVersion ?? string.Empty;
            _storeObjects.Set(_store.Count);
            foreach (var added in diff.Added)
            {
                Dispatch(h => h.OnAdd(added, initial));
            }

            foreach (var (oldObj, newObj) in diff.Updated)
            {
                Dispatch(h => h.OnUpdate(oldObj, newObj));
            }

            foreach (var deleted in diff.Deleted)
            {
                Dispatch(h => h.OnDelete(deleted));
            }
        }

        _logger.LogInformation("Listed {Count} {Resource} at resourceVersion {ResourceVersion} ({Reason})", items.Count, Resource, LastResourceVersion, reason);
        _synced.TrySetResult();
    }

    /// <summary>
    /// A failed LIST or WATCH as one warning line: the backoff, the exception's type and message. An unreachable API
    /// server fails every request the same way, and a stack trace per retry buries everything else in the log; the
    /// trace stays available at Debug.
    /// </summary>
    private void LogFailure(Exception error, bool watch, TimeSpan delay)
    {
        var retry = string.Create(CultureInfo.InvariantCulture, $"{delay.TotalSeconds:0.0}s");
        var type = error.GetType().Name;
        var message = error.Message.ReplaceLineEndings(" ");
        if (watch)
        {
            _logger.LogWarning("Watch of {Resource} failed at resourceVersion {ResourceVersion}; retrying in {Delay} ({ErrorType}: {Error})",
                Resource, LastResourceVersion, retry, type, message);
        }
        else
        {
            _logger.LogWarning("LIST of {Resource} failed; retrying in {Delay} ({ErrorType}: {Error})", Resource, retry, type, message);
        }

        _logger.LogDebug(error, "{Request} of {Resource} failed", watch ? "Watch" : "LIST", Resource);
    }

    private async Task<(WatchEndReason Reason, bool SawEvents, Exception? Failure)> WatchOnceAsync(CancellationToken cancellationToken)
    {
        using var watchCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stalled = false;
        var sawEvents = false;
        Interlocked.Exchange(ref _lastEventTimestamp, _timeProvider.GetTimestamp());
        var checkEvery = _options.StallTimeout / 4;
        using var watchdog = _timeProvider.CreateTimer(
            _ =>
            {
                if (_timeProvider.GetElapsedTime(Interlocked.Read(ref _lastEventTimestamp)) > _options.StallTimeout)
                {
                    stalled = true;
                    watchCts.Cancel();
                }
            },
            null,
            checkEvery,
            checkEvery);

        var minTimeout = _options.MinWatchTimeout.TotalSeconds;
        var timeoutSeconds = (int)(minTimeout * (1 + _random.NextDouble()));
        var request = new WatchRequest(LastResourceVersion ?? string.Empty, _options.LabelSelector, _options.FieldSelector, Math.Max(1, timeoutSeconds));
        try
        {
            await foreach (var (type, obj) in _source.WatchAsync(request, WatchStreamException.Rethrow, watchCts.Token).ConfigureAwait(false))
            {
                Interlocked.Exchange(ref _lastEventTimestamp, _timeProvider.GetTimestamp());
                sawEvents = true;
                Apply(type, obj);
            }

            return (WatchEndReason.Closed, sawEvents, null);
        }
        catch (OperationCanceledException) when (stalled && !cancellationToken.IsCancellationRequested)
        {
            return (WatchEndReason.Stalled, sawEvents, null);
        }
        catch (Exception error) when (WatchStreamException.IsExpired(error))
        {
            return (WatchEndReason.Expired, sawEvents, null);
        }
        catch (Exception error) when (WatchStreamException.IsEmptyClose(error) && !cancellationToken.IsCancellationRequested)
        {
            return (WatchEndReason.Closed, sawEvents, null);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            return (WatchEndReason.Error, sawEvents, error);
        }
    }

    private void Apply(WatchEventType type, TSource obj)
    {
        var resourceVersion = obj.Metadata?.ResourceVersion;
        if (type == WatchEventType.Bookmark)
        {
            LastResourceVersion = resourceVersion ?? LastResourceVersion;
            return;
        }

        var projected = _project(obj);
        lock (_dispatchGate)
        {
            switch (type)
            {
                case WatchEventType.Added:
                case WatchEventType.Modified:
                    var old = _store.Upsert(projected);
                    if (old is null)
                    {
                        Dispatch(h => h.OnAdd(projected, false));
                    }
                    else
                    {
                        Dispatch(h => h.OnUpdate(old, projected));
                    }

                    break;
                case WatchEventType.Deleted:
                    var removed = _store.Remove(ObjectKey.Of(projected));
                    Dispatch(h => h.OnDelete(removed ?? projected));
                    break;
            }

            LastResourceVersion = resourceVersion ?? LastResourceVersion;
            _storeObjects.Set(_store.Count);
        }
    }

    private void Dispatch(Action<IInformerEventHandler<TCached>> action)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                action(handler);
            }
            catch (Exception error)
            {
                // One faulty handler must not stop the cache or the other handlers.
                _logger.LogError(error, "Event handler for {Resource} threw", Resource);
            }
        }
    }

    private sealed class Unsubscriber(Action unsubscribe) : IDisposable
    {
        public void Dispose() => unsubscribe();
    }
}
