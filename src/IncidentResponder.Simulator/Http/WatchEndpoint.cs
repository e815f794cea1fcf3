using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Chaos;
using IncidentResponder.Simulator.Storage;
using IncidentResponder.Simulator.Tables;
using Microsoft.AspNetCore.Http;

namespace IncidentResponder.Simulator.Http;

/// <summary>
/// <c>?watch=true</c>: a chunked stream of newline-terminated <c>{"type","object"}</c> frames. Frames are shared bytes
/// from the store (no per-watcher JSON), except for Table watches (kubectl get -w) and view resources.
/// </summary>
internal sealed class WatchEndpoint(ClusterStore store, SimulatorOptions options, TableConverter tables)
{
    public async Task WatchAsync(HttpContext context, ResourceRequest request)
    {
        ResourceEndpoints.ValidateListOptions(context, watch: true);
        var (labels, fields) = ResourceEndpoints.Selectors(context, request);
        var resourceVersion = HttpIo.Query(context, "resourceVersion");
        var bookmarks = HttpIo.QueryFlag(context, "allowWatchBookmarks");
        var sendInitialEvents = HttpIo.QueryFlag(context, "sendInitialEvents");
        if (sendInitialEvents)
        {
            // Streaming list: the initial state is always sent, whatever resourceVersion says ("NotOlderThan").
            resourceVersion = null;
        }

        var table = TableRequest.From(context);
        var storageType = request.Definition.StorageType ?? request.Definition.Type;
        StoreWatcher watcher;
        try
        {
            watcher = store.Watch(storageType, request.Namespace, labels, fields, resourceVersion);
        }
        catch (StoreException error) when (error.Code == 410 && !options.ExpiredWatchAsHttpStatus)
        {
            await StartStreamAsync(context).ConfigureAwait(false);
            await WriteFrameAsync(context, ErrorFrame(error)).ConfigureAwait(false);
            return;
        }

        using var _ = watcher;
        var timeout = long.TryParse(HttpIo.Query(context, "timeoutSeconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(30 + Random.Shared.Next(30));
        using var timedOut = new CancellationTokenSource(timeout, options.Time);
        // Chaos may close this watch early, cleanly, as a server-side timeout would (ChaosOptions.WatchDropWithin).
        using var dropped = new CancellationTokenSource(
            context.Items[ChaosInjector.WatchDropKey] is TimeSpan drop ? drop : Timeout.InfiniteTimeSpan, options.Time);
        var compacted = context.Items[ChaosInjector.CompactionKey] is CancellationToken compaction ? compaction : CancellationToken.None;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource([timedOut.Token, context.RequestAborted, watcher.Closed, dropped.Token, compacted]);

        await StartStreamAsync(context).ConfigureAwait(false);
        var first = true;
        try
        {
            foreach (var delivery in watcher.InitialEvents)
            {
                await context.Response.Body.WriteAsync(Frame(request.Definition, delivery, table, ref first), stop.Token).ConfigureAwait(false);
            }

            if (sendInitialEvents && bookmarks)
            {
                await context.Response.Body.WriteAsync(BookmarkFrame(request.Definition, watcher.StartResourceVersion, initialEventsEnd: true), stop.Token).ConfigureAwait(false);
            }

            await context.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            while (!stop.IsCancellationRequested)
            {
                while (watcher.Reader.TryRead(out var delivery))
                {
                    watcher.MarkDequeued();
                    await context.Response.Body.WriteAsync(Frame(request.Definition, delivery, table, ref first), stop.Token).ConfigureAwait(false);
                }

                await context.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
                using var idle = bookmarks ? new CancellationTokenSource(options.BookmarkInterval, options.Time) : null;
                using var wait = idle is null ? null : CancellationTokenSource.CreateLinkedTokenSource(stop.Token, idle.Token);
                try
                {
                    if (!await watcher.Reader.WaitToReadAsync(wait?.Token ?? stop.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (idle?.IsCancellationRequested == true && !stop.IsCancellationRequested)
                {
                    await WriteBookmarkAsync(context, request.Definition, watcher, stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Timeout, client gone, or the server closed the watch: end the stream.
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (watcher.PendingError is { } pending)
        {
            await WriteFrameAsync(context, ErrorFrame(pending)).ConfigureAwait(false);
        }
        else if (compacted.IsCancellationRequested)
        {
            var expired = ApiErrors.Expired($"too old resource version: {watcher.StartResourceVersion} ({store.CompactedThrough})");
            await WriteFrameAsync(context, ErrorFrame(expired)).ConfigureAwait(false);
        }
        else if (timedOut.IsCancellationRequested && bookmarks && !watcher.Stalled)
        {
            // kube-apiserver tries to send a last bookmark before it closes a watch at its timeout.
            await WriteBookmarkAsync(context, request.Definition, watcher, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private byte[] Frame(ResourceDefinition definition, WatchDelivery delivery, TableRequest? table, ref bool first)
    {
        if (table is null && definition.StorageType is null)
        {
            return delivery.Event.Frame(delivery.Type);
        }

        var obj = EventViews.FromStorage(definition, delivery.Event.Object.ToJsonObject());
        JsonNode payload = table is null
            ? obj
            : tables.Convert(definition, [obj], table, delivery.Event.ResourceVersion.ToString(CultureInfo.InvariantCulture), null, noHeaders: !first);
        first = false;
        var frame = new JsonObject { ["type"] = delivery.Type.ToString().ToUpperInvariant(), ["object"] = payload };
        return Line(frame);
    }

    private async Task WriteBookmarkAsync(HttpContext context, ResourceDefinition definition, StoreWatcher watcher, CancellationToken token)
    {
        // Only when nothing is queued: a bookmark must never overtake an event with a lower resourceVersion.
        if (!watcher.Stalled && store.BookmarkVersion(watcher) is { } version)
        {
            await context.Response.Body.WriteAsync(BookmarkFrame(definition, version, initialEventsEnd: false), token).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(token).ConfigureAwait(false);
        }
    }

    private static byte[] BookmarkFrame(ResourceDefinition definition, long resourceVersion, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return Line(new JsonObject
        {
            ["type"] = "BOOKMARK",
            ["object"] = new JsonObject { ["kind"] = definition.Type.Kind, ["apiVersion"] = definition.Type.ApiVersion, ["metadata"] = metadata },
        });
    }

    private static byte[] ErrorFrame(StoreException error) => Line(new JsonObject { ["type"] = "ERROR", ["object"] = ApiErrors.ToStatus(error) });

    private static byte[] Line(JsonNode node)
    {
        var json = ObjectSerializer.ToBytes(node);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    private static async Task StartStreamAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = HttpIo.Json;
        context.Response.Headers["Cache-Control"] = "no-cache, private";
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteFrameAsync(HttpContext context, byte[] frame)
    {
        await context.Response.Body.WriteAsync(frame, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

}
