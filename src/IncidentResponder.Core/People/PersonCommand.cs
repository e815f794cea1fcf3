using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.People;

/// <summary>
/// What a person asks of an incident, from <c>kubectl incident</c> or a Slack button. Each becomes the same change of
/// the Incident's spec (<see cref="IncidentSpecPatch"/>), whichever way it came in.
/// </summary>
public abstract record PersonCommand
{
    private PersonCommand()
    {
    }

    public sealed record Acknowledge : PersonCommand;

    public sealed record Approve(string Step) : PersonCommand;

    public sealed record HandBack(string? Reason) : PersonCommand;

    public sealed record Resolve(string Reason) : PersonCommand;

    public sealed record Cancel(string Reason) : PersonCommand;

    public sealed record Reopen(string? Reason) : PersonCommand;

    public sealed record Regrade(Severity Severity, string? Reason) : PersonCommand;

    public sealed record Note(string Text) : PersonCommand;

    public sealed record AssignRoles(string? Commander, string? Communications) : PersonCommand;
}
