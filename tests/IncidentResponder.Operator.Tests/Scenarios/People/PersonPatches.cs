using System.Globalization;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios.People;

/// <summary>What a person types: an Incident declared with kubectl apply, and spec changes with kubectl patch --type=merge.</summary>
internal static class PersonPatches
{
    public static string Declared(string name, string target, string signal, string severity, string? extra = null) => $$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Incident
        metadata:
          name: {{name}}
        spec:
          declaredBy: alice
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: {{target}}}
          signal: {type: {{signal}}, message: checkout returns 503 for a third of requests}
          severity: {{severity}}{{extra ?? string.Empty}}
        """;

    /// <summary>Now, as kubectl incident writes it (RFC 3339, seconds).</summary>
    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static async Task PatchAsync(OperatorCluster cluster, string incident, string specJson) =>
        (await cluster.Kubectl.RunAsync("patch", "incident", incident, "--type=merge", "-p", "{\"spec\":" + specJson + "}")).ShouldSucceed();

    /// <summary>Waits for the named incident to satisfy a condition, and returns it.</summary>
    public static Task<Api.V1Alpha1.Incident> IncidentAsync(OperatorCluster cluster, string name, Func<Api.V1Alpha1.Incident, bool> until, string what) =>
        Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Metadata.Name == name && until(i)), what);
}
