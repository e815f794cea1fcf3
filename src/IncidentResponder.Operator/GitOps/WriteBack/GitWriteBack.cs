using IncidentResponder.Core.GitOps;

namespace IncidentResponder.Operator.GitOps.WriteBack;

/// <summary>
/// Makes git declare what the operator changed in the cluster, so Argo CD or Flux stop undoing it: a fresh clone, the
/// core's plan applied, one commit with this incident's trailer, one push. Idempotent by the trailer: a commit that
/// already carries it (pushed before a restart) is found and returned, never made twice. Force-pushes only the
/// operator's own <c>incident-responder/…</c> branch.
/// </summary>
public sealed class GitWriteBack(GitWriteBackOptions? options = null, IPullRequestProvider? pullRequests = null)
{
    private readonly GitWriteBackOptions options = options ?? new GitWriteBackOptions();

    /// <summary>Test seam: runs with the clone's folder after each commit and before its push (to race a competing push).</summary>
    internal Func<string, CancellationToken, Task>? BeforePush { get; set; }

    public async Task<WriteBackResult> WriteAsync(GitWriteBackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var environment = GitEnvironment.Create(request.Credentials, options.SshExecutable);
        var git = new GitRunner(environment, options.GitExecutable);
        var fail = (string doing, GitOutput output) => GitFailures.Classify(doing, request.RepositoryUrl, output, request.Credentials);

        var tracked = request.TrackedBranch;
        if (string.IsNullOrEmpty(tracked) || tracked == "HEAD")
        {
            var (branch, output) = await GitWorkTree.DefaultBranchAsync(git, request.RepositoryUrl, cancellationToken);
            if (branch is null)
            {
                return output.Succeeded
                    ? new WriteBackResult.Failed(WriteBackFailure.Other, $"{GitFailures.Scrub(request.RepositoryUrl, request.Credentials)} has no default branch (HEAD); set the owner's targetRevision to a branch")
                    : fail("reading the default branch of", output);
            }

            tracked = branch;
        }

        var (tree, cloned) = await GitWorkTree.CloneAsync(git, environment.Root, request.RepositoryUrl, tracked, options.Depth, cancellationToken);
        if (tree is null)
        {
            return fail($"cloning branch {tracked} of", cloned);
        }

        var trailer = WriteBackCommitMessage.TrailerValue(request.IncidentNamespace, request.IncidentName);
        if (await tree.FindIncidentCommitAsync("HEAD", trailer, cancellationToken) is { } present)
        {
            return new WriteBackResult.Pushed(tracked, present, AlreadyPresent: true, null);
        }

        return request.Mode == WriteBackMode.Direct
            ? await DirectAsync(request, tree, tracked, trailer, fail, cancellationToken)
            : await BranchAsync(request, git, tree, tracked, trailer, fail, cancellationToken);
    }

    /// <summary>
    /// Whether <paramref name="revision"/> (a branch, or a commit sha the server lets clients fetch) declares every
    /// change's <c>To</c> value under <paramref name="path"/>: what decides when the paused GitOps owner may resume.
    /// </summary>
    public async Task<WriteBackHolds> HoldsAsync(string url, string revision, string path, IReadOnlyList<WriteBackChange> changes,
        GitCredentials credentials, CancellationToken cancellationToken)
    {
        using var environment = GitEnvironment.Create(credentials, options.SshExecutable);
        var git = new GitRunner(environment, options.GitExecutable);
        var (tree, output) = await GitWorkTree.FetchRevisionAsync(git, environment.Root, url, revision, cancellationToken);
        if (tree is null)
        {
            return new WriteBackHolds(null, GitFailures.Classify($"fetching revision {revision} of", url, output, credentials).Message);
        }

        if (tree.ReadFiles(path) is not { } files)
        {
            return new WriteBackHolds(null, $"revision {revision} has no folder {path}; check the owner's path");
        }

        var (holds, reason) = WriteBackPlanner.Holds(path, files, changes);
        return new WriteBackHolds(holds, reason);
    }

