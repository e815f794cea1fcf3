namespace IncidentResponder.Simulator.Tests.Support;

/// <summary>Manifests the conformance tests apply.</summary>
internal static class Manifests
{
    public const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx:1.25
                ports:
                - containerPort: 80
                env:
                - name: MODE
                  value: blue
        """;
}
