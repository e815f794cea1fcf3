using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Metrics;
using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Metrics;
using k8s.Models;

namespace IncidentResponder.Operator.Tests.Metrics;

/// <summary>The counting rules on their own: once per action and per incident, never for the past, never on a standby.</summary>
public sealed class IncidentMetricsRecorderTests
{
    private static readonly DateTime Detected = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly IncidentMetrics _metrics = new(RuntimeMetrics.CreateIsolated());
    private bool _active = true;

    private IncidentMetricsRecorder Recorder() => new(_metrics, () => _active);

    private static CachedResource<Incident> Incident(string uid, params ActionRecord[] actions) => new(new Incident
    {
        Metadata = new V1ObjectMeta { Name = "web-crashloop-r2", NamespaceProperty = "default", Uid = uid },
        Spec = new IncidentSpec { Severity = Severity.Sev2 },
        Status = new IncidentStatus
        {
            Phase = IncidentPhase.Mitigating,
            DetectedAt = Detected,
            OpenedAt = Detected.AddSeconds(4),
            Actions = [.. actions],
        },
    });

    private static CachedResource<Incident> Mitigated(CachedResource<Incident> incident, int afterSeconds)
    {
        incident.Object.Status!.MitigatedAt = Detected.AddSeconds(afterSeconds);
        incident.Object.Status.Phase = IncidentPhase.Mitigated;
        return incident;
    }

    private static ActionRecord Action(ActionPhase phase, int attempt = 1, string step = "rollback", ActionType type = ActionType.RolloutUndo) =>
        new() { Step = step, Type = type, Phase = phase, Attempt = attempt };

    private double Actions(string type, string outcome) => _metrics.Actions.WithLabels(type, outcome).Value;

    [Fact]
    public void An_action_is_counted_when_it_turns_final_and_never_again()
    {
        var recorder = Recorder();
        var pending = Incident("u1", Action(ActionPhase.Pending));
        recorder.OnAdd(pending, isInInitialList: false);
        var running = Incident("u1", Action(ActionPhase.Running));
        recorder.OnUpdate(pending, running);
        Assert.Equal(0, _metrics.Actions.WithLabels("RolloutUndo", "succeeded").Value);

        var succeeded = Incident("u1", Action(ActionPhase.Succeeded));
        recorder.OnUpdate(running, succeeded);
        recorder.OnUpdate(succeeded, Incident("u1", Action(ActionPhase.Succeeded)));
        recorder.OnAdd(Incident("u1", Action(ActionPhase.Succeeded)), isInInitialList: false);

        Assert.Equal(1, Actions("RolloutUndo", "succeeded"));
    }

    [Fact]
    public void Each_attempt_and_each_step_counts_with_its_own_outcome()
    {
        var recorder = Recorder();
        recorder.OnAdd(Incident("u1", Action(ActionPhase.Failed, attempt: 1), Action(ActionPhase.Succeeded, attempt: 2),
            Action(ActionPhase.Skipped, step: "scale", type: ActionType.Scale), Action(ActionPhase.DryRun, step: "flag", type: ActionType.FeatureFlag),
            Action(ActionPhase.AwaitingApproval, step: "restart", type: ActionType.RestartRollout)), isInInitialList: false);

        Assert.Equal(1, Actions("RolloutUndo", "failed"));
        Assert.Equal(1, Actions("RolloutUndo", "succeeded"));
        Assert.Equal(1, Actions("Scale", "skipped"));
        Assert.Equal(1, Actions("FeatureFlag", "dry_run"));
        Assert.Equal(0, Actions("RestartRollout", "succeeded") + Actions("RestartRollout", "failed"));
    }

