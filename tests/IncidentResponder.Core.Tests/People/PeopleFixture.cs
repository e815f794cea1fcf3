using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.People;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.People;

/// <summary>A declared incident on "web" and the people's requests the tests add to its spec.</summary>
internal static class PeopleFixture
{
    public static readonly string[] Steps = ["rollback", "escalate"];

    public static IncidentSpec Spec() => new()
    {
        TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = Cluster.Name },
        Signal = new Signal { Type = SignalType.DependencyFailure, Message = "payments time out" },
        Severity = Severity.Sev3,
        DeclaredBy = "alice",
        RunbookRef = new LocalObjectReference { Name = "bad-rollout" },
    };

    public static IncidentStatus Opened(IncidentSpec spec) => IncidentDeclaration.Open(null, spec, Clock.T0);

    public static IncidentStatus Escalated(IncidentSpec spec) =>
        IncidentStateMachine.Apply(Opened(spec), new IncidentEvent.Escalated(Conditions.Reasons.StepsExhausted, "no step left"), Clock.At(10));

    public static PeopleOutcome Apply(IncidentStatus status, IncidentSpec spec, double at) =>
        PeopleLifecycle.Apply(status, spec, Steps, "bad-rollout", Clock.At(at));

    public static string Condition(IncidentStatus status, string type) => StatusConditions.Find(status.Conditions, type)?.Status ?? "absent";
}
