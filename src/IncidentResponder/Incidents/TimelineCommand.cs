using System.CommandLine;
using System.Globalization;

namespace IncidentResponder.Incidents;

/// <summary><c>kubectl incident timeline NAME</c>: the incident's story, oldest first, as the operator recorded it.</summary>
internal static class TimelineCommand
{
    public static Command Create(KubectlFlags flags)
    {
        var name = new Argument<string>("name") { Description = "The incident's name." };
        var command = new Command("timeline", "Print the incident's timeline, oldest first.") { name };
        command.SetAction(async (parse, ct) =>
        {
            var format = flags.Format(parse);
            using var session = flags.Connect(parse);
            var (incident, _) = await session.IncidentAsync(parse.GetValue(name)!, ct).ConfigureAwait(false);
            var timeline = incident.Status?.Timeline ?? [];
            if (format != OutputFormat.Table)
            {
                format.Write(session.Output, timeline);
                return 0;
            }

            if (timeline.Count == 0)
            {
                await session.Output.WriteLineAsync($"incident {incident.Metadata.Name} has no timeline yet: the operator has not recorded anything").ConfigureAwait(false);
                return 0;
            }

            Table.Write(session.Output, ["TIME", "TYPE", "MESSAGE"], timeline.Select(e => new[]
            {
                e.Time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), e.Type.ToString(), e.Message,
            }));
            return 0;
        });
        return command;
    }
}
