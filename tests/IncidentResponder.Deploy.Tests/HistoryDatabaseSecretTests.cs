using IncidentResponder.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests;

/// <summary>
/// The history store's connection string reaches the manager only through the environment, from a Secret the kubelet
/// reads (config/components/history, the chart's history.databaseSecret): never in args, values or a grant of ours.
/// </summary>
public sealed class HistoryDatabaseSecretTests
{
    // The variable `run` reads (src/IncidentResponder/Commands/HistoryDatabaseOption.cs; IncidentResponder.Tests runs
    // the executable with it set).
    private const string Variable = "INCIDENT_RESPONDER_HISTORY_DATABASE";

    [Fact]
    public async Task The_kustomize_component_fills_the_variable_from_the_history_secret()
    {
        Kustomize.SkipWithoutKubectl();
        var overlay = Directory.CreateTempSubdirectory("history-overlay-");
        try
        {
            // kustomize wants paths relative to the overlay.
            string Relative(string path) => Path.GetRelativePath(overlay.FullName, RepositoryRoot.Combine(path)).Replace('\\', '/');
            await File.WriteAllTextAsync(Path.Combine(overlay.FullName, "kustomization.yaml"), $"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - {Relative("config/default")}
                components:
                  - {Relative("config/components/history")}
                """, TestContext.Current.CancellationToken);
            var output = await Tool.RunAsync(Tool.Find("kubectl")!, ["kustomize", overlay.FullName], "KUBECACHEDIR");
            var env = ManagerEnv(YamlDocs.LoadAll(output, "config/default with the history component"));

            var history = Assert.Single(env, e => e.Str("name") == Variable);
            Assert.Equal(("incident-responder-history", "connection-string"), (history.Str("valueFrom.secretKeyRef.name"), history.Str("valueFrom.secretKeyRef.key")));
            Assert.Null(history.Str("value"));
        }
        finally
        {
            overlay.Delete(recursive: true);
        }

        Assert.DoesNotContain(ManagerEnv(await Kustomize.RenderAsync("config/default")), e => e.Str("name") == Variable);
    }

    [Fact]
    public async Task The_chart_sets_the_variable_only_when_a_secret_is_named()
    {
        Helm.SkipWithoutHelm();
        var named = ManagerEnv(await Helm.TemplateAsync("ops", "history.databaseSecret.name=pg-incidents"));
        var history = Assert.Single(named, e => e.Str("name") == Variable);
        Assert.Equal(("pg-incidents", "connection-string"), (history.Str("valueFrom.secretKeyRef.name"), history.Str("valueFrom.secretKeyRef.key")));

        var otherKey = ManagerEnv(await Helm.TemplateAsync("ops", "history.databaseSecret.name=pg-incidents", "history.databaseSecret.key=dsn"));
        Assert.Equal("dsn", Assert.Single(otherKey, e => e.Str("name") == Variable).Str("valueFrom.secretKeyRef.key"));

        Assert.DoesNotContain(ManagerEnv(await Helm.TemplateAsync("ops")), e => e.Str("name") == Variable);
    }

    private static IReadOnlyList<YamlNode> ManagerEnv(IReadOnlyList<YamlMappingNode> objects)
    {
        var deployment = Assert.Single(objects, o => o.Kind() == "Deployment");
        var manager = deployment.Seq("spec.template.spec.containers")[0];
        return manager.Seq("env");
    }
}
