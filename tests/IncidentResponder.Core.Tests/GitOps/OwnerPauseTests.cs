using System.Text.Json.Nodes;
using IncidentResponder.Core.GitOps;
using IncidentResponder.Simulator.Patching;

namespace IncidentResponder.Core.Tests.GitOps;

public sealed class OwnerPauseTests
{
    private const string Incident = "shop/web-crashloop-r2";
    private static readonly GitOpsOwner App = new(GitOpsTool.ArgoCD, GitOpsOwner.Application, "argocd", "guestbook", "test");
    private static readonly GitOpsOwner Kustomization = new(GitOpsTool.Flux, GitOpsOwner.Kustomization, "flux-system", "apps", "test");
    private static readonly GitOpsOwner Release = new(GitOpsTool.Flux, GitOpsOwner.HelmRelease, "shop", "podinfo", "test");

    [Fact]
    public void Argo_cd_3_1_is_paused_with_enabled_false_keeping_prune_and_self_heal_and_resumed_exactly()
    {
        var app = Obj("""{"metadata":{"name":"guestbook"},"spec":{"syncPolicy":{"automated":{"prune":true,"selfHeal":true},"syncOptions":["CreateNamespace=true"]}}}""");

        var pause = OwnerPause.For(App, app, Incident, argoCdHasEnabledField: true);
        var paused = Apply(app, pause.PausePatch!);

        Assert.Equal("""{"prune":true,"selfHeal":true,"enabled":false}""", paused["spec"]!["syncPolicy"]!["automated"]!.ToJsonString());
        Assert.Equal(Incident, (string?)paused["metadata"]!["annotations"]![OwnerPause.PausedByAnnotation]);
        Assert.Equal(Canonical(app), Canonical(Apply(paused, pause.ResumePatch!)));
    }

    [Fact]
    public void An_explicit_enabled_true_is_given_back_as_true()
    {
        var app = Obj("""{"metadata":{"name":"guestbook","annotations":{"team":"a"}},"spec":{"syncPolicy":{"automated":{"enabled":true,"selfHeal":true}}}}""");

        var pause = OwnerPause.For(App, app, Incident, argoCdHasEnabledField: true);

        Assert.Equal(Canonical(app), Canonical(Apply(Apply(app, pause.PausePatch!), pause.ResumePatch!)));
    }

    [Fact]
    public void Older_argo_cd_loses_automated_to_the_pause_and_gets_it_back_byte_for_byte()
    {
        var app = Obj("""{"metadata":{"name":"guestbook"},"spec":{"syncPolicy":{"automated":{"prune":false,"selfHeal":true,"allowEmpty":true},"retry":{"limit":2}}}}""");

        var pause = OwnerPause.For(App, app, Incident, argoCdHasEnabledField: false);
        var paused = Apply(app, pause.PausePatch!);

        Assert.Null(paused["spec"]!["syncPolicy"]!["automated"]);
        Assert.Equal("""{"limit":2}""", paused["spec"]!["syncPolicy"]!["retry"]!.ToJsonString());
        Assert.Equal("""{"prune":false,"selfHeal":true,"allowEmpty":true}""", (string?)paused["metadata"]!["annotations"]![OwnerPause.RemovedAutomatedAnnotation]);
        Assert.Equal(Canonical(app), Canonical(Apply(paused, pause.ResumePatch!)));
    }

