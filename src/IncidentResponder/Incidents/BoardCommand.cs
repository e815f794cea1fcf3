using System.CommandLine;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.People;
using k8s;

namespace IncidentResponder.Incidents;

/// <summary>
/// <c>kubectl incident board</c>: every incident in every namespace (or -n's), worst first then oldest first, with
/// who holds each; -o json|yaml prints the incidents themselves in that order.
/// </summary>
internal static class BoardCommand
{
    public static Command Create(KubectlFlags flags, TimeProvider time)
    {
        var command = new Command("board", "List incidents, worst first then oldest first, with who holds each (all namespaces unless -n).");
        command.SetAction(async (parse, ct) =>
        {
            var format = flags.Format(parse);
            using var session = flags.Connect(parse);
            // The board's point is the whole picture: every namespace unless -n narrows it (-A says the default out loud).
            var narrowed = parse.GetResult(flags.Namespace) is not null && !parse.GetValue(flags.AllNamespaces);
            var list = narrowed
                ? await session.Client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<Incident>>(
                    GroupVersion.Group, GroupVersion.Version, session.Namespace, Incident.Plural, cancellationToken: ct).ConfigureAwait(false)
                : await session.Client.CustomObjects.ListClusterCustomObjectAsync<CustomResourceList<Incident>>(
                    GroupVersion.Group, GroupVersion.Version, Incident.Plural, cancellationToken: ct).ConfigureAwait(false);
            var now = time.GetUtcNow().UtcDateTime;
            var rows = IncidentBoard.Rows(list.Items, now);
            if (format != OutputFormat.Table)
            {
                var byKey = list.Items.ToDictionary(i => (i.Metadata.NamespaceProperty, i.Metadata.Name));
                format.Write(session.Output, new { apiVersion = "v1", kind = "List", items = rows.Select(r => byKey[(r.Namespace, r.Name)]).ToList() });
                return 0;
            }

            if (rows.Count == 0)
            {
                await session.Output.WriteLineAsync(narrowed ? $"No incidents in namespace {session.Namespace}." : "No incidents.").ConfigureAwait(false);
                return 0;
            }

            Table.Write(session.Output,
                ["NAMESPACE", "NAME", "SEVERITY", "PHASE", "TARGET", "SIGNAL", "HELD BY", "AGE"],
                rows.Select(r => new[] { r.Namespace, r.Name, r.Severity, r.Phase, r.Target, r.Signal, r.HeldBy, r.Age }));
            return 0;
        });
        return command;
    }
}
