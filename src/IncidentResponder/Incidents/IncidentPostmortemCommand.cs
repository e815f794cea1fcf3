using System.CommandLine;
using IncidentResponder.Commands;
using IncidentResponder.History;
using IncidentResponder.Operator.Postmortems;

namespace IncidentResponder.Incidents;

/// <summary>
/// <c>kubectl incident postmortem NAME</c>: the post-mortem draft, from the same sources as
/// <c>incident-responder postmortem NAMESPACE/NAME</c>, with the namespace taken the kubectl way (-n, else the context's).
/// </summary>
internal static class IncidentPostmortemCommand
{
    public static Command Create(KubectlFlags flags)
    {
        var name = new Argument<string>("name") { Description = "The incident's name." };
        var command = new Command("postmortem", "Print the incident's post-mortem draft (Markdown).") { name };
        var historyDatabase = HistoryDatabaseOption.AddTo(command, "optional: where post-mortems of deleted incidents are found");
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetResult(flags.Output) is not null)
            {
                throw new UserError("postmortem prints Markdown only: leave -o out");
            }

            var connectionString = HistoryDatabaseOption.Value(parse, historyDatabase);
            using var session = flags.Connect(parse);
            var history = connectionString is null ? null : HistoryStore.Open(connectionString);
            await using var _ = history;
            var incident = parse.GetValue(name)!;
            var (markdown, tried) = await PostmortemSources.FindAsync(PostmortemCommand.Sources(session.Client, history), session.Namespace, incident, ct).ConfigureAwait(false);
            if (markdown is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"no post-mortem for incident {session.Namespace}/{incident} (looked in: {string.Join("; ", tried)})").ConfigureAwait(false);
                return 1;
            }

            await session.Output.WriteAsync(markdown).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
