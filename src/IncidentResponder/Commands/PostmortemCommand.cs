using System.CommandLine;
using IncidentResponder.History;
using IncidentResponder.Operator.Evidence;
using IncidentResponder.Operator.Postmortems;
using k8s;

namespace IncidentResponder.Commands;

/// <summary>
/// <c>incident-responder postmortem &lt;namespace&gt;/&lt;name&gt;</c>: prints an incident's post-mortem draft as Markdown,
/// from the first source that has it (exit 1 when none does, 2 on a malformed name).
/// </summary>
internal static class PostmortemCommand
{
    public static Command Create()
    {
        var incident = new Argument<string>("incident") { Description = "The incident, as <namespace>/<name>." };
        var kubeconfig = new Option<FileInfo>("--kubeconfig") { Description = "Path to a kubeconfig; default: in-cluster config, else $KUBECONFIG or ~/.kube/config." };
        var command = new Command("postmortem", "Print an incident's post-mortem draft (Markdown) from its <name>-postmortem ConfigMap, else from the history store.") { incident, kubeconfig };
        var historyDatabase = HistoryDatabaseOption.AddTo(command, "optional: where post-mortems of deleted incidents are found");
        command.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(incident) ?? string.Empty;
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
            {
                throw new UserError($"expected <namespace>/<name>, got '{text}'");
            }

            var (ns, name) = (text[..slash], text[(slash + 1)..]);
            var connectionString = HistoryDatabaseOption.Value(parse, historyDatabase);
            var configuration = await ClusterConnection.ConfigurationAsync(parse.GetValue(kubeconfig), TimeSpan.Zero, parse.InvocationConfiguration.Error, ct);
            configuration.UserAgent = "incident-responder-postmortem"; // a person reading, not the operator acting
            using var client = new Kubernetes(configuration);
            var history = connectionString is null ? null : HistoryStore.Open(connectionString);
            await using var _ = history;
            var (markdown, tried) = await PostmortemSources.FindAsync(Sources(client, history), ns, name, ct);
            if (markdown is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"no post-mortem for incident {ns}/{name} (looked in: {string.Join("; ", tried)})");
                return 1;
            }

            await parse.InvocationConfiguration.Output.WriteAsync(markdown);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Where a post-mortem is looked for, in order: the ConfigMap next to the Incident, then the history store
    /// (--history-database), which keeps it once the Incident and its ConfigMaps are deleted. kubectl incident postmortem
    /// looks in the same places.
    /// </summary>
    internal static IReadOnlyList<IPostmortemSource> Sources(IKubernetes client, HistoryStore? history) =>
        history is null
            ? [new ConfigMapPostmortemSource(new IncidentConfigMaps(client))]
            : [new ConfigMapPostmortemSource(new IncidentConfigMaps(client)), new HistoryPostmortemSource(history)];
}
