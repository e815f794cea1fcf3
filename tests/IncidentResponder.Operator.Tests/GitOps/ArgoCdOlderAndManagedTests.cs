using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.GitOps;

/// <summary>
/// Argo CD before 3.1, whose Application CRD has no automated.enabled (the server prunes it): the pause removes
/// automated and keeps it on the Application, and the resume a person asks for restores it exactly. And an Application
/// an ApplicationSet generates: the operator pauses it but records that the ApplicationSet may undo the pause.
/// </summary>
public sealed class ArgoCdOlderAndManagedTests
{
    [Fact]
    public async Task Without_automated_enabled_the_pause_removes_automated_and_a_person_resume_restores_it_byte_for_byte()
    {
        await using var scenario = await GitOpsScenario.StartAsync(new PolicySettings());
        await ServeApplicationCrdWithoutEnabledAsync(scenario);
        await scenario.ApplyArgoCdApplicationAsync();
        var before = scenario.Application()!["spec"]!["syncPolicy"]!["automated"]!.ToJsonString();
        await using var running = scenario.Cluster.StartOperator();

        await scenario.CommitBadImageAsync();
        await Eventually.TrueAsync(() => scenario.Cluster.RollbackPatches("web").Count == 1 && scenario.LiveImage() == GitOpsScenario.GoodImage,
            "the operator to roll back to the good image", TimeSpan.FromSeconds(60));
        var paused = scenario.Application()!;
        Assert.Null(paused["spec"]!["syncPolicy"]!["automated"]);
        Assert.Equal(before, (string?)paused["metadata"]!["annotations"]!["incidentresponder.dev/removed-automated"]);

        var incident = await scenario.IncidentAsync();
        Assert.Contains("has no automated.enabled", incident.Status!.GitOps!.Pause!.Summary, StringComparison.Ordinal);
        (await scenario.Cluster.Kubectl.RunAsync("patch", "incident", incident.Metadata.Name, "--type=merge", "-p", """{"spec":{"gitops":{"resume":true}}}""")).ShouldSucceed();

        await Eventually.TrueAsync(() => scenario.Application()?["spec"]?["syncPolicy"]?["automated"] is not null, "the resume to restore automated", TimeSpan.FromSeconds(30));
        var restored = scenario.Application()!;
        Assert.Equal(before, restored["spec"]!["syncPolicy"]!["automated"]!.ToJsonString());
        Assert.False(restored["metadata"]!["annotations"]!.AsObject().ContainsKey("incidentresponder.dev/removed-automated"));
        Assert.False(restored["metadata"]!["annotations"]!.AsObject().ContainsKey("incidentresponder.dev/paused-by"));
        incident = await Eventually.ValueAsync(async () => (await scenario.Cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.GitOps?.Pause?.Phase == GitOpsPausePhase.Resumed),
            "the incident recording the resume");
        Assert.Contains("spec.gitops.resume", incident.Status!.GitOps!.Pause!.Message, StringComparison.Ordinal);
        Assert.Equal(2, scenario.OperatorPatches("applications").Count);
    }

    [Fact]
    public async Task An_application_generated_by_an_application_set_is_paused_with_a_warning_on_record()
    {
        await using var scenario = await GitOpsScenario.StartAsync(new PolicySettings());
        await scenario.ApplyArgoCdApplicationAsync("""
              ownerReferences:
                - apiVersion: argoproj.io/v1alpha1
                  kind: ApplicationSet
                  name: shop-apps
                  uid: 6b8a2c4e-0d1f-4a5b-9c7d-3e2f1a0b9c8d

            """);
        await using var running = scenario.Cluster.StartOperator();

        await scenario.CommitBadImageAsync();
        var incident = await Eventually.ValueAsync(
            async () => (await scenario.Cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.GitOps?.Pause?.Phase == GitOpsPausePhase.Paused),
            "the incident with the Application paused", TimeSpan.FromSeconds(60));
        var warning = Assert.Single(incident.Status!.GitOps!.Warnings!);
        Assert.Contains("ApplicationSet shop-apps", warning, StringComparison.Ordinal);
        Assert.Contains("ignoreApplicationDifferences", warning, StringComparison.Ordinal);
        Assert.Contains(incident.Status.Timeline!, e => e.Type == TimelineEntryType.Guardrail && e.Message.Contains("ApplicationSet shop-apps", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_resume_the_api_server_refuses_is_recorded_and_asked_again_on_the_poll_not_in_a_loop()
    {
        await using var scenario = await GitOpsScenario.StartAsync(new PolicySettings());
        await scenario.ApplyArgoCdApplicationAsync();
        await using var running = scenario.Cluster.StartOperator();
        await scenario.CommitBadImageAsync();
        var incident = await Eventually.ValueAsync(
            async () => (await scenario.Cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.GitOps?.Pause?.Phase == GitOpsPausePhase.Paused),
            "the Application paused", TimeSpan.FromSeconds(60));

        using var refused = scenario.Cluster.Cluster.Hooks.InjectFault(new Simulator.FaultRule { Verb = "patch", Resource = "applications", StatusCode = 403 });
        (await scenario.Cluster.Kubectl.RunAsync("patch", "incident", incident.Metadata.Name, "--type=merge", "-p", """{"spec":{"gitops":{"resume":true}}}""")).ShouldSucceed();
        await Eventually.TrueAsync(
            async () => (await scenario.Cluster.IncidentsAsync()).Any(i => i.Status?.Timeline?.Any(e => e.Message.StartsWith("resuming ArgoCD Application argocd/web failed: the API server answered 403", StringComparison.Ordinal)) == true),
            "the refused resume in the timeline");

        // Asked again on the 500 ms poll: a handful of reads in three seconds, not the hundreds a tight retry makes.
        var before = ApplicationReads(scenario);
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        var reads = ApplicationReads(scenario) - before;
        Assert.InRange(reads, 1, 60);
        Assert.Equal(GitOpsPausePhase.Resuming, (await scenario.IncidentAsync()).Status!.GitOps!.Pause!.Phase);
    }

    private static int ApplicationReads(GitOpsScenario scenario) =>
        scenario.Cluster.Cluster.Hooks.AuditLog.Count(r => r is { Verb: "get", Resource: "applications" } && r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) != true);

    /// <summary>Replaces the served Application CRD with the same one minus automated.enabled, as Argo CD 3.0 and older serve it.</summary>
    private static async Task ServeApplicationCrdWithoutEnabledAsync(GitOpsScenario scenario)
    {
        var yaml = await File.ReadAllTextAsync(RepositoryRoot.Combine("src/IncidentResponder.Simulator/GitOps/Crds/argocd-application-crd.yaml"), TestContext.Current.CancellationToken);
        var crd = YamlJson.Document(yaml);
        foreach (var version in crd["spec"]!["versions"]!.AsArray())
        {
            var automated = version!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["syncPolicy"]!["properties"]!["automated"]!["properties"]!.AsObject();
            Assert.True(automated.Remove("enabled"), "the vendored CRD should know automated.enabled");
        }

        var file = Path.Combine(Path.GetTempPath(), $"argocd-crd-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, crd.ToJsonString(), TestContext.Current.CancellationToken);
        try
        {
            (await scenario.Cluster.Kubectl.RunAsync("replace", "-f", file)).ShouldSucceed();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
