using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Intake;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Runtime.Metrics;
using IncidentResponder.Simulator;
using k8s;

namespace IncidentResponder.Operator.Tests.Intake;

/// <summary>
/// The Alertmanager endpoint served on loopback against a simulated cluster, its token in a real Secret, and the means
/// to post notifications as Alertmanager does and to see exactly which Incident writes followed (the audit log).
/// </summary>
public sealed class IntakeHarness : IAsyncDisposable
{
    public const string TokenSecret = "alertmanager-webhook";
    public const string Token = "s3cr3t-webhook-token";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private IntakeHarness(OperatorCluster cluster, AlertmanagerIntakeOptions options, AlertmanagerEndpoint endpoint, RuntimeMetrics metrics)
    {
        Cluster = cluster;
        Options = options;
        Endpoint = endpoint;
        Metrics = metrics;
    }

    internal OperatorCluster Cluster { get; }

    internal AlertmanagerIntakeOptions Options { get; }

    internal AlertmanagerEndpoint Endpoint { get; }

    internal RuntimeMetrics Metrics { get; }

    internal Uri Url => new(Endpoint.Address, AlertmanagerIntakeOptions.Path);

    internal static async Task<IntakeHarness> StartAsync(IReadOnlyCollection<string>? watchedNamespaces = null, Simulator.Metrics.SimulatedMetricsOptions? appMetrics = null)
    {
        var cluster = await OperatorCluster.StartAsync(metrics: appMetrics);
        (await cluster.Kubectl.RunAsync("create", "secret", "generic", TokenSecret, $"--from-literal=token={Token}")).ShouldSucceed();
        var metrics = RuntimeMetrics.CreateIsolated();
        var options = new AlertmanagerIntakeOptions
        {
            Url = "http://127.0.0.1:0",
            TokenSecretNamespace = OperatorCluster.Namespace,
            TokenSecretName = TokenSecret,
            // Tests rotate the token and expect the next request to see it.
            TokenRereadOnRejection = TimeSpan.Zero,
        };
        var endpoint = await AlertmanagerEndpoint.StartAsync(cluster.Client, options, watchedNamespaces ?? [], metrics,
            TestOutputLoggerProvider.Factory("intake"), TimeProvider.System, TestContext.Current.CancellationToken);
        return new IntakeHarness(cluster, options, endpoint, metrics);
    }

    internal Task<(HttpStatusCode Code, JsonObject Body)> PostAsync(JsonNode payload, string? authorization = "Bearer " + Token) =>
        PostAsync(payload.ToJsonString(), authorization);

    internal async Task<(HttpStatusCode Code, JsonObject Body)> PostAsync(string payload, string? authorization = "Bearer " + Token, string contentType = "application/json")
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(payload));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await SendAsync(HttpMethod.Post, content, authorization);
    }

    internal async Task<(HttpStatusCode Code, JsonObject Body)> SendAsync(HttpMethod method, HttpContent? content, string? authorization = "Bearer " + Token)
    {
        using var request = new HttpRequestMessage(method, Url) { Content = content };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var body = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : new JsonObject { ["raw"] = text };
        return (response.StatusCode, body);
    }

    /// <summary>Where the audit log stands now; pass it to <see cref="IncidentWritesSince"/>.</summary>
    internal int AuditMark() => Cluster.Cluster.Hooks.AuditLog.Count;

    /// <summary>Every request after the mark that changed an Incident (create, update, patch, delete, status included).</summary>
    internal IReadOnlyList<AuditRecord> IncidentWritesSince(int mark) =>
        [.. Cluster.Cluster.Hooks.AuditLog.Skip(mark).Where(r => r.Resource == Incident.Plural && r.Verb is "create" or "update" or "patch" or "delete")];

    internal IReadOnlyList<AuditRecord> RequestsSince(int mark) => [.. Cluster.Cluster.Hooks.AuditLog.Skip(mark)];

    internal async Task<IReadOnlyList<Incident>> IncidentsAsync(string ns = OperatorCluster.Namespace)
    {
        var list = await Cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<Incident>>(
            GroupVersion.Group, GroupVersion.Version, ns, Incident.Plural, cancellationToken: TestContext.Current.CancellationToken);
        return [.. list.Items];
    }

    /// <summary>The value of a counter sample in the Prometheus text the registry exports, e.g. <c>name{code="401"}</c>.</summary>
    internal async Task<double> MetricAsync(string sample)
    {
        using var stream = new MemoryStream();
        await Metrics.Registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        var line = Encoding.UTF8.GetString(stream.ToArray()).Split('\n').FirstOrDefault(l => l.StartsWith(sample + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(sample.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Endpoint.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
