using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.People;

/// <summary>
/// A person's command as a JSON merge patch of the Incident's spec. The patch carries the resourceVersion it was built
/// from, so a change made meanwhile (another person, another button) makes the API server answer 409 and the caller
/// builds the patch again from a fresh read instead of overwriting it. Lists (approvals, notes) are sent whole, as a
/// merge patch replaces them, built from the spec as read.
/// </summary>
public static class IncidentSpecPatch
{
    /// <summary>Most notes an incident's spec keeps (its schema's bound).</summary>
    public const int MaxNotes = 50;

    public static PatchResult Build(PersonCommand command, IncidentSpec current, string? resourceVersion, string by, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var at = Timestamp(now);
        JsonObject spec;
        switch (command)
        {
            case PersonCommand.Acknowledge:
                spec = new JsonObject { ["acknowledgement"] = Request(by, at, null) };
                break;
            case PersonCommand.Approve approve:
                var approvals = current.Approvals ?? [];
                if (approvals.FirstOrDefault(a => a.Step == approve.Step) is { } already)
                {
                    return PatchResult.Refused($"step {approve.Step} is already approved by {already.By}");
                }

                var list = new JsonArray([.. approvals.Select(a => Approval(a.Step, a.By, a.At is { } t ? Timestamp(t) : null))]);
                list.Add(Approval(approve.Step, by, at));
                spec = new JsonObject { ["approvals"] = list };
                break;
            case PersonCommand.HandBack handBack:
                spec = new JsonObject { ["handback"] = Request(by, at, handBack.Reason) };
                break;
            case PersonCommand.Resolve resolve:
                spec = Close(ResolutionOutcome.Resolved, resolve.Reason, by, at);
                break;
            case PersonCommand.Cancel cancel:
                spec = Close(ResolutionOutcome.Cancelled, cancel.Reason, by, at);
                break;
            case PersonCommand.Reopen reopen:
                // The resolution stays in spec as the record of the earlier close; the later reopen wins over it.
                spec = new JsonObject { ["reopen"] = Request(by, at, reopen.Reason) };
                break;
            case PersonCommand.Regrade regrade:
                spec = new JsonObject
                {
                    ["regrade"] = Drop(new JsonObject { ["severity"] = regrade.Severity.Name(), ["by"] = by, ["reason"] = regrade.Reason }),
                };
                break;
            case PersonCommand.Note note:
                var notes = current.Notes ?? [];
                if (notes.Count >= MaxNotes)
                {
                    return PatchResult.Refused($"the incident already holds {MaxNotes} notes; put longer updates in the post-mortem");
                }

                var all = new JsonArray([.. notes.Select(n => (JsonNode)new JsonObject { ["by"] = n.By, ["at"] = Timestamp(n.At), ["text"] = n.Text })]);
                all.Add(new JsonObject { ["by"] = by, ["at"] = at, ["text"] = note.Text });
                spec = new JsonObject { ["notes"] = all };
                break;
            case PersonCommand.AssignRoles roles:
                spec = new JsonObject
                {
                    ["roles"] = Drop(new JsonObject
                    {
                        ["commander"] = roles.Commander ?? current.Roles?.Commander,
                        ["communications"] = roles.Communications ?? current.Roles?.Communications,
                    }),
                };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command, "unknown command");
        }

        var patch = new JsonObject { ["spec"] = spec };
        if (resourceVersion is not null)
        {
            patch["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion };
        }

        return PatchResult.Patch(patch);
    }

    private static string Timestamp(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Request(string by, string at, string? reason) =>
        Drop(new JsonObject { ["by"] = by, ["at"] = at, ["reason"] = reason });

    private static JsonNode Approval(string step, string by, string? at) =>
        Drop(new JsonObject { ["step"] = step, ["by"] = by, ["at"] = at });

    private static JsonObject Close(ResolutionOutcome outcome, string reason, string by, string at) =>
        new() { ["resolution"] = new JsonObject { ["outcome"] = outcome.ToString(), ["reason"] = reason, ["by"] = by, ["at"] = at } };

    // A merge patch reads null as "delete this field"; an absent optional value must not delete what is there.
    private static JsonObject Drop(JsonObject fields)
    {
        foreach (var key in fields.Where(f => f.Value is null).Select(f => f.Key).ToList())
        {
            fields.Remove(key);
        }

        return fields;
    }
}

/// <summary>The patch to send, or why the command cannot be applied to the incident as it stands.</summary>
public sealed record PatchResult(JsonObject? Body, string? Refusal)
{
    public static PatchResult Patch(JsonObject body) => new(body, null);

    public static PatchResult Refused(string why) => new(null, why);
}
