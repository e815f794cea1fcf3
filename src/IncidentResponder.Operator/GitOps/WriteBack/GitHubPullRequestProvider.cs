using System.Text.RegularExpressions;
using Octokit;

namespace IncidentResponder.Operator.GitOps.WriteBack;

/// <summary>
/// Opens pull requests through GitHub's REST API with Octokit. <paramref name="apiBaseUrl"/> is null for github.com, or
/// a GitHub Enterprise Server address (Octokit adds <c>/api/v3/</c> to a host other than github.com).
/// </summary>
public sealed partial class GitHubPullRequestProvider(string token, Uri? apiBaseUrl = null) : IPullRequestProvider
{
    private readonly GitHubClient client = new(new ProductHeaderValue("incident-responder"), apiBaseUrl ?? GitHubClient.GitHubApiUrl)
    {
        Credentials = new Credentials(token),
    };

    public async Task<string> OpenAsync(PullRequestProposal proposal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var (owner, repository) = OwnerAndRepository(proposal.RepositoryUrl)
            ?? throw new PullRequestException($"cannot tell the GitHub owner and repository from {proposal.RepositoryUrl}; use a URL like https://github.com/<owner>/<repo>.git");
        try
        {
            // Octokit's calls take no token; a stuck call ends with the HTTP client's own timeout.
            var open = await client.PullRequest.GetAllForRepository(owner, repository,
                new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{owner}:{proposal.Head}", Base = proposal.Base });
            if (open.Count > 0)
            {
                return open[0].HtmlUrl;
            }

            var created = await client.PullRequest.Create(owner, repository, new NewPullRequest(proposal.Title, proposal.Head, proposal.Base) { Body = proposal.Body });
            return created.HtmlUrl;
        }
        catch (AuthorizationException denied)
        {
            throw new PullRequestException($"GitHub refused the token ({denied.StatusCode}); give it pull-request write access to {owner}/{repository}", denied);
        }
        catch (ApiException failed)
        {
            throw new PullRequestException($"GitHub answered {(int)failed.StatusCode} {failed.Message}", failed);
        }
        catch (HttpRequestException unreachable)
        {
            throw new PullRequestException($"GitHub API could not be reached ({unreachable.Message}); check the API base URL and network policy", unreachable);
        }
    }

    /// <summary>
    /// Owner and repository from the remote URL, in each form git accepts: https://host/o/r(.git), ssh://git@host/o/r.git,
    /// git@host:o/r.git.
    /// </summary>
    internal static (string Owner, string Repository)? OwnerAndRepository(string url)
    {
        var match = RemotePath().Match(url.Trim());
        return match.Success ? (match.Groups["owner"].Value, match.Groups["repo"].Value) : null;
    }

    [GeneratedRegex(@"[:/](?<owner>[A-Za-z0-9_.-]+)/(?<repo>[A-Za-z0-9_.-]+?)(\.git)?/?$")]
    private static partial Regex RemotePath();
}
