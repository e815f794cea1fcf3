using IncidentResponder.Simulator.Chaos;
using IncidentResponder.Simulator.Storage;
using IncidentResponder.Simulator.Tables;
using Microsoft.AspNetCore.Http;

namespace IncidentResponder.Simulator.Http;

/// <summary>
/// Maps every request path to discovery, OpenAPI or a resource verb, applies injected faults, answers errors as
/// Status objects, and records the audit log.
/// </summary>
internal sealed class ApiRouter
{
    private readonly ClusterStore _store;
    private readonly SimulatorOptions _options;
    private readonly SimulatorHooks _hooks;
    private readonly DiscoveryEndpoints _discovery;
    private readonly OpenApiEndpoints _openApi;
    private readonly ResourceEndpoints _resources;
    private readonly WatchEndpoint _watch;
    private readonly ServiceProxy _serviceProxy;
    private readonly ChaosInjector? _chaos;

    public ApiRouter(ClusterStore store, SimulatorOptions options, SimulatorHooks hooks, ChaosInjector? chaos)
    {
        _store = store;
        _options = options;
        _hooks = hooks;
        var tables = new TableConverter(options.Time);
        _discovery = new DiscoveryEndpoints(store.Registry, options);
        _openApi = new OpenApiEndpoints(store.Registry, options);
        _resources = new ResourceEndpoints(store, options, tables);
        _watch = new WatchEndpoint(store, options, tables);
        _serviceProxy = new ServiceProxy(store, options);
        _chaos = chaos;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = context.Request.Method;
        ResourceRequest? request = null;
        var reset = false;
        // A service proxy request is not a resource request, but RBAC authorizes it as one (services/proxy get): the
        // audit log records it that way, so least-privilege checks see it.
        (string Namespace, string Target)? proxied = null;
        var group = string.Empty;
        var version = string.Empty;
        // A request for a resource that is answered, never stored (SelfSubjectReview): audited as the verb RBAC checks.
        string? unstored = null;
        try
        {
            switch (segments)
            {
                case []:
                    await HttpIo.WriteJsonAsync(context, 200, new System.Text.Json.Nodes.JsonObject { ["paths"] = new System.Text.Json.Nodes.JsonArray("/api", "/apis", "/openapi/v3", "/version", "/healthz") }).ConfigureAwait(false);
                    return;
                case ["version"]:
                    await _discovery.VersionAsync(context).ConfigureAwait(false);
                    return;
                case ["healthz" or "livez" or "readyz", ..]:
                    context.Response.ContentType = "text/plain";
                    await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
                    return;
                case ["api"]:
                    await _discovery.ApiVersionsAsync(context).ConfigureAwait(false);
                    return;
                case ["apis"]:
                    await _discovery.GroupListAsync(context).ConfigureAwait(false);
                    return;
                case ["api", var v]:
                    await _discovery.ResourceListAsync(context, string.Empty, v).ConfigureAwait(false);
                    return;
                case ["apis", var g]:
                    await _discovery.GroupAsync(context, g).ConfigureAwait(false);
                    return;
                case ["apis", var g, var v]:
                    await _discovery.ResourceListAsync(context, g, v).ConfigureAwait(false);
                    return;
                case ["openapi", "v3"]:
                    await _openApi.IndexAsync(context).ConfigureAwait(false);
                    return;
                case ["openapi", "v3", "api", var v]:
                    await _openApi.DocumentAsync(context, string.Empty, v).ConfigureAwait(false);
                    return;
                case ["openapi", "v3", "apis", var g, var v]:
                    await _openApi.DocumentAsync(context, g, v).ConfigureAwait(false);
                    return;
                case ["api", "v1", "namespaces", var ns, "services", var target, "proxy", ..]:
                    proxied = (ns, target);
                    await _serviceProxy.HandleAsync(context, ns, target).ConfigureAwait(false);
                    return;
                case ["apis", SelfSubjectReviewEndpoint.Group, SelfSubjectReviewEndpoint.Version, SelfSubjectReviewEndpoint.Resource]:
                    (group, version, unstored) = (SelfSubjectReviewEndpoint.Group, SelfSubjectReviewEndpoint.Version, SelfSubjectReviewEndpoint.Resource);
                    await SelfSubjectReviewEndpoint.HandleAsync(context, UserOf(context.Request), _options).ConfigureAwait(false);
                    return;
                case ["api", var v, .. var rest]:
                    version = v;
                    request = ResourceRequest.Parse(_store.Registry, method, HttpIo.QueryFlag(context, "watch"), string.Empty, v, rest);
                    break;
                case ["apis", var g, var v, .. var rest]:
                    group = g;
                    version = v;
                    request = ResourceRequest.Parse(_store.Registry, method, HttpIo.QueryFlag(context, "watch"), g, v, rest);
                    break;
            }

            if (request is null)
            {
                throw new StoreException(404, "NotFound", "the server could not find the requested resource") { Details = new System.Text.Json.Nodes.JsonObject() };
            }

            if (_chaos is not null && !ChaosInjector.IsExempt(context.Request)
                && await _chaos.ApplyAsync(context, request.Verb, _options.Time).ConfigureAwait(false) is { } chaos)
            {
                if (ChaosInjector.WasReset(chaos))
                {
                    reset = true;
                    return;
                }

                await ApplyFaultAsync(context, chaos, request).ConfigureAwait(false);
            }

            if (_hooks.MatchFault(request.Verb, group, request.Definition.Type.Resource, request.Subresource, request.Namespace, request.Name) is { } fault)
            {
                await ApplyFaultAsync(context, fault, request).ConfigureAwait(false);
            }

            await DispatchAsync(context, request).ConfigureAwait(false);
        }
        catch (StoreException error) when (!context.Response.HasStarted)
        {
            await HttpIo.WriteErrorAsync(context, error).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            _hooks.Record(new AuditRecord(
                _options.Time.GetUtcNow(), request?.Verb ?? (unstored is null ? method.ToLowerInvariant() : "create"), group, proxied is null ? version : "v1",
                request?.Definition.Type.Resource ?? unstored ?? (proxied is null ? null : "services"), request?.Subresource ?? (proxied is null ? null : "proxy"),
                request?.Namespace ?? proxied?.Namespace, request?.Name ?? proxied?.Target,
                context.Request.Headers.UserAgent.ToString(), reset ? AuditRecord.ConnectionReset : context.Response.StatusCode,
                context.Request.Path + context.Request.QueryString,
                UserOf(context.Request)));
        }
    }

