using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentResponder.Simulator.Kubelet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Simulator.Tests.Monitoring;

/// <summary>
/// The whole monitoring pipeline on loopback: the simulator's metrics, scraped by a real Prometheus evaluating the
/// playbook's HighErrorRate rule, notify a real Alertmanager, which posts to a webhook receiver with a bearer token,
/// the way the operator's intake will receive it.
/// </summary>
public sealed partial class AlertDeliveryTests
{
    private const string Token = "intake-token-3f9a";

    /// <summary>
    /// The playbook's HighErrorRate rule from config/prometheus, with its 5-minute windows shortened to 20 s and no
    /// <c>for</c>, so it fires within seconds of the first scrapes instead of minutes.
    /// </summary>
    private static string HighErrorRateRuleFile(string directory)
    {
        var spec = YamlJson.Document(RepositoryRoot.ReadText("config/prometheus/prometheusrule.yaml"))["spec"]!;
        var rule = spec["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).Single(r => (string?)r!["alert"] == "HighErrorRate")!.DeepClone().AsObject();
        rule["expr"] = FiveMinutes().Replace((string)rule["expr"]!, "[20s]");
        rule.Remove("for");
        var path = Path.Combine(directory, "rules.json");
        File.WriteAllText(path, new JsonObject { ["groups"] = new JsonArray(new JsonObject { ["name"] = "workloads", ["rules"] = new JsonArray(rule) }) }.ToJsonString());
        return path;
    }

    [Fact]
    public async Task An_errors_revision_fires_the_high_error_rate_alert_which_reaches_the_webhook_with_its_bearer_token()
    {
        if ((PrometheusServer.Unavailable() ?? AlertmanagerServer.Unavailable()) is { } why)
        {
            Assert.Skip(why);
        }

        await using var receiver = await WebhookReceiver.StartAsync();
        await using var harness = await MonitoredCluster.StartAsync();
        await MonitoredCluster.DeployAsync(harness, "web", 1);
        await MonitoredCluster.DeployAsync(harness, "checkout", 1, new Dictionary<string, string> { [FaultSpec.FaultAnnotation] = "errors" });
        await using var alertmanager = await AlertmanagerServer.StartAsync(receiver.Url, Token);
        await using var prometheus = await PrometheusServer.StartAsync(harness.Cluster.MetricsAddress!, [HighErrorRateRuleFile(harness.Directory)], alertmanager.BaseAddress);

        var delivery = await Eventually.ValueAsync(() => Task.FromResult(receiver.Received.FirstOrDefault()),
            "a webhook from Alertmanager", TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(100));

        Assert.Equal($"Bearer {Token}", delivery.Authorization);
        var payload = delivery.Body;
        Assert.Equal("4", (string?)payload["version"]);
        Assert.Equal("firing", (string?)payload["status"]);
        var alert = Assert.Single(payload["alerts"]!.AsArray())!;
        Assert.Equal("HighErrorRate", (string?)alert["labels"]!["alertname"]);
        Assert.Equal("default", (string?)alert["labels"]!["namespace"]);
        Assert.Equal("checkout", (string?)alert["labels"]!["deployment"]);
        Assert.Equal("critical", (string?)alert["labels"]!["severity"]);
        Assert.Contains("kubectl rollout undo deployment/checkout -n default", (string?)alert["annotations"]!["what_to_do"], StringComparison.Ordinal);
        Assert.DoesNotContain(receiver.Received, d => d.Body.ToJsonString().Contains("\"deployment\":\"web\"", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\[5m\]")]
    private static partial Regex FiveMinutes();

    /// <summary>A POST Alertmanager made: the Authorization header it sent and the JSON body.</summary>
    private sealed record Delivery(string Authorization, JsonObject Body);

    /// <summary>The stand-in for the operator's intake: a Kestrel endpoint on loopback recording every POST.</summary>
    private sealed class WebhookReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private WebhookReceiver(WebApplication app, Uri url)
        {
            _app = app;
            Url = url;
        }

        public Uri Url { get; }

        public ConcurrentQueue<Delivery> Received { get; } = new();

        public static async Task<WebhookReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
            var app = builder.Build();
            WebhookReceiver? receiver = null;
            app.MapPost("/api/alertmanager", async (HttpContext context) =>
            {
                var body = await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body, cancellationToken: context.RequestAborted);
                receiver!.Received.Enqueue(new Delivery(context.Request.Headers.Authorization.ToString(), body!));
                return Results.Ok();
            });
            await app.StartAsync(TestContext.Current.CancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            receiver = new WebhookReceiver(app, new Uri(new Uri(address), "/api/alertmanager"));
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
