using System.Text.Json;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.Decisions;

/// <summary>
/// Crash safety of the new actions: the "operator" is killed before each of its writes and effects in turn, restarts
/// with nothing but the cluster and the incident status, and must still make exactly one change and a complete record.
/// </summary>
public sealed class NewActionKillAtEveryStepTests
{
    private sealed class Killed : Exception;

    /// <summary>An in-memory cluster (one Deployment) and the incident status as the API stores them.</summary>
    private sealed class Shell(RunbookAction action)
    {
        private readonly RunbookSpec runbook = new()
        {
            Title = "t",
            Signals = [SignalType.OOMKilled],
            Steps = [new RunbookStep { Name = "act", Action = action }, Runbooks.Step("page", ActionType.Escalate)],
        };

        private int operations;

        public DeploymentObservation Deployment { get; private set; } = Exhausted.Web();

        public PodObservation[] Pods { get; private set; } = Exhausted.OomPods();

        public IncidentStatus Status { get; private set; } = Exhausted.Opened();

        public int Changes { get; private set; }

        public int KillAt { get; init; }

        public DateTimeOffset Now { get; private set; } = Clock.T0;

        public void RunUntilResolved()
        {
            for (var i = 0; i < 120 && Status.Phase != IncidentPhase.Resolved; i++, Now += TimeSpan.FromSeconds(10))
            {
                try
                {
                    Reconcile();
                }
                catch (Killed)
                {
                    // The restarted process knows only what is stored: the cluster and the status.
                }
            }
        }

        private void Reconcile()
        {
            var policy = Guards.ShopPolicy with { Caps = Policy.ActionCaps.Default with { MaxReplicas = 10, AllowedFlags = new HashSet<string> { HttpFlip.Flag } } };
            var context = Exhausted.Context(runbook, policy, Status, Deployment, Pods, history: [.. ActionHistory.From(Exhausted.IncidentName, "web", Status.Actions)],
                now: Now);
            var decision = IncidentDecider.Decide(context, Now);
            Write(decision.Status);
            foreach (var effect in decision.Effects.OfType<Effect.RunAction>())
            {
                Operation();
                Perform(effect.Change!);
                Write(IncidentStateMachine.Apply(Status, new IncidentEvent.ActionApplied(effect.Step, effect.Attempt, effect.Change!.Describe()), Now));
            }
        }

        private void Perform(ActionChange change)
        {
            if (change is ActionChange.FlipFlag)
            {
                // An HTTP endpoint keeps no state the operator can read: every request that goes out counts.
                Changes++;
                Pods = Exhausted.HealthyPods();
                return;
            }

            var before = Deployment;
            Deployment = change switch
            {
                ActionChange.ScaleDeployment scale => Deployment with
                {
                    DesiredReplicas = scale.ToReplicas, ReadyReplicas = scale.ToReplicas, AvailableReplicas = scale.ToReplicas, UpdatedReplicas = scale.ToReplicas,
                },
                ActionChange.SetMemoryLimit memory => Deployment with { Template = Exhausted.Template(memory.ToLimit.ToString()) },
                _ => throw new InvalidOperationException(change.ToString()),
            };
            Changes += Deployment == before ? 0 : 1;
            Pods = Exhausted.HealthyPods(); // the change helped
        }

        private void Write(IncidentStatus status)
        {
            if (JsonSerializer.Serialize(status) == JsonSerializer.Serialize(Status))
            {
                return;
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
    }

    public static TheoryData<string, int> Kills()
    {
        var data = new TheoryData<string, int>();
        foreach (var action in new[] { "Scale", "RaiseMemoryLimit" })
        {
            for (var kill = 0; kill <= 8; kill++)
            {
                data.Add(action, kill);
            }
        }

        return data;
    }

    private static readonly FeatureFlagAction HttpFlip = new()
    {
        Flag = "payment_service", Value = "false", Provider = FeatureFlagProviderType.Http,
        Http = new HttpFlagProvider { Url = "https://admin.internal/feature-flags" },
    };

    /// <summary>Operation 3 of an HTTP flip: the status says "dispatched", the request has not left yet.</summary>
    private const int BetweenDispatchMarkAndSend = 3;

    /// <summary>
    /// An HTTP flip cannot be read back, so it is sent at most once: killed anywhere, the endpoint never gets a second
    /// request. Killed after the flip was marked dispatched but before it left, nothing is sent: the record says the
    /// answer was lost, verification finds the failure still there and people take over (never a blind resend).
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(BetweenDispatchMarkAndSend)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void An_http_flip_killed_at_any_step_is_sent_at_most_once_and_never_resent_blindly(int killAt)
    {
        var shell = new Shell(new RunbookAction { Type = ActionType.FeatureFlag, FeatureFlag = HttpFlip }) { KillAt = killAt };

        shell.RunUntilResolved();

        var record = shell.Status.Actions!.First(a => a.Step == "act");
        if (killAt == BetweenDispatchMarkAndSend)
        {
            Assert.Equal(0, shell.Changes);
            Assert.Equal((ActionPhase.Failed, IncidentPhase.Escalated), (record.Phase, shell.Status.Phase));
            Assert.Contains(shell.Status.Timeline!, e => e.Message.Contains("not sent again after a restart", StringComparison.Ordinal));
            return;
        }

        Assert.Equal(1, shell.Changes);
        Assert.Equal(IncidentPhase.Resolved, shell.Status.Phase);
        Assert.Equal(ActionPhase.Succeeded, Assert.Single(shell.Status.Actions!).Phase);
        Assert.True(record.Details!.ContainsKey(ActionRecords.DispatchedAtKey));
    }

    [Theory]
    [MemberData(nameof(Kills))]
    public void Killed_at_any_step_the_change_is_made_exactly_once_and_recorded(string type, int killAt)
    {
        var action = type == "Scale"
            ? new RunbookAction { Type = ActionType.Scale, Scale = new ScaleAction { Factor = 1.5 } }
            : new RunbookAction { Type = ActionType.RaiseMemoryLimit, RaiseMemoryLimit = new RaiseMemoryLimitAction { Factor = 1.5 } };
        var shell = new Shell(action) { KillAt = killAt };

        shell.RunUntilResolved();

        Assert.Equal(IncidentPhase.Resolved, shell.Status.Phase);
        Assert.Equal(1, shell.Changes);
        var record = Assert.Single(shell.Status.Actions!);
        Assert.Equal((ActionPhase.Succeeded, action.Type), (record.Phase, record.Type));
        Assert.True(type == "Scale" ? shell.Deployment.DesiredReplicas == 6 : ChangeObservation.MemoryLimit(shell.Deployment, "app")!.Value.ToString() == "384Mi");
    }
}
