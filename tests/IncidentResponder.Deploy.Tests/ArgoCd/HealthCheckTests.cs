using System.Text.Json.Nodes;
using IncidentResponder.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests.ArgoCd;

/// <summary>
/// The Argo CD health checks shipped in config/argocd for Incident, Runbook and RemediationPolicy, run by the real Lua
/// 5.1 interpreter against objects in every state the operator writes, and the kustomize component that merges them
/// into argocd-cm.
/// </summary>
public sealed class HealthCheckTests
{
    private const string Folder = "config/argocd";
    private const string IncidentScript = Folder + "/health/incidentresponder.dev_Incident.lua";
    private const string RunbookScript = Folder + "/health/incidentresponder.dev_Runbook.lua";
    private const string PolicyScript = Folder + "/health/incidentresponder.dev_RemediationPolicy.lua";

    public static TheoryData<string, string, string, string> IncidentStates => new()
    {
        // phase, conditions (type=status:message;...), expected status, expected words in the message
        { "", "", "Progressing", "Waiting for the operator to triage" },
        { "Detected", "", "Progressing", "SEV-2: Detected" },
        { "Mitigating", "Acting=True:rolling back to revision 1", "Progressing", "SEV-2: Mitigating: rolling back to revision 1" },
        { "AwaitingApproval", "", "Suspended", "waits for approval" },
        { "Mitigated", "Mitigated=True:verified", "Progressing", "mitigated, verifying recovery" },
        { "Resolved", "Resolved=True:the signal cleared", "Healthy", "SEV-2: resolved: the signal cleared" },
        { "Escalated", "Escalated=True:no step left to try", "Degraded", "SEV-2: escalated to people: no step left to try" },
        { "Acknowledged", "Acknowledged=True:bob holds the incident", "Degraded", "SEV-2: acknowledged: bob holds the incident" },
        { "Cancelled", "Resolved=True:cancelled by carol as a false alarm: probe misfired", "Healthy", "SEV-2: cancelled: cancelled by carol as a false alarm" },
    };

