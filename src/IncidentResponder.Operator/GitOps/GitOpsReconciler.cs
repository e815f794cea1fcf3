using System.Collections.Concurrent;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.GitOps;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.GitOpsOwners;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.GitOps;

/// <summary>
/// Keyed by Incident, on its own queue so that git's slow work never holds a rollback: after a verified mitigation of
/// a GitOps-owned target, writes it back to git and resumes the owner once the commit it would apply holds the fix.
/// Decides nothing itself: each change is decided by <see cref="GitOpsFollowUp"/> and written as intent first.
/// </summary>
public sealed class GitOpsReconciler(
    IKubernetes client,
    ClusterCache cache,
    GitOpsObserver observer,
    OwnerPatcher owners,
    GitOpsReads reads,
    IGitOpsRepositories repositories,
    IncidentStatusStore statuses,
    IncidentEventRecorder events,
    GitOpsOptions options,
    TimeProvider time,
    ILogger<GitOpsReconciler> logger) : IReconciler
{
    public const string Name = "gitops";

    private static readonly TimeSpan MinimumRequeue = TimeSpan.FromMilliseconds(1);

    // A commit's content never changes: whether it holds a fix is asked once per (repository, path, commit, changes).
    private readonly ConcurrentDictionary<string, bool> _holds = new(StringComparer.Ordinal);

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var incident = cache.Incident(request.Namespace ?? string.Empty, request.Name);
        if (incident?.Status?.GitOps?.Owner is null)
        {
            return ReconcileResult.Done;
        }

        var ns = incident.Metadata.NamespaceProperty;
        var target = incident.Spec.TargetRef.Name;
        var policy = incident.Spec.PolicyRef is { } policyRef ? cache.Policy(ns, policyRef.Name)?.Spec.GitOps : null;
        var deployment = cache.Deployment(ns, target);
        var observed = deployment is null ? null : await observer.ObserveAsync(deployment, cancellationToken);
        var source = observed?.Source;
        var credentials = await CredentialsAsync(ns, policy, cancellationToken);
        var changes = MitigationChanges.Verified(incident.Status, target);
        bool? holds = incident.Status.GitOps.Pause?.Phase == GitOpsPausePhase.Paused && changes.Count > 0 && source?.Revision is not null
            ? await HoldsAsync(source, changes, credentials, cancellationToken)
            : null;

        var now = time.GetUtcNow();
        var decision = GitOpsFollowUp.Decide(new GitOpsFollowUpContext(incident.Metadata.Name, ns, target, incident.Status, policy,
            incident.Spec.GitOps?.Resume == true, source, holds), now);
        if (decision.Events.Count > 0)
        {
            incident = await statuses.WriteDecisionAsync(incident, decision.Status, cancellationToken);
            await events.RecordAsync(incident, TargetOf(incident), decision.Events, cancellationToken);
        }

        var outcomes = new List<IncidentEvent>();
        foreach (var effect in decision.Effects)
        {
            outcomes.Add(effect switch
            {
                GitOpsEffect.WriteBack writeBack => await WriteBackAsync(incident, writeBack, source, policy, credentials, cancellationToken),
                GitOpsEffect.Resume resume => await ResumeAsync(incident, resume, cancellationToken),
                GitOpsEffect.Pause pause => await PauseAsync(incident, pause, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(request), effect, "unknown GitOps effect"),
            });
        }

        if (outcomes.Count > 0)
        {
            incident = await statuses.ApplyAsync(incident, outcomes, time.GetUtcNow(), cancellationToken);
            await events.RecordAsync(incident, TargetOf(incident), outcomes, cancellationToken);
            // Decide again on what the effects did at once; after a pause or resume the API refused, wait for the poll
            // instead of asking again in a tight loop.
            return ReconcileResult.RequeueAfter(outcomes.Any(o => o is IncidentEvent.GitOpsNoted) ? options.PollInterval : MinimumRequeue);
        }

        var lookedAt = time.GetUtcNow();
        return Requeue.For(decision.LookAgain, lookedAt, options.PollInterval, MinimumRequeue);
    }

    private async Task<IncidentEvent> WriteBackAsync(Incident incident, GitOpsEffect.WriteBack writeBack, GitOpsSource? source, GitOpsPolicy? policy,
        IDictionary<string, byte[]>? credentials, CancellationToken cancellationToken)
    {
        if (source is null)
        {
            return new IncidentEvent.WriteBackFailed("the owner's git source could not be read (is its GitRepository or Application source there?): write the change back by hand");
        }

        var change = incident.Status?.Change;
        var reason = $"incident {incident.Metadata.Name}: {incident.Spec.Signal.Type} on revision {change?.FailingRevision?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}; rolled back in the cluster and verified";
        var result = await repositories.WriteBackAsync(new WriteBackOrder(source, writeBack.Mode, incident.Metadata.NamespaceProperty, incident.Metadata.Name,
            writeBack.Changes, reason, credentials, policy?.WriteBack?.Author, policy?.WriteBack?.ApiUrl), cancellationToken);
        logger.LogInformation("Incident {Incident} write-back: {Result}", incident.Metadata.Name, result);
        if (result is not WriteBackOutcome.Pushed pushed)
        {
            return new IncidentEvent.WriteBackFailed(((WriteBackOutcome.Failed)result).Message);
        }

        await RequestRefreshAsync(incident, cancellationToken);
        var how = pushed.AlreadyPresent ? "found already pushed" : "pushed";
        var pr = pushed.PullRequestUrl is { } url ? $", pull request {url}" : string.Empty;
        return new IncidentEvent.WriteBackPushed(pushed.Branch, pushed.Commit, pushed.PullRequestUrl,
            $"wrote the mitigation back to git: commit {GitOpsSource.Short(pushed.Commit)} {how} to {source.Url} branch {pushed.Branch}{pr}");
    }

    private async Task<IncidentEvent> ResumeAsync(Incident incident, GitOpsEffect.Resume resume, CancellationToken cancellationToken)
    {
        var outcome = await owners.ResumeAsync(OwnerOf(incident.Status!.GitOps!.Owner!), resume.ResumePatch, resume.PausedBy, cancellationToken);
        logger.LogInformation("Incident {Incident}: {Outcome}", incident.Metadata.Name, outcome.Message);
        return outcome.Done ? new IncidentEvent.OwnerResumed(outcome.Message) : new IncidentEvent.GitOpsNoted(outcome.Message);
    }

    private async Task<IncidentEvent> PauseAsync(Incident incident, GitOpsEffect.Pause pause, CancellationToken cancellationToken)
    {
        var outcome = await owners.PauseAsync(OwnerOf(incident.Status!.GitOps!.Owner!), pause.PausePatch, pause.PausedBy, cancellationToken);
        logger.LogInformation("Incident {Incident}: {Outcome}", incident.Metadata.Name, outcome.Message);
        return outcome.Done ? new IncidentEvent.OwnerPaused(outcome.Message) : new IncidentEvent.GitOpsNoted(outcome.Message);
    }

    /// <summary>Argo CD compares with git on its own schedule (3 minutes by default); a refresh request makes it look now.</summary>
    private async Task RequestRefreshAsync(Incident incident, CancellationToken cancellationToken)
    {
        if (incident.Status?.GitOps?.Owner is not { Kind: GitOpsOwner.Application } owner)
        {
            return;
        }

        try
        {
            await reads.MergePatchAsync(GitOpsKind.Application, owner.Namespace, owner.Name,
                """{"metadata":{"annotations":{"argocd.argoproj.io/refresh":"normal"}}}""", dryRun: false, cancellationToken);
        }
        catch (HttpOperationException refused)
        {
            logger.LogInformation("Incident {Incident}: asking Argo CD to refresh {Owner} failed ({Status}); it will see the commit on its next poll",
                incident.Metadata.Name, owner.Name, (int)refused.Response.StatusCode);
        }
    }

    private async Task<bool?> HoldsAsync(GitOpsSource source, IReadOnlyList<WriteBackChange> changes, IDictionary<string, byte[]>? credentials, CancellationToken cancellationToken)
    {
        var key = $"{source.Url}\n{source.Path}\n{source.Revision}\n{string.Join("\n", changes)}";
        if (_holds.TryGetValue(key, out var known))
        {
            return known;
        }

        var answer = await repositories.HoldsAsync(source, changes, credentials, cancellationToken);
        if (answer is { } value)
        {
            _holds[key] = value;
        }

        return answer;
    }

    private async Task<IDictionary<string, byte[]>?> CredentialsAsync(string ns, GitOpsPolicy? policy, CancellationToken cancellationToken)
    {
        if (policy?.WriteBack?.CredentialsSecretRef is not { } reference)
        {
            return null;
        }

        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(reference.Name, ns, cancellationToken: cancellationToken);
            return secret.Data ?? new Dictionary<string, byte[]>();
        }
        catch (HttpOperationException missing)
        {
            // The write-back then fails with git's own "authentication failed", which names what to fix.
            logger.LogWarning("Reading git credentials Secret {Namespace}/{Secret} failed: {Status}", ns, reference.Name, (int)missing.Response.StatusCode);
            return null;
        }
    }

    private static GitOpsOwner OwnerOf(GitOpsOwnerRecord record) =>
        new(Enum.TryParse<GitOpsTool>(record.Tool, out var tool) ? tool : GitOpsTool.ArgoCD, record.Kind, record.Namespace, record.Name, record.Evidence ?? string.Empty);

    private static k8s.Models.V1ObjectReference TargetOf(Incident incident) =>
        IncidentEventRecorder.DeploymentReference(incident.Metadata.NamespaceProperty, incident.Spec.TargetRef.Name, string.Empty);
}
