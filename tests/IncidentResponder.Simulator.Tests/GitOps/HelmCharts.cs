namespace IncidentResponder.Simulator.Tests.GitOps;

/// <summary>A small chart and the Flux objects the HelmRelease tests commit and apply.</summary>
internal static class HelmCharts
{
    // Flux's CRD only admits http(s)/ssh URLs, so the source names a remote URL the simulator serves from the temp repository.
    public const string RemoteUrl = "https://git.example.com/shop/charts.git";

    public static (string File, string Content)[] Chart(string version = "0.1.0", string template = DeploymentTemplate) =>
    [
        ("charts/web/Chart.yaml", $"""
            apiVersion: v2
            name: web
            description: The web tier
            version: {version}
            appVersion: "1.27"
            """),
        ("charts/web/values.yaml", """
            # The image the web tier runs; releases override the tag.
            image:
              repository: nginx
              tag: "1.27"
            # Two pods keep the tier up through a node drain.
            replicas: 2
            """),
        ("charts/web/templates/deployment.yaml", template),
    ];

    public const string DeploymentTemplate = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}
          labels:
            app: {{ .Release.Name }}
        spec:
          replicas: {{ .Values.replicas }}
          selector:
            matchLabels:
              app: {{ .Release.Name }}
          template:
            metadata:
              labels:
                app: {{ .Release.Name }}
            spec:
              containers:
                - name: web
                  image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
        """;

    /// <summary>A template helm refuses to render: a value the chart does not define is dereferenced.</summary>
    public const string BrokenTemplate = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}
        data:
          size: {{ .Values.missing.size }}
        """;

    public const string Source = $$"""
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata:
          name: charts
          namespace: flux-system
        spec:
          interval: 1s
          url: {{RemoteUrl}}
          ref:
            branch: main
        """;

    /// <summary>The Kustomization that applies the HelmRelease manifests in <c>deploy/</c> of the same repository.</summary>
    public const string Kustomization = """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: releases
          namespace: flux-system
        spec:
          interval: 1s
          path: ./deploy
          prune: true
          sourceRef:
            kind: GitRepository
            name: charts
        """;

    /// <summary>A HelmRelease <c>web</c> in <c>shop</c> of the chart in <c>charts/web</c>; <paramref name="extra"/> goes under spec.</summary>
    public static string HelmRelease(string tag, string extra = "", string sourceKind = "GitRepository") => $$"""
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: web
          namespace: shop
        spec:
          interval: 1s
          chart:
            spec:
              chart: ./charts/web
              sourceRef:
                kind: {{sourceKind}}
                name: charts
                namespace: flux-system
          values:
            image:
              tag: "{{tag}}"
        {{extra}}
        """;
}
