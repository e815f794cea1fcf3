namespace IncidentResponder.Operator.Controllers;

/// <summary>How detection runs. The defaults suit a cluster; tests and the demo look again sooner.</summary>
public sealed record DetectionOptions
{
    /// <summary>
    /// How soon an unsettled Deployment (rolling out, unavailable) is looked at again when nothing changes. Readiness
    /// grace and hold periods expire without an API event, so something must come back to look.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}