    [Theory]
    [InlineData("""{"spec":{"syncPolicy":{}}}""", "no automated sync")]
    [InlineData("""{"spec":{}}""", "no automated sync")]
    [InlineData("""{"spec":{"syncPolicy":{"automated":{"enabled":false,"selfHeal":true}}}}""", "turned off already")]
    public void An_application_argo_cd_does_not_sync_on_its_own_needs_no_pause(string json, string why)
    {
        var pause = OwnerPause.For(App, Obj(json), Incident, argoCdHasEnabledField: true);

        Assert.Null(pause.PausePatch);
        Assert.Null(pause.ResumePatch);
        Assert.Contains(why, pause.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"apps"},"spec":{"interval":"5m","prune":true}}""")]
    [InlineData("""{"metadata":{"name":"apps"},"spec":{"interval":"5m","suspend":false}}""")]
    public void A_kustomization_is_suspended_as_flux_suspend_does_and_resumed_to_exactly_what_it_declared(string json)
    {
        var kustomization = Obj(json);

        var pause = OwnerPause.For(Kustomization, kustomization, Incident, argoCdHasEnabledField: true);
        var paused = Apply(kustomization, pause.PausePatch!);

        Assert.True((bool)paused["spec"]!["suspend"]!);
        Assert.Equal(Canonical(kustomization), Canonical(Apply(paused, pause.ResumePatch!)));
    }

    [Fact]
    public void Something_suspended_by_someone_else_is_neither_paused_nor_resumed()
    {
        var pause = OwnerPause.For(Kustomization, Obj("""{"spec":{"suspend":true}}"""), Incident, argoCdHasEnabledField: true);

        Assert.Null(pause.PausePatch);
        Assert.Null(pause.ResumePatch);
    }

    [Fact]
    public void An_owner_another_incident_paused_is_left_to_that_incident()
    {
        var app = Obj("""{"metadata":{"annotations":{"incidentresponder.dev/paused-by":"shop/api-oom-r4"}},"spec":{"syncPolicy":{"automated":{"enabled":false}}}}""");

        var pause = OwnerPause.For(App, app, Incident, argoCdHasEnabledField: true);

        Assert.Null(pause.PausePatch);
        Assert.Contains("shop/api-oom-r4", pause.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_incident_deciding_again_gets_the_same_patches()
    {
        var app = Obj("""{"spec":{"syncPolicy":{"automated":{"selfHeal":true}}}}""");
        var first = OwnerPause.For(App, app, Incident, argoCdHasEnabledField: true);

        Assert.Equal(first, OwnerPause.For(App, Obj(app.ToJsonString()), Incident, argoCdHasEnabledField: true), new SamePatches());
    }

    [Fact]
    public void A_helm_release_without_drift_correction_needs_no_pause_and_one_with_it_is_suspended()
    {
        var quiet = OwnerPause.For(Release, Obj("""{"spec":{"interval":"10m"}}"""), Incident, argoCdHasEnabledField: true);
        var warned = OwnerPause.For(Release, Obj("""{"spec":{"driftDetection":{"mode":"warn"}}}"""), Incident, argoCdHasEnabledField: true);
        var correcting = OwnerPause.For(Release, Obj("""{"spec":{"driftDetection":{"mode":"enabled"}}}"""), Incident, argoCdHasEnabledField: true);

        Assert.Null(quiet.PausePatch);
        Assert.Contains("drift detection is off", quiet.Summary, StringComparison.Ordinal);
        Assert.Null(warned.PausePatch);
        Assert.Contains("\"suspend\":true", correcting.PausePatch, StringComparison.Ordinal);
    }

    [Fact]
    public void Managers_that_would_undo_the_pause_are_named()
    {
        var generated = Obj("""{"metadata":{"ownerReferences":[{"apiVersion":"argoproj.io/v1alpha1","kind":"ApplicationSet","name":"clusters"}]},"spec":{"syncPolicy":{"automated":{}}}}""");
        var child = Obj("""{"metadata":{"annotations":{"argocd.argoproj.io/tracking-id":"root:argoproj.io/Application:argocd/guestbook"}},"spec":{"syncPolicy":{"automated":{}}}}""");
        var nested = Obj("""{"metadata":{"labels":{"kustomize.toolkit.fluxcd.io/name":"infrastructure","kustomize.toolkit.fluxcd.io/namespace":"flux-system"}},"spec":{"suspend":false}}""");
        var nestedQuiet = Obj("""{"metadata":{"labels":{"kustomize.toolkit.fluxcd.io/name":"infrastructure","kustomize.toolkit.fluxcd.io/namespace":"flux-system"}},"spec":{}}""");

        Assert.Contains("ApplicationSet clusters", Assert.Single(OwnerPause.For(App, generated, Incident, true).Warnings), StringComparison.Ordinal);
        Assert.Contains("application root (app of apps)", Assert.Single(OwnerPause.For(App, child, Incident, true).Warnings), StringComparison.Ordinal);
        Assert.Contains("declares suspend: false", Assert.Single(OwnerPause.For(Kustomization, nested, Incident, true).Warnings), StringComparison.Ordinal);
        Assert.Empty(OwnerPause.For(Kustomization, nestedQuiet, Incident, true).Warnings);
    }

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>
    /// The object as the API server would store it: keys in order (a custom resource is a Go map, encoded sorted) and
    /// an empty annotations map (or metadata) omitted.
    /// </summary>
    private static string Canonical(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        if (copy["metadata"] is JsonObject metadata)
        {
            if (metadata["annotations"] is JsonObject { Count: 0 })
            {
                metadata.Remove("annotations");
            }

            if (metadata.Count == 0)
            {
                copy.Remove("metadata");
            }
        }

        return Sorted(copy)!.ToJsonString();
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };

    /// <summary>The JSON merge patch as the simulated API server applies one to a custom resource.</summary>
    private static JsonObject Apply(JsonObject target, string patch) =>
        JsonMergePatch.Apply(target, JsonNode.Parse(patch))!.AsObject();

    private sealed class SamePatches : IEqualityComparer<OwnerPause>
    {
        public bool Equals(OwnerPause? x, OwnerPause? y) =>
            x?.PausePatch == y?.PausePatch && x?.ResumePatch == y?.ResumePatch && x?.Summary == y?.Summary && x!.Warnings.SequenceEqual(y!.Warnings);

        public int GetHashCode(OwnerPause obj) => 0;
    }
}
