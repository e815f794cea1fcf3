using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Operator.Tests.GitOps;

/// <summary>
/// "Never act twice" across the GitOps story: the operator is stopped dead at each boundary of pause → rollback →
/// commit and push → resume, a fresh instance takes over, and the story still ends with exactly one pause, one
/// rollback, one commit and one resume, and the auto-sync policy back as it was.
/// </summary>
public sealed class GitOpsKillAtEveryStepTests
{
    public enum Boundary
    {
        /// <summary>The step's intent and the pause are recorded; the pause never reached the Application.</summary>
        BeforePause,

        /// <summary>The Application is paused; the rollback never reached the Deployment.</summary>
        BeforeRollback,

        /// <summary>Paused and rolled back; the record still says Pending.</summary>
        BeforeAppliedRecorded,

        /// <summary>The revert is pushed; the record still says Pending.</summary>
        BeforePushRecorded,

        /// <summary>The resume is recorded; it never reached the Application.</summary>
        BeforeResume,

        /// <summary>The Application is resumed; the record still says Resuming.</summary>
        BeforeResumeRecorded,
    }

    [Theory]
    [InlineData(Boundary.BeforePause)]
    [InlineData(Boundary.BeforeRollback)]
    [InlineData(Boundary.BeforeAppliedRecorded)]
    [InlineData(Boundary.BeforePushRecorded)]
    [InlineData(Boundary.BeforeResume)]
    [InlineData(Boundary.BeforeResumeRecorded)]
    public async Task An_operator_killed_at_the_boundary_is_replaced_and_each_effect_happens_once(Boundary boundary)
    {
        await using var scenario = await GitOpsScenario.StartAsync(new PolicySettings { GitOps = "{writeBack: {mode: Direct, credentialsSecretRef: {name: git-credentials}}}" });
        await scenario.Cluster.Kubectl.ApplyAsync("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: git-credentials
            stringData:
              username: incident-responder
            """);
        await scenario.ApplyArgoCdApplicationAsync();
        var automatedBefore = scenario.Application()!["spec"]!["syncPolicy"]!["automated"]!.ToJsonString();
        var crash = CrashPointFor(boundary);
        var writes = new EffectCounter();
        scenario.Cluster.Cluster.ClusterStore.AddAdmissionStep(crash);
        scenario.Cluster.Cluster.ClusterStore.AddAdmissionStep(writes);
        var first = scenario.Cluster.StartOperator(name: "first");

        await scenario.CommitBadImageAsync();
        var bad = scenario.Repo.Git("rev-parse", "main").Trim();
        await crash.Hit.WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        await first.DisposeAsync();
        crash.Disarm();
        await using var second = scenario.Cluster.StartOperator(name: "second");

        var incident = await Eventually.ValueAsync(
            async () => (await scenario.Cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.GitOps?.Pause?.Phase == GitOpsPausePhase.Resumed && i.Status.Phase == IncidentPhase.Resolved),
            "the incident resolved with the owner resumed", TimeSpan.FromSeconds(120));

        Assert.Equal((1, 1, 1), (writes.Pauses, writes.Rollbacks, writes.Resumes));
        var commits = scenario.Repo.Git("log", "--format=%H", $"{bad}..main").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(incident.Status!.GitOps!.WriteBack!.Commit, Assert.Single(commits));
        Assert.Equal(automatedBefore, scenario.Application()!["spec"]!["syncPolicy"]!["automated"]!.ToJsonString());
        Assert.Equal(GitOpsScenario.GoodImage, scenario.LiveImage());
        Assert.Single(await scenario.Cluster.IncidentsAsync());
        if (boundary == Boundary.BeforePushRecorded)
        {
            Assert.Contains(incident.Status.Timeline!, e => e.Message.Contains("found already pushed", StringComparison.Ordinal));
        }
    }

    private static CrashPoint CrashPointFor(Boundary boundary) => boundary switch
    {
        Boundary.BeforePause => new CrashPoint("applications", null, (obj, old) => PausedBy(obj) is not null && PausedBy(old) is null),
        Boundary.BeforeRollback => new CrashPoint("deployments", null, (obj, old) => Marker(obj) is not null && Marker(obj) != Marker(old)),
        Boundary.BeforeAppliedRecorded => new CrashPoint("incidents", "status", (obj, old) => Actions(old, "Pending") && Actions(obj, "Running")),
        Boundary.BeforePushRecorded => new CrashPoint("incidents", "status", (obj, old) => WriteBack(old) == "Pending" && WriteBack(obj) == "Pushed"),
        Boundary.BeforeResume => new CrashPoint("applications", null, (obj, old) => PausedBy(obj) is null && PausedBy(old) is not null),
        _ => new CrashPoint("incidents", "status", (obj, old) => Pause(old) == "Resuming" && Pause(obj) == "Resumed"),
    };

    /// <summary>Counts the writes that reached the store: the pause and the resume of the Application, and the rollback.</summary>
    private sealed class EffectCounter : IAdmissionStep
    {
        public int Pauses { get; private set; }

        public int Resumes { get; private set; }

        public int Rollbacks { get; private set; }

        public void Admit(AdmissionContext context, JsonObject obj, JsonObject? old)
        {
            if (context.Options.DryRun)
            {
                return;
            }

            switch (context.Definition.Type.Resource)
            {
                case "applications" when PausedBy(obj) is not null && PausedBy(old) is null: Pauses++; break;
                case "applications" when PausedBy(obj) is null && PausedBy(old) is not null: Resumes++; break;
                case "deployments" when context.Subresource is null && Marker(obj) is not null && Marker(obj) != Marker(old): Rollbacks++; break;
                default: break;
            }
        }
    }

    private static string? PausedBy(JsonObject? app) => (string?)app?["metadata"]?["annotations"]?["incidentresponder.dev/paused-by"];

    private static string? Marker(JsonObject? deployment) => (string?)deployment?["metadata"]?["annotations"]?[WellKnown.ActionAnnotation];

    private static string? WriteBack(JsonObject? incident) => (string?)incident?["status"]?["gitops"]?["writeBack"]?["phase"];

    private static string? Pause(JsonObject? incident) => (string?)incident?["status"]?["gitops"]?["pause"]?["phase"];

    private static bool Actions(JsonObject? incident, string phase) =>
        incident?["status"]?["actions"] is JsonArray actions && actions.Any(a => (string?)a?["phase"] == phase);
}
