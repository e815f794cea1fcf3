using System.Text;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.GitOps;
using IncidentResponder.Operator.GitOps.WriteBack;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.GitOps;

/// <summary>The git side of GitOps on real repositories: the write-back engine, configured per order from the policy and its Secret.</summary>
public sealed class GitOpsRepositories(ILogger<GitOpsRepositories> logger, GitWriteBackOptions? defaults = null) : IGitOpsRepositories
{
    /// <summary>The key of the credentials Secret that holds the pull-request provider's API token.</summary>
    public const string ApiTokenKey = "token";

    private readonly GitWriteBackOptions _defaults = defaults ?? new GitWriteBackOptions();

    public async Task<WriteBackOutcome> WriteBackAsync(WriteBackOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var options = Author(order.Author) is { } author ? _defaults with { AuthorName = author.Name, AuthorEmail = author.Email } : _defaults;
        var pullRequests = order.Mode == GitWriteBackMode.PullRequest && order.Credentials?.TryGetValue(ApiTokenKey, out var token) == true
            ? new GitHubPullRequestProvider(Encoding.UTF8.GetString(token).Trim(), order.ApiUrl is { } url ? new Uri(url) : null)
            : null;
        var mode = order.Mode switch
        {
            GitWriteBackMode.Branch => WriteBackMode.Branch,
            GitWriteBackMode.PullRequest => WriteBackMode.PullRequest,
            _ => WriteBackMode.Direct,
        };
        var request = new GitWriteBackRequest(order.Source.Url, order.Source.TargetRevision, order.Source.Path, mode, order.IncidentNamespace, order.IncidentName,
            order.Changes, new WriteBackMessageParts(order.IncidentNamespace, order.IncidentName, order.Source.Revision, order.Reason, order.Changes),
            GitCredentials.FromSecretData(order.Credentials));
        var result = await new GitWriteBack(options, pullRequests).WriteAsync(request, cancellationToken);
        return result switch
        {
            WriteBackResult.Pushed pushed => new WriteBackOutcome.Pushed(pushed.Branch, pushed.CommitSha, pushed.PullRequestUrl, pushed.AlreadyPresent),
            WriteBackResult.Failed failed => new WriteBackOutcome.Failed($"{failed.Kind}: {failed.Message}"),
            _ => throw new InvalidOperationException($"unknown write-back result {result}"),
        };
    }

    public async Task<bool?> HoldsAsync(GitOpsSource source, IReadOnlyList<WriteBackChange> changes, IDictionary<string, byte[]>? credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var revision = GitOpsSource.CommitOf(source.Revision) ?? source.TargetRevision;
        var holds = await new GitWriteBack(_defaults).HoldsAsync(source.Url, revision, source.Path, changes, GitCredentials.FromSecretData(credentials), cancellationToken);
        if (holds.Holds is null)
        {
            logger.LogInformation("Whether {Url} at {Revision} holds the fix is unknown: {Reason}", source.Url, revision, holds.Reason);
        }

        return holds.Holds;
    }

    private static (string Name, string Email)? Author(string? author)
    {
        // "Name <email>", as the policy's schema admits it.
        var open = author?.LastIndexOf('<') ?? -1;
        return author is not null && open > 0 && author.EndsWith('>')
            ? (author[..open].Trim(), author[(open + 1)..^1])
            : null;
    }
}
