namespace IncidentResponder.Operator.GitOps.WriteBack;

/// <summary>A pull request to open: from <paramref name="Head"/> into <paramref name="Base"/> of the repository at <paramref name="RepositoryUrl"/>.</summary>
public sealed record PullRequestProposal(string RepositoryUrl, string Head, string Base, string Title, string Body);

/// <summary>The forge refused or could not be reached; the message names why, without the token.</summary>
public sealed class PullRequestException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Opens pull requests on a forge (GitHub, GitHub Enterprise). Idempotent: when one is already open for the same head
/// and base, its address is returned and no second one is opened.
/// </summary>
public interface IPullRequestProvider
{
    /// <summary>The web address of the open pull request. Throws <see cref="PullRequestException"/> on failure.</summary>
    Task<string> OpenAsync(PullRequestProposal proposal, CancellationToken cancellationToken);
}
