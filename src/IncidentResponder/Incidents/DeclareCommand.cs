using System.CommandLine;
using System.Net;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Commands;
using IncidentResponder.Core.Incidents;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Incidents;

/// <summary>
/// <c>kubectl incident declare</c>: a person opens an incident the operator did not see (a customer report, a
/// dependency down). It is an Incident like the operator's, with source Manual and who declared it in spec.declaredBy.
/// </summary>
internal static class DeclareCommand
{
    public static Command Create(KubectlFlags flags)
    {
        var target = new Option<string>("--target") { Description = "The workload the incident is about, in the namespace (required)." };
        var kind = new Option<string>("--kind") { Description = "The target's kind.", DefaultValueFactory = _ => "Deployment" };
        var severity = new Option<string>("--severity") { Description = "SEV-1 (worst) to SEV-4 (required)." };
        var summary = new Option<string>("--summary") { Description = "One line: what is wrong and who is affected (required)." };
        var signal = new Option<string>("--signal") { Description = $"What kind of failure; default {SignalType.Manual}." };
        var name = new Option<string>("--name") { Description = "The incident's name; default: the target's name and a generated suffix." };
        var command = new Command("declare", "Declare an incident: you open it, the operator runs it.") { target, kind, severity, summary, signal, name };
        command.SetAction(async (parse, ct) =>
        {
            var format = flags.Format(parse);
            var incident = NewIncident(
                Required(parse.GetValue(target), "--target", "name the workload, e.g. --target checkout"),
                parse.GetValue(kind) ?? "Deployment",
                SeverityFlag.Parse("--severity", Required(parse.GetValue(severity), "--severity", "say how bad, SEV-1 (worst) to SEV-4")),
                Required(parse.GetValue(summary), "--summary", "say in a line what is wrong and who is affected"),
                Signal(parse.GetValue(signal)),
                parse.GetValue(name));
            using var session = flags.Connect(parse);
            incident.Spec.DeclaredBy = await session.WhoAmIAsync(ct).ConfigureAwait(false);
            incident.Metadata.NamespaceProperty = session.Namespace;
            Incident created;
            try
            {
                created = await session.Client.CustomObjects.CreateNamespacedCustomObjectAsync<Incident>(
                    incident, GroupVersion.Group, GroupVersion.Version, session.Namespace, Incident.Plural, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (HttpOperationException refused) when (refused.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden)
            {
                throw new UserError($"incident not declared: {IncidentPatcher.StatusMessage(refused)}", refused);
            }

            if (format == OutputFormat.Table)
            {
                await session.Output.WriteLineAsync($"incident.{GroupVersion.Group}/{created.Metadata.Name} declared by {incident.Spec.DeclaredBy} ({incident.Spec.Severity.Name()}, {incident.Spec.TargetRef.Kind} {incident.Spec.TargetRef.Name})").ConfigureAwait(false);
            }
            else
            {
                format.Write(session.Output, created);
            }

            return 0;
        });
        return command;
    }

    private static Incident NewIncident(string target, string kind, Severity severity, string summary, SignalType signal, string? name) => new()
    {
        ApiVersion = GroupVersion.ApiVersion,
        Metadata = name is { Length: > 0 } ? new V1ObjectMeta { Name = name } : new V1ObjectMeta { GenerateName = $"{target}-" },
        Spec = new IncidentSpec
        {
            TargetRef = new TargetReference { Kind = kind, Name = target },
            Signal = new Signal { Type = signal, Message = summary },
            Severity = severity,
            Summary = summary,
            Source = IncidentSource.Manual,
        },
    };

    private static SignalType Signal(string? text) =>
        text is null ? SignalType.Manual
        : Enum.TryParse<SignalType>(text, ignoreCase: true, out var type) && Enum.IsDefined(type) && !int.TryParse(text, out _) ? type
        : throw new UserError($"--signal {text} is not a signal type: use one of {string.Join(", ", Enum.GetNames<SignalType>())}");

    private static string Required(string? value, string flag, string hint) =>
        string.IsNullOrWhiteSpace(value) ? throw new UserError($"{flag} is required: {hint}") : value;
}