    private async Task<WriteBackResult> DirectAsync(GitWriteBackRequest request, GitWorkTree tree, string tracked, string trailer,
        Func<string, GitOutput, WriteBackResult.Failed> fail, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (refused, committed) = await CommitPlanAsync(request, tree, tracked, cancellationToken);
            if (refused is not null || committed is null)
            {
                return (WriteBackResult?)refused ?? new WriteBackResult.Pushed(tracked, await tree.HeadAsync(cancellationToken), AlreadyPresent: true, null);
            }

            if (BeforePush is { } seam)
            {
                await seam(tree.Directory, cancellationToken);
            }

            var pushed = await tree.RunAsync(cancellationToken, "push", "--quiet", "origin", $"HEAD:refs/heads/{tracked}");
            if (pushed.Succeeded)
            {
                return new WriteBackResult.Pushed(tracked, committed, AlreadyPresent: false, null);
            }

            if (!GitFailures.IsNonFastForward(pushed.Stderr))
            {
                return fail($"pushing to branch {tracked} of", pushed);
            }

            if (attempt > 0)
            {
                return new WriteBackResult.Failed(WriteBackFailure.BranchMoved,
                    $"branch {tracked} of {GitFailures.Scrub(request.RepositoryUrl, request.Credentials)} moved under the push twice; the next reconcile tries again, or use mode Branch or PullRequest for a busy branch");
            }

            // Someone pushed between our clone and our push: redo the edit on their tip, once. If their commit was
            // ours (another replica) or already declares the values, the plan finds nothing to do.
            var reset = await tree.ResetToRemoteAsync(tracked, cancellationToken);
            if (!reset.Succeeded)
            {
                return fail($"fetching branch {tracked} of", reset);
            }

            if (await tree.FindIncidentCommitAsync("HEAD", trailer, cancellationToken) is { } present)
            {
                return new WriteBackResult.Pushed(tracked, present, AlreadyPresent: true, null);
            }
        }
    }

    private async Task<WriteBackResult> BranchAsync(GitWriteBackRequest request, GitRunner git, GitWorkTree tree, string tracked, string trailer,
        Func<string, GitOutput, WriteBackResult.Failed> fail, CancellationToken cancellationToken)
    {
        var branch = WriteBackCommitMessage.Branch(request.IncidentName);
        var (existing, listed) = await GitWorkTree.RemoteBranchAsync(git, request.RepositoryUrl, branch, cancellationToken);
        if (!listed.Succeeded)
        {
            return fail($"listing branch {branch} of", listed);
        }

        if (existing is not null)
        {
            var fetched = await tree.RunAsync(cancellationToken, "fetch", "--quiet", "--depth", options.Depth.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "origin", $"+refs/heads/{branch}:refs/remotes/origin/{branch}");
            if (!fetched.Succeeded)
            {
                return fail($"fetching branch {branch} of", fetched);
            }

            if (await tree.FindIncidentCommitAsync($"origin/{branch}", trailer, cancellationToken) is { } present)
            {
                return await WithPullRequestAsync(request, branch, tracked, present, alreadyPresent: true, cancellationToken);
            }
        }

        var checkout = await tree.RunAsync(cancellationToken, "checkout", "--quiet", "-B", branch);
        if (!checkout.Succeeded)
        {
            return fail($"creating branch {branch} in a clone of", checkout);
        }

        var (refused, committed) = await CommitPlanAsync(request, tree, tracked, cancellationToken);
        if (refused is not null || committed is null)
        {
            // The tracked branch already declares the values: nothing to propose.
            return (WriteBackResult?)refused ?? new WriteBackResult.Pushed(tracked, await tree.HeadAsync(cancellationToken), AlreadyPresent: true, null);
        }

        if (BeforePush is { } seam)
        {
            await seam(tree.Directory, cancellationToken);
        }

        // The branch is the operator's own: a stale one from an earlier attempt is replaced, never merged into.
        var pushed = await tree.RunAsync(cancellationToken, "push", "--quiet", "--force", "origin", $"HEAD:refs/heads/{branch}");
        return pushed.Succeeded
            ? await WithPullRequestAsync(request, branch, tracked, committed, alreadyPresent: false, cancellationToken)
            : fail($"pushing branch {branch} to", pushed);
    }

    // Plans on the clone's current tip and commits: (refusal, null), (null, null) when git already holds the values,
    // or (null, sha) of the new commit.
    private async Task<(WriteBackResult.Failed? Refused, string? Commit)> CommitPlanAsync(GitWriteBackRequest request, GitWorkTree tree, string tracked, CancellationToken cancellationToken)
    {
        if (tree.ReadFiles(request.Path) is not { } files)
        {
            return (new WriteBackResult.Failed(WriteBackFailure.ManifestNotFound,
                $"branch {tracked} has no folder {request.Path}; check the owner's path, or change {string.Join(", ", request.Changes.Select(c => c.Describe()))} by hand"), null);
        }

        var plan = WriteBackPlanner.Plan(request.Path, files, request.Changes);
        if (plan.Refusal is { } refusal)
        {
            return (new WriteBackResult.Failed(refusal == WriteBackRefusal.Conflict ? WriteBackFailure.Other : WriteBackFailure.ManifestNotFound, plan.Reason!), null);
        }

        if (plan.AlreadyHolds)
        {
            return (null, null);
        }

        tree.WriteFiles(request.Path, plan.EditedFiles);
        var commit = await tree.CommitAsync(WriteBackCommitMessage.Render(request.Message), options.AuthorName, options.AuthorEmail, cancellationToken);
        return commit.Succeeded
            ? (null, await tree.HeadAsync(cancellationToken))
            : (GitFailures.Classify("committing in a clone of", request.RepositoryUrl, commit, request.Credentials), null);
    }

    private async Task<WriteBackResult> WithPullRequestAsync(GitWriteBackRequest request, string branch, string tracked, string sha, bool alreadyPresent, CancellationToken cancellationToken)
    {
        if (request.Mode != WriteBackMode.PullRequest)
        {
            return new WriteBackResult.Pushed(branch, sha, alreadyPresent, null);
        }

        if (pullRequests is null)
        {
            return new WriteBackResult.Failed(WriteBackFailure.Other, $"branch {branch} is pushed but no pull request provider is configured; open the pull request to {tracked} by hand or configure one");
        }

        try
        {
            var url = await pullRequests.OpenAsync(new PullRequestProposal(request.RepositoryUrl, branch, tracked,
                WriteBackCommitMessage.Subject(request.Message), WriteBackCommitMessage.Body(request.Message)), cancellationToken);
            return new WriteBackResult.Pushed(branch, sha, alreadyPresent, url);
        }
        catch (PullRequestException failed)
        {
            return new WriteBackResult.Failed(WriteBackFailure.Other,
                $"branch {branch} is pushed but opening its pull request to {tracked} failed ({GitFailures.Scrub(failed.Message, request.Credentials)}); open it by hand, the next reconcile tries again");
        }
    }
}
