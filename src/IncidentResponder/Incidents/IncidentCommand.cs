using System.CommandLine;

namespace IncidentResponder.Incidents;

/// <summary>
/// <c>incident-responder incident …</c>, which is <c>kubectl incident …</c> once the plugin is installed
/// (<c>incident-responder plugin install</c>): the commands of the people running an incident.
/// </summary>
internal static class IncidentCommand
{
    public static Command Create(TimeProvider time)
    {
        var flags = new KubectlFlags();
        var command = new Command("incident", "Run an incident from kubectl: declare, acknowledge, approve, hand back, resolve; the board, the timeline, the post-mortem.");
        flags.AddTo(command);
        command.Subcommands.Add(DeclareCommand.Create(flags));
        foreach (var change in PersonCommands.Create(flags, time))
        {
            command.Subcommands.Add(change);
        }

        command.Subcommands.Add(BoardCommand.Create(flags, time));
        command.Subcommands.Add(TimelineCommand.Create(flags));
        command.Subcommands.Add(IncidentPostmortemCommand.Create(flags));
        return command;
    }
}
