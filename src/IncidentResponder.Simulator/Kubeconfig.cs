using System.Globalization;

namespace IncidentResponder.Simulator;

/// <summary>Writes a kubeconfig that <c>kubectl</c> and KubernetesClient accept as is: plain HTTP on loopback, a bearer token.</summary>
public static class Kubeconfig
{
    public const string Name = "incident-responder-sim";

    public static string Render(Uri server, string token) => string.Create(CultureInfo.InvariantCulture, $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {Name}
          cluster:
            server: {server.GetLeftPart(UriPartial.Authority)}
        users:
        - name: {Name}
          user:
            token: {token}
        contexts:
        - name: {Name}
          context:
            cluster: {Name}
            user: {Name}
            namespace: default
        current-context: {Name}

        """);
}
