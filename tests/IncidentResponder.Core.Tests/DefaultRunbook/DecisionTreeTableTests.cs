using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Exhaustion;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.DefaultRunbook;

/// <summary>
/// The shipped default Runbook (config/samples/runbook_decision_tree.yaml) under the shipped policy, walked through
/// every branch of the playbook's decision tree by the real decider:
/// recent deployment → roll back; resource exhaustion → raise memory (once, capped), else scale out; OOM that goes on
/// after the raise → escalate, never raise again; dependency failure → flip the flag; data issue → people, with the
/// playbook's guidance; nothing matches → engage additional engineers.
/// </summary>
public sealed class DecisionTreeTableTests
{
    private static readonly RunbookSpec Runbook = Samples.DecisionTreeRunbook().Spec;
    private static readonly EffectivePolicy Policy = EffectivePolicy.From(Samples.AutomaticPolicy());

    /// <summary>Which step the first decision runs and what it asks the shell to do.</summary>
    public static TheoryData<string, string, string> Branches => new()
    {
        { "crash loop right after a rollout", "rollback-recent-deployment", "RollBack to revision 2" },
        { "OOM right after a rollout", "rollback-recent-deployment", "RollBack to revision 2" },
        { "OOM on a stable revision", "raise-memory-limit", "SetMemoryLimit app 256Mi→384Mi cap 512Mi" },
        { "OOM on the first revision of a Deployment created 2 minutes ago", "raise-memory-limit", "SetMemoryLimit app 256Mi→384Mi cap 512Mi" },
        { "OOM on a stable revision, policy maxMemory 300Mi", "raise-memory-limit", "SetMemoryLimit app 256Mi→300Mi cap 300Mi" },
        { "OOM on a stable revision, no memory limit to raise", "scale-up", "ScaleDeployment 4→6" },
        { "OOM on a stable revision managed by an HPA, no memory limit", "scale-up", "ScaleHpa min 2→6 max 8→8" },
        { "restart storm on a stable revision", "scale-up", "ScaleDeployment 4→6" },
        { "OOM after another incident raised memory 2h ago", "raise-memory-limit", "Escalated RepeatWouldNotHelp" },
        { "saturation alert on a stable revision", "raise-memory-limit", "SetMemoryLimit app 256Mi→384Mi cap 512Mi" },
        { "error-rate alert on a stable revision (nothing matches)", "engage-additional-engineers", "Escalated EscalationStep" },
        { "dependency failure", "disable-failing-dependency", "FlipFlag payment_service=false via ConfigMap feature-flags" },
        { "data issue", "data-issue-to-humans", "Escalated EscalationStep" },
        { "crash loop on a stable revision (nothing matches)", "engage-additional-engineers", "Escalated EscalationStep" },
    };

    [Theory]
    [MemberData(nameof(Branches))]
    public void Every_branch_of_the_seeds_decision_tree(string scenario, string step, string outcome)
    {
        var decision = Walk(Scenario(scenario));
        Assert.Equal((step, outcome), (StepOf(decision), Describe(decision)));
    }

    /// <summary>
    /// Reconciles as the shell does (status written back, the namespace's action history rebuilt from it) until the
    /// decider asks for an effect: a skipped step moves the runbook on by one step per reconcile.
    /// </summary>
    private static IncidentDecision Walk(IncidentContext context)
    {
        for (var reconcile = 0; reconcile < 5; reconcile++)
        {
            var decision = IncidentDecider.Decide(context, Clock.At(reconcile));
            if (decision.Effects.Count > 0 || decision.Status.Phase == IncidentPhase.Escalated)
            {
                return decision;
            }

            context = context with
            {
                Status = decision.Status,
                NamespaceActions = [.. context.NamespaceActions.Where(a => a.Incident != context.IncidentName),
                    .. ActionHistory.From(context.IncidentName, Name, decision.Status.Actions)],
            };
        }

        throw new InvalidOperationException("the runbook asked for nothing in 5 reconciles");
    }