    [Fact]
    public void Durations_are_observed_once_per_incident_when_the_status_first_shows_them()
    {
        var recorder = Recorder();
        var opened = Incident("u1");
        recorder.OnAdd(opened, isInInitialList: false);
        recorder.OnUpdate(opened, Incident("u1"));
        Assert.Equal(1, _metrics.TimeToDetect.Count);
        Assert.Equal(4, _metrics.TimeToDetect.Sum);
        Assert.Equal(0, _metrics.TimeToMitigate.Count);

        recorder.OnUpdate(opened, Mitigated(Incident("u1"), afterSeconds: 90));
        recorder.OnUpdate(opened, Mitigated(Incident("u1"), afterSeconds: 90));

        Assert.Equal(1, _metrics.TimeToDetect.Count);
        Assert.Equal(1, _metrics.TimeToMitigate.Count);
        Assert.Equal(90, _metrics.TimeToMitigate.Sum);
    }

    [Fact]
    public void What_the_initial_list_shows_was_counted_by_the_previous_process()
    {
        var recorder = Recorder();
        var listed = Mitigated(Incident("u1", Action(ActionPhase.Succeeded)), afterSeconds: 60);
        recorder.OnAdd(listed, isInInitialList: true);
        recorder.OnUpdate(listed, Mitigated(Incident("u1", Action(ActionPhase.Succeeded), Action(ActionPhase.Failed, step: "scale", type: ActionType.Scale)), 60));

        Assert.Equal(0, Actions("RolloutUndo", "succeeded"));
        Assert.Equal(1, Actions("Scale", "failed"));
        Assert.Equal(0, _metrics.TimeToDetect.Count);
        Assert.Equal(0, _metrics.TimeToMitigate.Count);
    }

    [Fact]
    public void A_standby_counts_nothing_even_after_it_takes_over()
    {
        _active = false;
        var recorder = Recorder();
        var seenWhileStandingBy = Incident("u1", Action(ActionPhase.Succeeded));
        recorder.OnAdd(seenWhileStandingBy, isInInitialList: false);

        _active = true;
        recorder.OnUpdate(seenWhileStandingBy, Incident("u1", Action(ActionPhase.Succeeded)));

        Assert.Equal(0, Actions("RolloutUndo", "succeeded"));
        Assert.Equal(0, _metrics.TimeToDetect.Count);
    }

    [Fact]
    public void An_incident_deleted_and_created_again_under_its_name_is_a_new_incident()
    {
        var recorder = Recorder();
        var original = Incident("u1", Action(ActionPhase.Succeeded));
        recorder.OnAdd(original, isInInitialList: false);
        recorder.OnDelete(original);
        recorder.OnAdd(Incident("u2", Action(ActionPhase.Succeeded)), isInInitialList: false);

        Assert.Equal(2, Actions("RolloutUndo", "succeeded"));
        Assert.Equal(2, _metrics.TimeToDetect.Count);
    }

    [Fact]
    public void The_gauge_counts_the_cache_at_scrape_time_and_keeps_every_series_at_zero_when_empty()
    {
        var incidents = new List<Incident> { Incident("u1").Object, Mitigated(Incident("u2"), 30).Object, new() { Metadata = new V1ObjectMeta { Name = "declared" }, Spec = new IncidentSpec { Severity = Severity.Sev1 } } };
        var gauge = new IncidentGauge(_metrics, () => incidents, () => _active);

        gauge.Update();
        Assert.Equal(1, _metrics.Incidents.WithLabels("SEV-2", "Mitigating").Value);
        Assert.Equal(1, _metrics.Incidents.WithLabels("SEV-2", "Mitigated").Value);
        Assert.Equal(1, _metrics.Incidents.WithLabels("SEV-1", IncidentMetricLabels.UnknownPhase).Value);

        incidents.Clear();
        gauge.Update();
        Assert.Equal(0, _metrics.Incidents.WithLabels("SEV-2", "Mitigating").Value);
        Assert.Equal(0, _metrics.Incidents.WithLabels("SEV-1", IncidentMetricLabels.UnknownPhase).Value);
        Assert.Equal(4 * Enum.GetValues<IncidentPhase>().Length + 1, _metrics.Incidents.GetAllLabelValues().Count());
    }
}
