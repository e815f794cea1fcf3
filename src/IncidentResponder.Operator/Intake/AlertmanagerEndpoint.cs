using System.Net.Http.Headers;
using IncidentResponder.Runtime.Metrics;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Intake;

/// <summary>
/// <c>POST /api/alertmanager</c> on its own address (--webhook-bind-address): Alertmanager's webhook_config url, with
/// <c>http_config.authorization.credentials</c> set to the token in the Secret. Checks in the order that reveals
/// least to a stranger: the token (401), the content type (415), the size (413), then the notification (400).
/// The same listener serves Slack's interactivity requests at <see cref="SlackInteractionHandler.Path"/>.
/// </summary>
public sealed class AlertmanagerEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AlertmanagerEndpoint(WebApplication app, Uri address, WebhookToken token)
    {
        _app = app;
        Address = address;
        Token = token;
    }

    /// <summary>Where the endpoint listens (loopback when bound to every interface).</summary>
    public Uri Address { get; }

    public WebhookToken Token { get; }

    /// <summary>For /readyz (also as <see cref="AlertmanagerIntakeOptions.Health"/>): the token Secret was read.</summary>
    public bool IsHealthy() => Token.IsHealthy;

    public static async Task<AlertmanagerEndpoint> StartAsync(
        IKubernetes client, AlertmanagerIntakeOptions options, IReadOnlyCollection<string> watchedNamespaces, RuntimeMetrics runtimeMetrics,
        ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runtimeMetrics);
        var metrics = new AlertIntakeMetrics(runtimeMetrics.Registry);
        var token = new WebhookToken(client, options, time, loggers.CreateLogger<WebhookToken>());
        options.Health.Watch(token);
        var intake = new AlertIntake(new TargetFactsReader(client), new AlertPolicyReader(client),
            new AlertIncidentWriter(client, loggers.CreateLogger<AlertIncidentWriter>()), watchedNamespaces, metrics, time, loggers.CreateLogger<AlertIntake>());

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Url);
        // Kestrel stops reading past the limit, whatever Content-Length says (chunked bodies included).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        var app = builder.Build();
        app.MapPost(AlertmanagerIntakeOptions.Path, async (HttpContext context) =>
        {
            var result = await HandleAsync(context, token, intake, options, context.RequestAborted);
            metrics.Requests.WithLabels(result.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
            if (result.StatusCode == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            return Results.Json(result.Body, statusCode: result.StatusCode);
        });

        // Slack's interactivity requests come to the same listener; they prove themselves with Slack's signature.
        var slack = new SlackInteractionHandler(new IncidentPolicyReader(client), new Notifications.TargetSecret(client), new IncidentCommandWriter(client, time), new Core.Notifications.SlackReplayMemory(),
            watchedNamespaces, time, loggers.CreateLogger<SlackInteractionHandler>());
        app.MapPost(SlackInteractionHandler.Path, async (HttpContext context) =>
        {
            var answer = await HandleSlackAsync(context, slack, context.RequestAborted);
            return Results.Json(new SlackResponse(answer.Text), statusCode: answer.StatusCode);
        });

        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var address = new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        loggers.CreateLogger<AlertmanagerEndpoint>().LogInformation("Serving the Alertmanager webhook at {Address}", new Uri(address, AlertmanagerIntakeOptions.Path));
        return new AlertmanagerEndpoint(app, address, token);
    }

    private static async Task<AlertIntakeResult> HandleAsync(HttpContext context, WebhookToken token, AlertIntake intake, AlertmanagerIntakeOptions options, CancellationToken cancellationToken)
    {
        var check = await token.CheckAsync(context.Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null, cancellationToken);
        if (check.Verdict != TokenVerdict.Accepted)
        {
            return AlertIntakeResult.Error(check.Verdict == TokenVerdict.Rejected ? StatusCodes.Status401Unauthorized : StatusCodes.Status503ServiceUnavailable, check.Reason);
        }

        if (!IsJson(context.Request.ContentType))
        {
            return AlertIntakeResult.Error(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type is \"{context.Request.ContentType}\"; an Alertmanager notification is application/json");
        }

        if (context.Request.ContentLength is { } length && length > options.MaxBodyBytes)
        {
            await DrainAsync(context, length, options, cancellationToken);
            return TooLarge(options);
        }

        return await ReadBodyAsync(context, cancellationToken) is { } body
            ? await intake.HandleAsync(body, cancellationToken)
            : TooLarge(options);
    }

    /// <summary>The request's body as sent; null when it is larger than the server accepts.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    private static async Task<SlackAnswer> HandleSlackAsync(HttpContext context, SlackInteractionHandler slack, CancellationToken cancellationToken)
    {
        // The signature is over the raw bytes: read them as they came, not a re-encoded form.
        if (await ReadBodyAsync(context, cancellationToken) is not { } body)
        {
            return new SlackAnswer(StatusCodes.Status413PayloadTooLarge, "the body is too large for a Slack interaction");
        }

        var headers = context.Request.Headers;
        return await slack.HandleAsync(headers[SlackInteractionHandler.TimestampHeader].ToString(), headers[SlackInteractionHandler.SignatureHeader].ToString(), body, cancellationToken);
    }

    /// <summary>
    /// Reads and discards an announced oversized body (from an authenticated caller only), so the caller reads the 413
    /// instead of a connection reset in the middle of its upload. Beyond a bound the connection is simply closed.
    /// </summary>
    private static async Task DrainAsync(HttpContext context, long length, AlertmanagerIntakeOptions options, CancellationToken cancellationToken)
    {
        if (length > options.MaxBodyBytes * DrainFactor || context.Features.Get<IHttpMaxRequestBodySizeFeature>() is not { IsReadOnly: false } limit)
        {
            return;
        }

        limit.MaxRequestBodySize = length;
        await context.Request.Body.CopyToAsync(Stream.Null, cancellationToken);
    }

    /// <summary>An announced body up to this many times the limit is drained before the 413; a larger one is cut off.</summary>
    private const int DrainFactor = 8;

    private static AlertIntakeResult TooLarge(AlertmanagerIntakeOptions options) =>
        AlertIntakeResult.Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {options.MaxBodyBytes} bytes; set max_alerts in the webhook_config");

    /// <summary>application/json, with no charset or UTF-8 (JSON is UTF-8, RFC 8259).</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)
        && (media.CharSet is null || string.Equals(media.CharSet.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
