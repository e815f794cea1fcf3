using System.Text.Json;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Triage;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Fixtures;

/// <summary>Thrown where the test kills the "operator".</summary>
public sealed class Killed : Exception;

/// <summary>
/// A minimal imperative shell over an in-memory cluster, written the way the real one must be: persist the status
/// (the intent) before performing an effect, then report the outcome. It can be killed before any write or effect;
/// what survives a kill is only what a real operator would find in the API: the cluster and the incident status.
/// </summary>
public sealed class FakeShell
{
    public const string IncidentName = "web-crashloop-1";

    private readonly RunbookSpec runbook;
    private readonly EffectivePolicy policy;
    private HysteresisState hysteresis = HysteresisState.Empty; // memory only: lost on a kill
    private int operations;

    public FakeShell(RunbookSpec runbook, EffectivePolicy policy, DateTimeOffset start)
    {
        this.runbook = runbook;
        this.policy = policy;
        Now = start;
        ReplicaSets = [ReplicaSet(2, start.AddDays(-3), replicas: 2, ready: 2), ReplicaSet(3, start.AddSeconds(-60), replicas: 2, ready: 0)];
        Pods = [HealthyPod("good-1", 2), HealthyPod("good-2", 2), CrashLooping("bad-1", 3), CrashLooping("bad-2", 3)];
        Deployment = Cluster.Deployment(ready: 2, available: 2, updated: 2, unavailable: 2, revision: 3, conditions: [Available, Updating]);
        History = new RevisionHistory(ValueList.Of(new RevisionRecord(2, start.AddDays(-3), null, TimeSpan.FromDays(3)), new RevisionRecord(3, start.AddSeconds(-60), null, TimeSpan.Zero)));
    }

    public DateTimeOffset Now { get; private set; }

    public DeploymentObservation Deployment { get; private set; }

    public List<ReplicaSetObservation> ReplicaSets { get; private set; }

    public List<PodObservation> Pods { get; private set; }

    public RevisionHistory History { get; private set; }

    /// <summary>The incident as stored in the API; null until created.</summary>
    public IncidentStatus? Status { get; private set; }

    public int Rollbacks { get; private set; }

    /// <summary>Kill before the operation with this 1-based number (0: never).</summary>
    public int KillAt { get; set; }

    public int Operations => operations;

    /// <summary>Reconciles every <paramref name="step"/> until resolved or the deadline, restarting after each kill.</summary>
    public void RunUntilResolved(TimeSpan step, TimeSpan deadline)
    {
        var end = Now + deadline;
        while (Now < end && Status?.Phase != IncidentPhase.Resolved)
        {
            try
            {
                Reconcile();
            }
            catch (Killed)
            {
                hysteresis = HysteresisState.Empty; // the restarted process remembers nothing of its own
            }

            Now += step;
        }
    }

    private void Reconcile()
    {
        var observed = new DetectionInput(Deployment, ReplicaSets, Pods);
        var detection = RolloutFailureDetector.Detect(observed, policy.Detection, hysteresis, Now);
        hysteresis = detection.State;
        History = History.Observe(Deployment, Now);

        var status = Status;
        foreach (var signal in detection.RolloutSignals)
        {
            var summaries = status is null ? [] : new[] { Summary(status) };
            var triage = SignalTriage.Triage(signal, observed, summaries, History, policy, Now);
            if (triage.BadRevision is { } bad)
            {
                History = History.MarkBad(bad, Now);
            }

            if (status is null)
            {
                Operation(); // create the Incident
                status = Status = IncidentStateMachine.Apply(null, triage.Event, Now);
            }
            else
            {
                status = IncidentStateMachine.Apply(status, triage.Event, Now);
            }
        }

        if (status is null)
        {
            return;
        }

        var context = new IncidentContext(IncidentName, Namespace, [], status, runbook, policy, observed, detection, History,
            [.. ActionHistory.From(IncidentName, Name, status.Actions)], status.Phase == IncidentPhase.Mitigating ? [IncidentName] : []);
        var decision = IncidentDecider.Decide(context, Now);
        Write(decision.Status);
        foreach (var effect in decision.Effects)
        {
            if (effect is Effect.RollBack rollBack && !rollBack.DryRun)
            {
                Operation();
                RollBackTo(rollBack);
                Write(IncidentStateMachine.Apply(Status, new IncidentEvent.ActionApplied(rollBack.Step, rollBack.Attempt,
                    $"rolled back to revision {rollBack.To.Revision}"), Now));
            }
        }
    }

    private void Write(IncidentStatus status)
    {
        if (JsonSerializer.Serialize(status) == JsonSerializer.Serialize(Status))
        {
            return; // nothing changed: a real shell would not write either
        }

        Operation();
        Status = status;
    }

    private void Operation()
    {
        if (++operations == KillAt)
        {
            throw new Killed();
        }
    }

    /// <summary>What kubectl rollout undo does: the target ReplicaSet's template becomes current under a new revision.</summary>
    private void RollBackTo(Effect.RollBack rollBack)
    {
        Rollbacks++;
        var revision = ReplicaSets.Max(rs => rs.Revision) + 1;
        var target = ReplicaSets.Single(rs => rs.Name == rollBack.To.Name);
        ReplicaSets = [.. ReplicaSets.Select(rs => rs.Name == target.Name
            ? rs with { Revision = revision, Replicas = 4, ReadyReplicas = 4, AvailableReplicas = 4 }
            : rs with { Replicas = 0, ReadyReplicas = 0, AvailableReplicas = 0 })];
        Pods = [.. Enumerable.Range(1, 4).Select(i => HealthyPod($"good-{i}", 2))];
        Deployment = Deployment with
        {
            CurrentRevision = revision,
            Template = target.Template,
            ReadyReplicas = 4,
            AvailableReplicas = 4,
            UpdatedReplicas = 4,
            UnavailableReplicas = 0,
            Conditions = ValueList.Of(Available, Complete),
            Annotations = new Dictionary<string, string> { [WellKnown.ActionAnnotation] = rollBack.ActionAnnotation },
        };
    }

    private static IncidentSummary Summary(IncidentStatus status) => new(IncidentName, Name, status.Phase ?? IncidentPhase.Detected,
        new DateTimeOffset(status.OpenedAt ?? default, TimeSpan.Zero), null, [.. (status.Signals ?? []).Select(s => s.Fingerprint)]);
}
