using System.Text.Json;
using IncidentResponder.Operator.GitOps.WriteBack;

namespace IncidentResponder.Operator.Tests.GitOps.WriteBack;

/// <summary>Pull-request mode: the branch pushed to a real repository, the pull request opened through Octokit against a loopback API.</summary>
public sealed class GitHubPullRequestTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pull_request_mode_pushes_the_branch_and_opens_a_pull_request_from_it_to_the_tracked_branch()
    {
        if (GitRepositoryFixture.MissingGit() is { } reason)
        {
            Assert.Skip(reason);
        }

        using var repository = await GitRepositoryFixture.CreateAsync(Manifests.Files);
        await using var api = await GitHubApiEndpoint.StartAsync();
        // The pushed URL is the local bare repository; the pull request names the GitHub repository it mirrors.
        var provider = new RecordingUrl(new GitHubPullRequestProvider("ghp_token_for_tests", api.BaseUrl), "git@github.example.com:shop/platform.git");

        var result = await new GitWriteBack(pullRequests: provider).WriteAsync(Manifests.Request(repository.Url, WriteBackMode.PullRequest), Token);

        var pushed = Assert.IsType<WriteBackResult.Pushed>(result);
        Assert.Equal("https://github.example.com/shop/platform/pull/8", pushed.PullRequestUrl);
        Assert.Equal(pushed.CommitSha, await repository.ReadAsync("rev-parse", "incident-responder/web-crashloop"));
        var create = Assert.Single(api.Requests, r => r.Method == "POST");
        Assert.Equal("/api/v3/repos/shop/platform/pulls", create.Path);
        Assert.Equal("Token ghp_token_for_tests", create.Authorization);
        using var body = JsonDocument.Parse(create.Body);
        Assert.Equal("incident-responder/web-crashloop", body.RootElement.GetProperty("head").GetString());
        Assert.Equal("main", body.RootElement.GetProperty("base").GetString());
        Assert.Equal("Set image of Deployment web to nginx:1.25 (incident shop/web-crashloop)", body.RootElement.GetProperty("title").GetString());
        Assert.EndsWith("Incident-Responder-Incident: shop/web-crashloop\n", body.RootElement.GetProperty("body").GetString(), StringComparison.Ordinal);
        var list = Assert.Single(api.Requests, r => r.Method == "GET");
        Assert.Contains("head=shop%3Aincident-responder%2Fweb-crashloop", list.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_open_pull_request_for_the_branch_is_returned_instead_of_a_second_one()
    {
        await using var api = await GitHubApiEndpoint.StartAsync();
        api.OpenPullRequestUrl = "https://github.example.com/shop/platform/pull/7";
        var provider = new GitHubPullRequestProvider("ghp_token_for_tests", api.BaseUrl);

        var url = await provider.OpenAsync(new PullRequestProposal("https://github.example.com/shop/platform.git", "incident-responder/web", "main", "t", "b"), Token);

        Assert.Equal("https://github.example.com/shop/platform/pull/7", url);
        Assert.DoesNotContain(api.Requests, r => r.Method == "POST");
    }

    [Theory]
    [InlineData("https://github.com/shop/platform.git")]
    [InlineData("https://github.com/shop/platform")]
    [InlineData("ssh://git@github.com/shop/platform.git")]
    [InlineData("git@github.com:shop/platform.git")]
    public void The_owner_and_repository_are_read_from_each_remote_url_form(string url)
    {
        Assert.Equal(("shop", "platform"), GitHubPullRequestProvider.OwnerAndRepository(url));
    }

    // Proposes against the GitHub URL the test names while git pushes to the local bare repository.
    private sealed class RecordingUrl(IPullRequestProvider inner, string url) : IPullRequestProvider
    {
        public Task<string> OpenAsync(PullRequestProposal proposal, CancellationToken cancellationToken) =>
            inner.OpenAsync(proposal with { RepositoryUrl = url }, cancellationToken);
    }
}
