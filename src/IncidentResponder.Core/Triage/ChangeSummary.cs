using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Revisions;

namespace IncidentResponder.Core.Triage;

/// <summary>Builds the incident's "what changed" record from the failing and the last good revision.</summary>
public static class ChangeSummary
{
    /// <summary>The API allows this many difference lines.</summary>
    public const int MaxLines = 50;

    public static RevisionChange Build(ReplicaSetObservation failing, ReplicaSetObservation? good)
    {
        ArgumentNullException.ThrowIfNull(failing);
        if (good is null)
        {
            return new RevisionChange
            {
                FailingRevision = failing.Revision,
                Differences = ["no earlier revision to compare with"],
            };
        }

        // Args, commands and probe commands are the workload's text and carry secrets as often as logs do
        // (--db-password=...); the change is stored in the Incident's status, read by every tenant of the namespace.
        var lines = TemplateDiff.Describe(good.Template, failing.Template).Select(SecretRedactor.Redact).ToList();
        if (lines.Count == 0)
        {
            lines.Add(good.Template.SameTemplateAs(failing.Template)
                ? "no difference in the pod template"
                : "no difference in images, env names, resources, args or probes (other template fields changed)");
        }

        if (lines.Count > MaxLines)
        {
            var extra = lines.Count - (MaxLines - 1);
            lines = [.. lines.Take(MaxLines - 1), $"... and {extra} more differences"];
        }

        return new RevisionChange { FailingRevision = failing.Revision, GoodRevision = good.Revision, Differences = lines };
    }
}