    [Fact]
    public void Continued_oom_after_the_raise_escalates_and_is_never_raised_again()
    {
        // Step 1: the raise, applied (a template change: the Deployment rolls out revision 3 with 384Mi).
        var first = IncidentDecider.Decide(Scenario("OOM on a stable revision"), Clock.T0);
        var raise = Assert.IsType<ActionChange.SetMemoryLimit>(Assert.IsType<Effect.RunAction>(Assert.Single(first.Effects)).Change);
        var applied = IncidentStateMachine.Apply(first.Status, new IncidentEvent.ActionApplied("raise-memory-limit", 1, "raised"), Clock.At(1));

        // Step 2: revision 3 keeps being OOM-killed until the step's 10m verification timeout.
        var raised = ReplicaSet(3, Clock.At(2), template: Exhausted.Template(raise.ToLimit.ToString()));
        var stillOom = new[] { OomKilled("web-5", 3, Clock.At(590)), OomKilled("web-6", 3, Clock.At(595)), HealthyPod("web-7", 3), HealthyPod("web-8", 3) };
        var deployment = Exhausted.Web("384Mi") with { CurrentRevision = 3, Template = raised.Template };
        IncidentContext After(IncidentStatus status) => Exhausted.Context(Runbook, Policy, status, deployment, stillOom,
            [Exhausted.Stable with { Replicas = 0, ReadyReplicas = 0, AvailableReplicas = 0 }, raised], now: Clock.At(601));

        var failed = IncidentDecider.Decide(After(applied), Clock.At(601));
        Assert.Equal(ActionPhase.Failed, Assert.Single(failed.Status.Actions!).Phase);
        var escalated = IncidentDecider.Decide(After(failed.Status), Clock.At(602));

        Assert.Equal(IncidentPhase.Escalated, escalated.Status.Phase);
        Assert.Contains("raise-memory-limit failed and its onFailure says escalate", escalated.Status.Timeline![^1].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(failed.Effects.Concat(escalated.Effects), e => e is Effect.RunAction);
        Assert.Single(escalated.Status.Actions!, a => a.Type == ActionType.RaiseMemoryLimit);
    }

    [Fact]
    public void The_default_runbook_escalates_with_the_seeds_guidance_for_data_issues()
    {
        var decision = IncidentDecider.Decide(Scenario("data issue"), Clock.T0);
        var notice = Assert.IsType<Effect.Notify>(Assert.Single(decision.Effects)).Message;
        Assert.Contains("revert the data change or restore from backup", notice, StringComparison.Ordinal);
        Assert.Contains("@backend-oncall", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_matching_engages_additional_engineers()
    {
        var decision = IncidentDecider.Decide(Scenario("crash loop on a stable revision (nothing matches)"), Clock.T0);
        Assert.Contains("Engage additional engineers", Assert.IsType<Effect.Notify>(Assert.Single(decision.Effects)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_policy_caps_and_routes_every_signal_the_runbook_handles()
    {
        Assert.Equal((20, 2.0), (Policy.ActionCaps.MaxReplicas, Policy.ActionCaps.MaxMemoryFactor));
        Assert.Equal(["payment_service"], Policy.ActionCaps.AllowedFlags);
        Assert.Equal(Runbook.Signals.Order(), Samples.AutomaticPolicy().Spec.Signals.Select(s => s.Signal).Order());
    }

    private static IncidentContext Scenario(string scenario) => scenario switch
    {
        "crash loop right after a rollout" => Rollout(CrashLooping("new-1", 3), CrashLooping("new-2", 3), SignalType.CrashLoop, "CrashLoopBackOff"),
        "OOM right after a rollout" => Rollout(OomKilled("new-1", 3, Clock.At(-5)), OomKilled("new-2", 3, Clock.At(-4)), SignalType.OOMKilled, "OOMKilled"),
        "OOM on a stable revision" => Exhausted.Context(Runbook, Policy),
        "OOM on the first revision of a Deployment created 2 minutes ago" => Exhausted.Context(Runbook, Policy,
            deployment: Exhausted.Web() with { CurrentRevision = 1 },
            replicaSets: [ReplicaSet(1, Clock.At(-120), template: Exhausted.Template("256Mi"))],
            pods: [OomKilled("web-1", 1, Clock.At(-10)), OomKilled("web-2", 1, Clock.At(-5)), HealthyPod("web-3", 1), HealthyPod("web-4", 1)]),
        "OOM on a stable revision, policy maxMemory 300Mi" => Exhausted.Context(Runbook, Policy with
        {
            Caps = Policy.ActionCaps with { MaxMemory = Core.Quantities.MemoryQuantity.Parse("300Mi") },
        }),
        "OOM on a stable revision, no memory limit to raise" => Exhausted.Context(Runbook, Policy, deployment: Exhausted.Web(limit: null)),
        "OOM on a stable revision managed by an HPA, no memory limit" => Exhausted.Context(Runbook, Policy, deployment: Exhausted.Web(limit: null),
            actions: new ActionObservations(new HpaObservation("web", Name, 2, 8, 4), ValueList<FlagObservation>.Empty)),
        "restart storm on a stable revision" => Exhausted.Context(Runbook, Policy, Exhausted.Opened(SignalType.RestartStorm, reason: "RestartStorm"),
            pods: Exhausted.HealthyPods()),
        "OOM after another incident raised memory 2h ago" => Exhausted.Context(Runbook, Policy, history:
            [new ActionHistoryEntry("web-oom-0", Name, "raise-memory-limit", ActionType.RaiseMemoryLimit, ActionPhase.Succeeded, Clock.T0.AddHours(-2))]),
        "saturation alert on a stable revision" => Exhausted.Context(Runbook, Policy, Exhausted.Opened(SignalType.Saturation, reason: "ContainerMemoryNearLimit"),
            pods: Exhausted.HealthyPods()),
        "error-rate alert on a stable revision (nothing matches)" => Exhausted.Context(Runbook, Policy,
            Exhausted.Opened(SignalType.ErrorRate, reason: "HighErrorRate"), pods: Exhausted.HealthyPods()),
        "dependency failure" => Exhausted.Context(Runbook, Policy, Exhausted.Opened(SignalType.DependencyFailure, Severity.Sev2, "PaymentServiceTimeouts"),
            pods: Exhausted.HealthyPods()),
        "data issue" => Exhausted.Context(Runbook, Policy, Exhausted.Opened(SignalType.DataIssue, Severity.Sev2, "BadMigration"), pods: Exhausted.HealthyPods()),
        "crash loop on a stable revision (nothing matches)" => Exhausted.Context(Runbook, Policy,
            Exhausted.Opened(SignalType.CrashLoop, reason: "CrashLoopBackOff"), pods: [CrashLooping("web-1", 2), CrashLooping("web-2", 2)]),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "no such scenario"),
    };

    /// <summary>Revision 3 rolling out over a good revision 2, its new pods failing.</summary>
    private static IncidentContext Rollout(PodObservation bad1, PodObservation bad2, SignalType type, string reason)
    {
        var good = ReplicaSet(2, Clock.T0.AddDays(-3), replicas: 2, ready: 2);
        var observed = new DetectionInput(RollingOut(), [good, ReplicaSet(3, Clock.At(-60), replicas: 2, ready: 0)],
            [HealthyPod("good-1", 2), HealthyPod("good-2", 2), bad1, bad2]);
        var detection = ExhaustionDetector.Detect(ExhaustionInput.Of(observed), Policy.Detection with { HoldFor = TimeSpan.Zero }, ExhaustionThresholds.Default,
            HysteresisState.Empty, RestartHistory.Empty, Clock.T0).Result;
        var signal = new ObservedSignal($"deployment/web/{type}/r3", type, reason, $"{type} on revision 3", Clock.At(-20));
        var status = IncidentStateMachine.Apply(null, new IncidentEvent.Opened(signal, new SeverityAssessment(Severity.Sev3, "SEV-3"), Clock.At(-20), null), Clock.T0);
        var history = new RevisionHistory(ValueList.Of(new RevisionRecord(2, Clock.T0.AddDays(-3), null, TimeSpan.FromDays(3))));
        return new IncidentContext(Exhausted.IncidentName, Namespace, [], status, Runbook, Policy, observed, detection, history, [], []);
    }

    private static string StepOf(IncidentDecision decision) =>
        decision.Status.Actions?.LastOrDefault()?.Step
        ?? Runbook.Steps.Single(s => decision.Status.Timeline!.Exists(e => e.Message.Contains($"step {s.Name}", StringComparison.Ordinal))).Name;

    private static string Describe(IncidentDecision decision)
    {
        if (decision.Status.Phase == IncidentPhase.Escalated)
        {
            return $"Escalated {StatusConditions.Find(decision.Status.Conditions, Conditions.Escalated)!.Reason}";
        }

        return Assert.Single(decision.Effects) switch
        {
            Effect.RollBack rollBack => $"RollBack to revision {rollBack.To.Revision}",
            Effect.RunAction { Change: ActionChange.SetMemoryLimit m } => $"SetMemoryLimit {m.Container} {m.FromLimit}→{m.ToLimit} cap {m.Cap}",
            Effect.RunAction { Change: ActionChange.ScaleDeployment s } => $"ScaleDeployment {s.FromReplicas}→{s.ToReplicas}",
            Effect.RunAction { Change: ActionChange.ScaleHpa h } => $"ScaleHpa min {h.FromMinReplicas}→{h.ToMinReplicas} max {h.FromMaxReplicas}→{h.ToMaxReplicas}",
            Effect.RunAction { Change: ActionChange.FlipFlag f } => $"FlipFlag {f.Flag}={f.ToValue} via {f.Provider} {f.Settings.ConfigMap?.Name}",
            var other => other.ToString(),
        };
    }
}
