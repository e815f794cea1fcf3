using System.CommandLine;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Commands;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.People;

namespace IncidentResponder.Incidents;

/// <summary>
/// The commands that change one incident: each asks the cluster who the person is, builds their request into the
/// incident's spec (<see cref="IncidentSpecPatch"/>) and prints what was asked. The operator does the rest.
/// </summary>
internal static class PersonCommands
{
    public static IEnumerable<Command> Create(KubectlFlags flags, TimeProvider time)
    {
        yield return Simple(flags, time, "ack", "Acknowledge the incident: you hold it now.", "acknowledged", _ => new PersonCommand.Acknowledge());

        var step = new Argument<string>("step") { Description = "The runbook step to approve (see the incident's status.actions)." };
        yield return Build(flags, time, new Command("approve", "Approve a runbook step the incident is waiting on (policies in RequireApproval mode).") { step },
            parse => new PersonCommand.Approve(parse.GetValue(step)!),
            parse => $"approved step {parse.GetValue(step)}",
            (parse, session, ct) => incident => StepCheckAsync(session, incident, parse.GetValue(step)!, ct));

        var handbackReason = Reason("Why automation should take it again.");
        yield return Build(flags, time, new Command("handback", "Hand the incident back to automation: its runbook runs again.") { handbackReason },
            parse => new PersonCommand.HandBack(parse.GetValue(handbackReason)), _ => "handed back to automation");

        yield return Closing(flags, time, "resolve", "Resolve the incident: it is over. --reason is required.", "resolved",
            "say why it is over, e.g. --reason \"rolled back to revision 3\"", reason => new PersonCommand.Resolve(reason));
        yield return Closing(flags, time, "cancel", "Cancel the incident as a false alarm. --reason is required.", "cancelled",
            "say why it was a false alarm, e.g. --reason \"load test, not users\"", reason => new PersonCommand.Cancel(reason));

        var reopenReason = Reason("Why it is not over.");
        yield return Build(flags, time, new Command("reopen", "Reopen a resolved or cancelled incident.") { reopenReason },
            parse => new PersonCommand.Reopen(parse.GetValue(reopenReason)), _ => "reopened");

        var text = new Argument<string>("text") { Description = "The line to add to the incident's timeline." };
        yield return Build(flags, time, new Command("note", "Add a line to the incident's timeline.") { text },
            parse => new PersonCommand.Note(NonEmpty(parse.GetValue(text), "TEXT", "write the note, e.g. kubectl incident note NAME \"paged the db team\"")),
            _ => "noted");

        var severity = new Argument<string>("severity") { Description = "SEV-1 (worst) to SEV-4." };
        var regradeReason = Reason("Why the severity changes.");
        yield return Build(flags, time, new Command("severity", "Re-grade the incident; a person's severity wins over the operator's.") { severity, regradeReason },
            parse => new PersonCommand.Regrade(SeverityFlag.Parse("SEVERITY", parse.GetValue(severity)), parse.GetValue(regradeReason)),
            parse => $"re-graded to {SeverityFlag.Parse("SEVERITY", parse.GetValue(severity)).Name()}");

        var commander = new Option<string>("--commander") { Description = "The incident commander (who decides)." };
        var communications = new Option<string>("--communications") { Description = "The communications lead (who writes the updates)." };
        yield return Build(flags, time, new Command("roles", "Name the incident commander and the communications lead.") { commander, communications },
            parse => parse.GetValue(commander) is null && parse.GetValue(communications) is null
                ? throw new UserError("roles needs --commander NAME, --communications NAME or both: say who takes which role")
                : new PersonCommand.AssignRoles(parse.GetValue(commander), parse.GetValue(communications)),
            _ => "roles set");
    }

    private static Option<string> Reason(string description) => new("--reason") { Description = description };

    private static Command Simple(KubectlFlags flags, TimeProvider time, string name, string description, string done, Func<ParseResult, PersonCommand> command) =>
        Build(flags, time, new Command(name, description), command, _ => done);

    /// <summary>resolve and cancel: the reason is required, as it becomes the first line of the post-mortem's resolution.</summary>
    private static Command Closing(KubectlFlags flags, TimeProvider time, string name, string description, string done, string hint, Func<string, PersonCommand> command)
    {
        var reason = new Option<string>("--reason") { Description = "Why (required)." };
        return Build(flags, time, new Command(name, description) { reason },
            parse => command(NonEmpty(parse.GetValue(reason), "--reason", hint)), _ => done);
    }

    private static string NonEmpty(string? value, string flag, string hint) =>
        string.IsNullOrWhiteSpace(value) ? throw new UserError($"{flag} is required: {hint}") : value;

    private static Command Build(
        KubectlFlags flags, TimeProvider time, Command command, Func<ParseResult, PersonCommand> request, Func<ParseResult, string> done,
        Func<ParseResult, PluginSession, CancellationToken, Func<Incident, Task<string?>>>? check = null)
    {
        var name = new Argument<string>("name") { Description = "The incident's name (kubectl incident board lists them)." };
        command.Arguments.Insert(0, name);
        command.SetAction(async (parse, ct) =>
        {
            var format = flags.Format(parse);
            var personCommand = request(parse); // a mistake in the flags is reported before the cluster is asked anything
            using var session = flags.Connect(parse);
            var by = await session.WhoAmIAsync(ct).ConfigureAwait(false);
            var incidentName = parse.GetValue(name)!;
            var patched = await IncidentPatcher.ApplyAsync(session, incidentName, personCommand, by, time, check?.Invoke(parse, session, ct), ct).ConfigureAwait(false);
            if (format == OutputFormat.Table)
            {
                await session.Output.WriteLineAsync($"incident.{GroupVersion.Group}/{incidentName} {done(parse)} by {by}").ConfigureAwait(false);
            }
            else
            {
                format.Write(session.Output, patched);
            }

            return 0;
        });
        return command;
    }

    private static async Task<string?> StepCheckAsync(PluginSession session, Incident incident, string step, CancellationToken ct)
    {
        var runbook = incident.Spec.RunbookRef?.Name;
        var steps = runbook is null ? null : await session.RunbookStepsAsync(runbook, ct).ConfigureAwait(false);
        return ApprovableStep.Refusal(incident.Metadata.Name, step, runbook, steps);
    }
}
