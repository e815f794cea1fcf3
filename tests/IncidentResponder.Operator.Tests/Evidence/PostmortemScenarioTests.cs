using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Evidence;
using IncidentResponder.Operator.Postmortems;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Evidence;

/// <summary>The post-mortem draft of a rolled-back rollout: every section of the playbook's template, filled from the record.</summary>
public sealed class PostmortemScenarioTests
{
    [Fact]
    public async Task The_postmortem_of_a_rollback_has_every_template_section_filled_from_the_record()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        // The policy's own targets, which the post-mortem judges the incident against instead of the playbook's 5m / 30m.
        (await cluster.Kubectl.RunAsync("patch", "remediationpolicy", Manifests.PolicyName, "--type=merge",
            "-p", "{\"spec\":{\"objectives\":{\"timeToDetect\":\"2m\",\"timeToMitigate\":\"3m\"}}}")).ShouldSucceed();
        await cluster.CreateDeploymentAsync("web");
        cluster.StartOperator();

        await cluster.BadRolloutAsync("web", "crashloop");
        var incident = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);
        var map = await IncidentRecords.ConfigMapAsync(cluster, $"{incident.Metadata.Name}-postmortem", IncidentConfigMaps.PostmortemKey,
            md => md.Contains("Resolved: ", StringComparison.Ordinal));
        var markdown = map.Data[IncidentConfigMaps.PostmortemKey];
        TestContext.Current.TestOutputHelper?.WriteLine(markdown);
        IncidentRecords.AssertOwnedByTheIncident(map, incident);
        var status = (await cluster.IncidentsAsync()).Single(i => i.Metadata.Name == incident.Metadata.Name).Status!;

        Assert.StartsWith("# Post-Mortem: CrashLoop of web — ", markdown, StringComparison.Ordinal);
        foreach (var section in new[] { "Summary", "Impact", "Timeline (all times UTC)", "Root Cause", "What Went Well", "What Went Wrong", "Action Items", "Lessons Learned" })
        {
            Assert.Contains($"\n## {section}\n", markdown, StringComparison.Ordinal);
        }

        // Summary and root cause: the failing and the good revision, and the image diff.
        var action = Assert.Single(status.Actions!);
        Assert.Contains($"rolled the Deployment back from revision 2 to revision {action.Details!["toRevision"]} (step {Manifests.RollbackStep})", markdown, StringComparison.Ordinal);
        Assert.Contains("Failing revision 2, last good revision 1", markdown, StringComparison.Ordinal);
        Assert.Contains("- container nginx: image nginx:1.25 → nginx:1.26", markdown, StringComparison.Ordinal);
        Assert.Contains("runs `nginx:1.26`", markdown, StringComparison.Ordinal);

        // Impact and review: the record's times against the policy's targets.
        Assert.Matches(@"\*\*Duration:\*\* [0-9.ms]+ \(\d\d:\d\d:\d\d — \d\d:\d\d:\d\d UTC\)", markdown);
        Assert.Matches(@"- Time to detect [0-9.ms]+, within the 2m0s target", markdown);
        Assert.Matches(@"- Time to mitigate [0-9.ms]+, within the 3m0s target", markdown);
        Assert.Contains("| evidence collected |", markdown, StringComparison.Ordinal);

        // Timeline: the status timeline and the kubelet's Events, the rollback action, and the picture of it all.
        foreach (var entry in status.Timeline!.Where(e => e.Type is TimelineEntryType.Detected or TimelineEntryType.Action or TimelineEntryType.Verification))
        {
            Assert.Contains($"| {entry.Time:HH:mm:ss} | {entry.Type} | {entry.Message.Replace("|", "\\|", StringComparison.Ordinal)} |", markdown, StringComparison.Ordinal);
        }

        Assert.Matches(@"\| Event \| BackOff on Pod/web-", markdown);
        Assert.Contains("```mermaid\ngantt\n", markdown, StringComparison.Ordinal);
        Assert.Contains($"    {Manifests.RollbackStep} RolloutUndo Succeeded :done, action1, ", markdown, StringComparison.Ordinal);
        Assert.Contains("    Resolved :milestone, resolved, ", markdown, StringComparison.Ordinal);

        // Action items from facts: the change to fix in source control, the default progress deadline, the missing probe.
        Assert.Contains("| P0 | Fix or revert the change of revision 2", markdown, StringComparison.Ordinal);
        Assert.Contains("Set spec.progressDeadlineSeconds on `default/web`", markdown, StringComparison.Ordinal);
        Assert.Contains("Add a readiness probe to container `nginx`", markdown, StringComparison.Ordinal);

        // The source the postmortem command reads finds the same text.
        var (found, tried) = await PostmortemSources.FindAsync([new ConfigMapPostmortemSource(new IncidentConfigMaps(cluster.Client))],
            OperatorCluster.Namespace, incident.Metadata.Name, TestContext.Current.CancellationToken);
        Assert.Equal(markdown, found);
        Assert.Equal([$"ConfigMap default/{incident.Metadata.Name}-postmortem"], tried);
    }

    [Fact]
    public async Task An_escalated_incident_gets_a_draft_with_what_is_known()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        cluster.StartOperator();

        // A person declares an incident the runbook cannot handle; escalation is the only outcome.
        await cluster.Kubectl.ApplyAsync($$"""
            apiVersion: incidentresponder.dev/v1alpha1
            kind: Incident
            metadata: {name: web-declared}
            spec:
              targetRef: {name: web}
              signal: {type: DataIssue, message: orders table has duplicated rows}
              severity: SEV-2
              policyRef: {name: {{Manifests.PolicyName}}}
            """);
        (await cluster.Kubectl.RunAsync("patch", "incident", "web-declared", "--subresource=status", "--type=merge", "-p",
            "{\"status\":{\"phase\":\"Escalated\",\"detectedAt\":\"2026-01-01T10:00:00Z\",\"openedAt\":\"2026-01-01T10:00:30Z\",\"conditions\":[{\"type\":\"Escalated\",\"status\":\"True\",\"reason\":\"NoRunbook\",\"message\":\"data issues need a person\",\"lastTransitionTime\":\"2026-01-01T10:01:00Z\"}]}}")).ShouldSucceed();

        var map = await IncidentRecords.ConfigMapAsync(cluster, "web-declared-postmortem", IncidentConfigMaps.PostmortemKey);
        var markdown = map.Data[IncidentConfigMaps.PostmortemKey];

        Assert.Contains("> Draft: the incident is Escalated", markdown, StringComparison.Ordinal);
        Assert.Contains("The operator escalated to people: data issues need a person", markdown, StringComparison.Ordinal);
        Assert.Contains("Time to detect 30s, within the 5m0s target", markdown, StringComparison.Ordinal);
        Assert.Contains("| P0 | Add a runbook step for this failure", markdown, StringComparison.Ordinal);
        Assert.Contains("    Escalated :milestone, escalated, 2026-01-01 10:01:00, 0s", markdown, StringComparison.Ordinal);
    }
}