    /// <summary>
    /// The user a request acts as: the one it impersonates (<c>kubectl --as</c>; the simulator lets everyone, as an
    /// admin may), else the one its listed bearer token stands for; null for an unlisted or missing token. kubectl
    /// sends no token over plain HTTP, so impersonation is how a kubectl command names its user here.
    /// </summary>
    private string? UserOf(HttpRequest request) =>
        request.Headers["Impersonate-User"].ToString() is { Length: > 0 } impersonated ? impersonated
        : request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
          && _options.Users.TryGetValue(header["Bearer ".Length..].Trim(), out var user)
            ? user
            : null;

    private async Task ApplyFaultAsync(HttpContext context, FaultRule fault, ResourceRequest request)
    {
        if (fault.Latency > TimeSpan.Zero)
        {
            await Task.Delay(fault.Latency, _options.Time, context.RequestAborted).ConfigureAwait(false);
        }

        if (fault.StatusCode is { } code)
        {
            throw InjectedError(fault, code, request);
        }
    }

    private Task DispatchAsync(HttpContext context, ResourceRequest request)
    {
        var definition = request.Definition;
        return (request.Subresource, request.Verb) switch
        {
            (null, "get") => _resources.GetAsync(context, request),
            (null, "list") => _resources.ListAsync(context, request),
            (null, "watch") => _watch.WatchAsync(context, request),
            (null, "create") when request.Name is null => _resources.CreateAsync(context, request),
            (null, "update") => _resources.UpdateAsync(context, request),
            (null, "patch") => _resources.PatchAsync(context, request),
            (null, "delete") => _resources.DeleteAsync(context, request),
            (null, "deletecollection") => _resources.DeleteCollectionAsync(context, request),
            ("status", "get") when definition.HasStatus => _resources.GetAsync(context, request),
            ("status", "update") when definition.HasStatus => _resources.UpdateAsync(context, request),
            ("status", "patch") when definition.HasStatus => _resources.PatchAsync(context, request),
            ("scale", "get") when definition.HasScale => _resources.GetScaleAsync(context, request),
            ("scale", "update") when definition.HasScale => _resources.UpdateScaleAsync(context, request),
            ("scale", "patch") when definition.HasScale => _resources.PatchAsync(context, request),
            ("log", "get") when definition.ExtraSubresources.Contains("log") => _resources.GetLogAsync(context, request),
            (null or "status" or "scale" or "log", _) when request.Subresource is null || IsKnownSubresource(definition, request.Subresource) =>
                throw ApiErrors.MethodNotAllowed($"the server does not allow this method on the requested resource"),
            _ => throw new StoreException(404, "NotFound", "the server could not find the requested resource") { Details = new System.Text.Json.Nodes.JsonObject() },
        };
    }

    private static bool IsKnownSubresource(ResourceDefinition definition, string subresource) =>
        (subresource == "status" && definition.HasStatus) || (subresource == "scale" && definition.HasScale) || definition.ExtraSubresources.Contains(subresource);

    private static StoreException InjectedError(FaultRule fault, int code, ResourceRequest request)
    {
        var reason = fault.Reason ?? code switch
        {
            409 => "Conflict",
            429 => "TooManyRequests",
            500 => "InternalError",
            503 => "ServiceUnavailable",
            504 => "Timeout",
            _ => "Unknown",
        };
        var message = fault.Message ?? code switch
        {
            409 => $"Operation cannot be fulfilled on {request.Definition.QualifiedResource} \"{request.Name}\": {ApiErrors.OptimisticLockMessage}",
            429 => "Too many requests, please try again later.",
            503 => "the server is currently unable to handle the request",
            _ => "Internal error occurred: injected fault",
        };
        var details = new System.Text.Json.Nodes.JsonObject();
        if (request.Name is not null)
        {
            details["name"] = request.Name;
        }

        if (request.Definition.Type.Group.Length > 0)
        {
            details["group"] = request.Definition.Type.Group;
        }

        details["kind"] = request.Definition.Type.Resource;
        if (fault.RetryAfterSeconds is { } retry)
        {
            details["retryAfterSeconds"] = retry;
        }

        return new StoreException(code, reason, message) { Details = details, RetryAfterSeconds = fault.RetryAfterSeconds };
    }
}
