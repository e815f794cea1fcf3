using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Tests.Support;

/// <summary>
/// Plain JSON over HTTP to the simulated API server. Tests that compare whole JSON trees use it instead of
/// KubernetesClient's typed models, which would silently drop fields they do not know and so hide a lost field.
/// </summary>
internal sealed class RawApiClient : IDisposable
{
    private readonly HttpClient _http;

    public RawApiClient(SimulatedCluster cluster)
    {
        _http = new HttpClient { BaseAddress = cluster.BaseAddress };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cluster.Options.Token);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<ApiResponse> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body);

    public Task<ApiResponse> PutAsync(string path, JsonNode body) => SendAsync(HttpMethod.Put, path, body);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var warnings = response.Headers.TryGetValues("Warning", out var values) ? values.ToList() : [];
        var json = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) as JsonObject ?? new JsonObject();
        return new ApiResponse(response.StatusCode, json, warnings, $"{method} {path}");
    }

    public void Dispose() => _http.Dispose();
}

internal sealed record ApiResponse(HttpStatusCode Status, JsonObject Body, IReadOnlyList<string> Warnings, string Request)
{
    public ApiResponse ShouldBe(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"{Request}: expected {(int)expected} {expected}, got {(int)Status} {Status}: {Body.ToJsonString()}");
        return this;
    }
}