    [Theory]
    [MemberData(nameof(IncidentStates))]
    public async Task An_incident_in_each_phase_has_the_health_Argo_CD_should_show(string phase, string conditions, string expected, string message)
    {
        var lua = LuaHealthCheck.RequireInterpreter();
        var incident = Object("Incident", generation: 1);
        if (phase.Length > 0)
        {
            incident["status"] = new JsonObject { ["observedGeneration"] = 1, ["phase"] = phase, ["severity"] = "SEV-2", ["conditions"] = Conditions(conditions) };
        }

        var (status, said) = await LuaHealthCheck.AssessAsync(lua, IncidentScript, incident);

        Assert.Equal(expected, status);
        Assert.Contains(message, said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_incident_whose_spec_changed_since_the_operator_looked_is_progressing_not_its_stale_verdict()
    {
        var lua = LuaHealthCheck.RequireInterpreter();
        var incident = Object("Incident", generation: 3);
        incident["status"] = new JsonObject { ["observedGeneration"] = 2, ["phase"] = "Resolved", ["conditions"] = Conditions("Resolved=True:cleared") };

        var (status, said) = await LuaHealthCheck.AssessAsync(lua, IncidentScript, incident);

        Assert.Equal("Progressing", status);
        Assert.Contains("generation 3", said, StringComparison.Ordinal);
    }

    public static TheoryData<string, long?, string, string, string> ReadyStates => new()
    {
        // script, observedGeneration (generation is 2), Ready condition, expected status, expected words
        { RunbookScript, null, "", "Progressing", "Waiting for the operator" },
        { RunbookScript, 2, "Ready=True:ok", "Healthy", "Valid, 4 steps" },
        { RunbookScript, 2, "Ready=False:step 'undo' names no action", "Degraded", "InvalidSpec: step 'undo' names no action" },
        { RunbookScript, 1, "Ready=True:ok", "Progressing", "generation 2" },
        { PolicyScript, null, "", "Progressing", "Waiting for the operator" },
        { PolicyScript, 2, "Ready=True:ok", "Healthy", "Governing 7 targets, 1 active incidents" },
        { PolicyScript, 2, "Ready=False:runbook decision-tree not found", "Degraded", "InvalidSpec: runbook decision-tree not found" },
        { PolicyScript, 1, "Ready=False:old", "Progressing", "generation 2" },
    };

    [Theory]
    [MemberData(nameof(ReadyStates))]
    public async Task Runbooks_and_policies_are_healthy_only_when_the_operator_found_the_current_generation_valid(
        string script, long? observed, string ready, string expected, string message)
    {
        var lua = LuaHealthCheck.RequireInterpreter();
        var obj = Object(script == RunbookScript ? "Runbook" : "RemediationPolicy", generation: 2);
        if (observed is not null)
        {
            obj["status"] = new JsonObject
            {
                ["observedGeneration"] = observed, ["stepCount"] = 4, ["governedTargets"] = 7, ["activeIncidents"] = 1, ["conditions"] = Conditions(ready, reason: "InvalidSpec"),
            };
        }

        var (status, said) = await LuaHealthCheck.AssessAsync(lua, script, obj);

        Assert.Equal(expected, status);
        Assert.Contains(message, said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paused_policy_is_suspended_whatever_its_status_says()
    {
        var lua = LuaHealthCheck.RequireInterpreter();
        var policy = Object("RemediationPolicy", generation: 2);
        policy["spec"] = new JsonObject { ["paused"] = true };
        policy["status"] = new JsonObject { ["observedGeneration"] = 2, ["conditions"] = Conditions("Ready=True:ok") };

        var (status, said) = await LuaHealthCheck.AssessAsync(lua, PolicyScript, policy);

        Assert.Equal("Suspended", status);
        Assert.Contains("spec.paused", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_component_merges_the_three_scripts_into_argocd_cm_under_Argo_CDs_keys()
    {
        Kustomize.SkipWithoutKubectl();
        var overlay = Directory.CreateTempSubdirectory("argocd-overlay-");
        try
        {
            // An Argo CD install overlay as a user has one: upstream's install manifests (argocd-cm without a namespace)
            // placed in argocd by the overlay, plus the component.
            var component = Path.GetRelativePath(overlay.FullName, RepositoryRoot.Combine(Folder)).Replace('\\', '/');
            await File.WriteAllTextAsync(Path.Combine(overlay.FullName, "argocd-cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: argocd-cm
                data:
                  application.resourceTrackingMethod: annotation
                """, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(overlay.FullName, "kustomization.yaml"), $"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: argocd
                resources:
                  - argocd-cm.yaml
                components:
                  - {component}
                """, TestContext.Current.CancellationToken);

            var output = await Tool.RunAsync(Tool.Find("kubectl")!, ["kustomize", overlay.FullName], "KUBECACHEDIR");
            var map = Assert.Single(YamlDocs.LoadAll(output, "kubectl kustomize (argocd overlay)"));
            var data = (YamlMappingNode)map.Children[new YamlScalarNode("data")];
            Assert.Equal("argocd-cm", ((YamlScalarNode)((YamlMappingNode)map.Children[new YamlScalarNode("metadata")]).Children[new YamlScalarNode("name")]).Value);
            Assert.Equal("annotation", Value(data, "application.resourceTrackingMethod"));
            foreach (var (kind, script) in new[] { ("Incident", IncidentScript), ("Runbook", RunbookScript), ("RemediationPolicy", PolicyScript) })
            {
                Assert.Equal(RepositoryRoot.ReadText(script), Value(data, $"resource.customizations.health.incidentresponder.dev_{kind}"));
            }
        }
        finally
        {
            overlay.Delete(recursive: true);
        }
    }

    private static string? Value(YamlMappingNode data, string key) => ((YamlScalarNode)data.Children[new YamlScalarNode(key)]).Value;

    private static JsonObject Object(string kind, long generation) => new()
    {
        ["apiVersion"] = "incidentresponder.dev/v1alpha1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = "x", ["namespace"] = "shop", ["generation"] = generation },
        ["spec"] = new JsonObject(),
    };

    /// <summary>"Type=Status:message;..." as metav1.Conditions.</summary>
    private static JsonArray Conditions(string text, string reason = "Reason")
    {
        var list = new JsonArray();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (head, message) = (part[..part.IndexOf(':', StringComparison.Ordinal)], part[(part.IndexOf(':', StringComparison.Ordinal) + 1)..]);
            var (type, status) = (head[..head.IndexOf('=', StringComparison.Ordinal)], head[(head.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            list.Add(new JsonObject { ["type"] = type, ["status"] = status, ["reason"] = reason, ["message"] = message });
        }

        return list;
    }
}
