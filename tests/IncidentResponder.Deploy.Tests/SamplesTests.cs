using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests;

/// <summary>config/samples: what a team applies to a namespace. It must be valid and self-consistent.</summary>
public sealed class SamplesTests
{
    // Strict: a misspelt field or an unknown enum value in a sample fails here, not in someone's cluster.
    private static readonly JsonSerializerOptions Strict = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    private static IReadOnlyList<YamlMappingNode> Samples()
    {
        var kustomization = YamlDocs.LoadOne(RepositoryRoot.ReadText("config/samples/kustomization.yaml"), "config/samples/kustomization.yaml");
        return kustomization.Strings("resources").SelectMany(file => YamlDocs.LoadFile($"config/samples/{file}")).ToList();
    }

    private static T Sample<T>(string kind) =>
        YamlJson.ToJson(Samples().Single(s => s.Kind() == kind))!.Deserialize<T>(Strict)
        ?? throw new InvalidDataException($"the {kind} sample is empty");

    [Fact]
    public void The_kustomization_lists_every_sample_file_and_each_is_a_namespaceless_incidentresponder_object()
    {
        var listed = YamlDocs.LoadOne(RepositoryRoot.ReadText("config/samples/kustomization.yaml"), "kustomization").Strings("resources");
        var files = Directory.GetFiles(RepositoryRoot.Combine("config/samples"), "*.yaml")
            .Select(Path.GetFileName).Where(f => f != "kustomization.yaml");

        Assert.Equal(files.Order(), listed.Order());
        Assert.All(Samples(), s =>
        {
            Assert.Equal(GroupVersion.ApiVersion, s.Str("apiVersion"));
            Assert.Null(s.Namespace()); // applied with -n to the namespace a team wants governed
        });
        Assert.Equal(new[] { "Incident", "RemediationPolicy", "Runbook" }, Samples().Select(s => s.Kind()).Order());
    }

    [Fact]
    public void Every_sample_deserializes_strictly_into_its_api_type()
    {
        Assert.NotEmpty(Sample<Runbook>(Runbook.KindName).Spec.Steps);
        Assert.NotEmpty(Sample<RemediationPolicy>(RemediationPolicy.KindName).Spec.Signals);
        Assert.Equal(IncidentSource.Manual, Sample<Incident>(Incident.KindName).Spec.Source);
    }

    [Fact]
    public void The_policy_routes_every_signal_to_a_runbook_that_is_in_the_samples_and_handles_it()
    {
        var policy = Sample<RemediationPolicy>(RemediationPolicy.KindName);
        var runbook = Sample<Runbook>(Runbook.KindName);
        var runbookName = Samples().Single(s => s.Kind() == Runbook.KindName).Name();

        Assert.Equal(Enum.GetValues<SignalType>().Order(), policy.Spec.Signals.Select(r => r.Signal).Order());
        Assert.All(policy.Spec.Signals, route =>
        {
            Assert.Equal(runbookName, route.RunbookRef.Name);
            Assert.Contains(route.Signal, runbook.Spec.Signals);
        });
    }

    [Fact]
    public void The_policy_governs_every_deployment_of_its_namespace_automatically()
    {
        var policy = Sample<RemediationPolicy>(RemediationPolicy.KindName).Spec;

        Assert.True(policy.Selector is null || (policy.Selector.MatchLabels is null or { Count: 0 } && policy.Selector.MatchExpressions is null or { Count: 0 }));
        Assert.Equal(RemediationMode.Automatic, policy.Modes?.Default);
        Assert.All(new[] { policy.Modes!.Sev1, policy.Modes.Sev2, policy.Modes.Sev3, policy.Modes.Sev4 },
            mode => Assert.True(mode is null or RemediationMode.Automatic));
        Assert.NotEqual(true, policy.Paused);
    }

    [Fact]
    public void The_runbook_walks_the_seed_decision_tree_in_order()
    {
        var steps = Sample<Runbook>(Runbook.KindName).Spec.Steps;

        // Recent deployment? Roll back, first of all.
        Assert.Equal(ActionType.RolloutUndo, steps[0].Action.Type);
        Assert.True(steps[0].When?.RecentRollout);
        Assert.Equal(UndoTarget.LastKnownGood, steps[0].Action.RolloutUndo?.To);
        var rest = steps.Skip(1).ToList();
        Assert.All(rest, s => Assert.NotEqual(ActionType.RolloutUndo, s.Action.Type));

        // Resource exhaustion: raise the memory limit for OOM kills, then scale.
        var raise = rest.FindIndex(s => s.Action.Type == ActionType.RaiseMemoryLimit);
        var scale = rest.FindIndex(s => s.Action.Type == ActionType.Scale);
        Assert.True(raise >= 0 && scale > raise, "RaiseMemoryLimit must come before Scale");
        Assert.Contains(SignalType.OOMKilled, rest[raise].When!.Signals!);
        Assert.Contains(SignalType.RestartStorm, rest[scale].When!.Signals!);

        // Dependency failure: the feature flag, from a ConfigMap.
        var flag = Assert.Single(rest, s => s.Action.Type == ActionType.FeatureFlag);
        Assert.Equal(new[] { SignalType.DependencyFailure }, flag.When!.Signals!);
        Assert.Equal(FeatureFlagProviderType.ConfigMap, flag.Action.FeatureFlag!.Provider);

        // Data issue: people, with guidance.
        var data = Assert.Single(rest, s => s.When?.Signals?.Contains(SignalType.DataIssue) == true);
        Assert.Equal(ActionType.Escalate, data.Action.Type);
        Assert.Contains("backup", data.Action.Note, StringComparison.OrdinalIgnoreCase);

        // Otherwise: engage additional engineers, whatever the signal.
        Assert.Equal(ActionType.Escalate, steps[^1].Action.Type);
        Assert.Null(steps[^1].When);
    }

    [Fact]
    public void The_runbook_is_internally_consistent()
    {
        var steps = Sample<Runbook>(Runbook.KindName).Spec.Steps;

        Assert.Equal(steps.Count, steps.Select(s => s.Name).Distinct().Count());
        Assert.All(steps.Where(s => s.OnFailure?.Step is not null), s => Assert.Contains(s.OnFailure!.Step, steps.Select(t => t.Name)));
        Assert.All(steps.Where(s => s.Verify?.Window is not null && s.Verify.Timeout is not null),
            s => Assert.True(ParseDuration(s.Verify!.Window!) <= ParseDuration(s.Verify.Timeout!), $"{s.Name}: window longer than timeout"));
    }

    [Fact]
    public void The_policy_allows_the_flag_the_runbook_flips()
    {
        var flags = Sample<Runbook>(Runbook.KindName).Spec.Steps.Where(s => s.Action.FeatureFlag is not null).Select(s => s.Action.FeatureFlag!.Flag);
        var allowed = Sample<RemediationPolicy>(RemediationPolicy.KindName).Spec.Guardrails?.AllowedFlags ?? [];

        Assert.All(flags, flag => Assert.Contains(flag, allowed));
    }

    [Fact]
    public void The_declared_incident_names_the_sample_runbook_and_policy()
    {
        var incident = Sample<Incident>(Incident.KindName).Spec;

        Assert.Equal(Samples().Single(s => s.Kind() == Runbook.KindName).Name(), incident.RunbookRef?.Name);
        Assert.Equal(Samples().Single(s => s.Kind() == RemediationPolicy.KindName).Name(), incident.PolicyRef?.Name);
        Assert.False(string.IsNullOrWhiteSpace(incident.Summary));
    }

    private static TimeSpan ParseDuration(string text)
    {
        var unit = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            _ => throw new FormatException($"sample durations use one unit of s, m or h: {text}"),
        };
        return unit * int.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
