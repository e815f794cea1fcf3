using IncidentResponder.Operator.GitOps.WriteBack;

namespace IncidentResponder.Operator.Tests.GitOps.WriteBack;

/// <summary>Write-back against real bare git repositories over file:// URLs, read back with the git CLI.</summary>
public sealed class GitWriteBackTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<GitRepositoryFixture> RepositoryAsync(IReadOnlyDictionary<string, string>? files = null, string branch = "main")
    {
        if (GitRepositoryFixture.MissingGit() is { } reason)
        {
            Assert.Skip(reason);
        }

        return await GitRepositoryFixture.CreateAsync(files ?? Manifests.Files, branch);
    }

    [Fact]
    public async Task A_direct_write_back_pushes_one_commit_changing_exactly_the_image_line()
    {
        using var repository = await RepositoryAsync();

        var result = await new GitWriteBack().WriteAsync(Manifests.Request(repository.Url), Token);

        var pushed = Assert.IsType<WriteBackResult.Pushed>(result);
        Assert.False(pushed.AlreadyPresent);
        Assert.Equal("main", pushed.Branch);
        Assert.Equal(pushed.CommitSha, await repository.ReadAsync("rev-parse", "main"));
        Assert.Equal(["-          image: nginx:1.26", "+          image: nginx:1.25"], await repository.ChangedLinesAsync(pushed.CommitSha));
        Assert.Equal(Manifests.Deployment.Replace("nginx:1.26", "nginx:1.25", StringComparison.Ordinal),
            await repository.ReadAsync("show", "main:apps/web/deployment.yaml"));
        Assert.Equal("incident-responder <incident-responder@users.noreply.incidentresponder.dev>", await repository.ReadAsync("log", "-1", "--format=%an <%ae>", "main"));
        Assert.Equal("shop/web-crashloop", await repository.ReadAsync("log", "-1", "--format=%(trailers:key=Incident-Responder-Incident,valueonly)", "main"));
        Assert.Equal(2, await repository.CommitCountAsync("main"));
    }

    [Fact]
    public async Task A_second_write_back_after_a_restart_pushes_nothing_and_returns_the_first_commit()
    {
        using var repository = await RepositoryAsync();
        var first = Assert.IsType<WriteBackResult.Pushed>(await new GitWriteBack().WriteAsync(Manifests.Request(repository.Url), Token));
        // Someone else's commit lands on top: the incident's commit is still found below it.
        await repository.CommitAsync("Document the platform", new Dictionary<string, string> { ["README.md"] = "# Platform manifests\nOwned by SRE.\n" });

        var again = Assert.IsType<WriteBackResult.Pushed>(await new GitWriteBack().WriteAsync(Manifests.Request(repository.Url), Token));

        Assert.True(again.AlreadyPresent);
        Assert.Equal(first.CommitSha, again.CommitSha);
        Assert.Equal(3, await repository.CommitCountAsync("main"));
    }

    [Fact]
    public async Task A_value_git_already_declares_is_not_committed_again()
    {
        using var repository = await RepositoryAsync(new Dictionary<string, string>
        {
            ["apps/web/deployment.yaml"] = Manifests.Deployment.Replace("nginx:1.26", "nginx:1.25", StringComparison.Ordinal),
        });
        var tip = await repository.ReadAsync("rev-parse", "main");

        var result = Assert.IsType<WriteBackResult.Pushed>(await new GitWriteBack().WriteAsync(Manifests.Request(repository.Url), Token));

        Assert.True(result.AlreadyPresent);
        Assert.Equal(tip, result.CommitSha);
        Assert.Equal(1, await repository.CommitCountAsync("main"));
    }

    [Fact]
    public async Task Branch_mode_pushes_the_incident_branch_and_leaves_the_tracked_branch_alone()
    {
        using var repository = await RepositoryAsync();
        var tip = await repository.ReadAsync("rev-parse", "main");

        var result = Assert.IsType<WriteBackResult.Pushed>(await new GitWriteBack().WriteAsync(Manifests.Request(repository.Url, WriteBackMode.Branch), Token));

        Assert.Equal("incident-responder/web-crashloop", result.Branch);
        Assert.Equal(result.CommitSha, await repository.ReadAsync("rev-parse", "incident-responder/web-crashloop"));
        Assert.Equal(tip, await repository.ReadAsync("rev-parse", "main"));
        Assert.Equal(tip, await repository.ReadAsync("rev-parse", result.CommitSha + "^"));
        Assert.Null(result.PullRequestUrl);

        var again = Assert.IsType<WriteBackResult.Pushed>(await new GitWriteBack().WriteAsync(Manifests.Request(repository.Url, WriteBackMode.Branch), Token));
        Assert.True(again.AlreadyPresent);
        Assert.Equal(result.CommitSha, again.CommitSha);
    }

    [Fact]
    public async Task A_branch_that_moved_under_the_push_is_redone_on_the_new_tip_once()
    {
        using var repository = await RepositoryAsync();
        var raced = 0;
        var writeBack = new GitWriteBack
        {
            BeforePush = async (_, _) =>
            {
                if (raced++ == 0)
                {
                    await repository.CommitAsync("Scale the docs", new Dictionary<string, string> { ["README.md"] = "# Platform\n" });
                }
            },
        };

        var result = Assert.IsType<WriteBackResult.Pushed>(await writeBack.WriteAsync(Manifests.Request(repository.Url), Token));

        Assert.False(result.AlreadyPresent);
        Assert.Equal(2, raced);
        Assert.Equal(result.CommitSha, await repository.ReadAsync("rev-parse", "main"));
        Assert.Equal("Scale the docs", await repository.ReadAsync("log", "-1", "--format=%s", "main^"));
        Assert.Equal(3, await repository.CommitCountAsync("main"));
        Assert.Equal(["-          image: nginx:1.26", "+          image: nginx:1.25"], await repository.ChangedLinesAsync("main"));
    }

    [Fact]
    public async Task A_competing_push_that_already_made_the_same_fix_is_returned_as_already_present()
    {
        using var repository = await RepositoryAsync();
        var writeBack = new GitWriteBack
        {
            // A person reverts the image by hand while the operator's push is on its way.
            BeforePush = (_, _) => repository.CommitAsync("Revert nginx to 1.25", new Dictionary<string, string>
            {
                ["apps/web/deployment.yaml"] = Manifests.Deployment.Replace("nginx:1.26", "nginx:1.25", StringComparison.Ordinal),
            }),
        };

        var result = Assert.IsType<WriteBackResult.Pushed>(await writeBack.WriteAsync(Manifests.Request(repository.Url), Token));

        Assert.True(result.AlreadyPresent);
        Assert.Equal(await repository.ReadAsync("rev-parse", "main"), result.CommitSha);
        Assert.Equal("Revert nginx to 1.25", await repository.ReadAsync("log", "-1", "--format=%s", "main"));
        Assert.Equal(2, await repository.CommitCountAsync("main"));
    }

    [Fact]
    public async Task A_branch_that_moves_under_every_push_fails_as_branch_moved_without_a_commit()
    {
        using var repository = await RepositoryAsync();
        var writeBack = new GitWriteBack
        {
            BeforePush = (_, _) => repository.CommitAsync("Busy branch", new Dictionary<string, string> { ["README.md"] = Guid.NewGuid().ToString() }),
        };

        var result = Assert.IsType<WriteBackResult.Failed>(await writeBack.WriteAsync(Manifests.Request(repository.Url), Token));

        Assert.Equal(WriteBackFailure.BranchMoved, result.Kind);
        Assert.Contains("moved under the push twice", result.Message, StringComparison.Ordinal);
        Assert.Equal("nginx:1.26", (await repository.ReadAsync("show", "main:apps/web/deployment.yaml")).Split("image: ")[1].Split('\n')[0]);
    }

    [Fact]
    public async Task The_tracked_branch_HEAD_means_the_default_branch()
    {
        using var repository = await RepositoryAsync(branch: "trunk");

        var result = Assert.IsType<WriteBackResult.Pushed>(await new GitWriteBack().WriteAsync(Manifests.Request(repository.Url, branch: "HEAD"), Token));

        Assert.Equal("trunk", result.Branch);
        Assert.Equal(result.CommitSha, await repository.ReadAsync("rev-parse", "trunk"));
    }

    [Fact]
    public async Task An_unreachable_repository_fails_as_unreachable_with_what_to_check()
    {
        if (GitRepositoryFixture.MissingGit() is { } reason)
        {
            Assert.Skip(reason);
        }

        var missing = new Uri(Path.Combine(Path.GetTempPath(), "no-such-repo-" + Guid.NewGuid().ToString("N") + ".git")).AbsoluteUri;

        var result = Assert.IsType<WriteBackResult.Failed>(await new GitWriteBack().WriteAsync(Manifests.Request(missing), Token));

        Assert.Equal(WriteBackFailure.Unreachable, result.Kind);
        Assert.Contains(missing, result.Message, StringComparison.Ordinal);
        Assert.Contains("check the URL", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workload_no_manifest_declares_fails_as_manifest_not_found_naming_the_path()
    {
        using var repository = await RepositoryAsync();
        var tip = await repository.ReadAsync("rev-parse", "main");
        var request = Manifests.Request(repository.Url) with { Changes = [Manifests.Rollback with { Name = "checkout" }] };

        var result = Assert.IsType<WriteBackResult.Failed>(await new GitWriteBack().WriteAsync(request, Token));

        Assert.Equal(WriteBackFailure.ManifestNotFound, result.Kind);
        Assert.Equal("no manifest under path apps/web declares Deployment checkout; it may be generated: change image to nginx:1.25 by hand", result.Message);
        Assert.Equal(tip, await repository.ReadAsync("rev-parse", "main"));
    }

    [Fact]
    public async Task Holds_tells_whether_a_revision_declares_the_new_values()
    {
        using var repository = await RepositoryAsync();
        var writeBack = new GitWriteBack();
        var before = await repository.ReadAsync("rev-parse", "main");
        var pushed = Assert.IsType<WriteBackResult.Pushed>(await writeBack.WriteAsync(Manifests.Request(repository.Url), Token));

        Assert.Equal(false, (await writeBack.HoldsAsync(repository.Url, before, "apps/web", [Manifests.Rollback], GitCredentials.None, Token)).Holds);
        Assert.Equal(true, (await writeBack.HoldsAsync(repository.Url, pushed.CommitSha, "apps/web", [Manifests.Rollback], GitCredentials.None, Token)).Holds);
        Assert.Equal(true, (await writeBack.HoldsAsync(repository.Url, "main", "apps/web", [Manifests.Rollback], GitCredentials.None, Token)).Holds);
        var unknown = await writeBack.HoldsAsync(repository.Url, "main", "apps/checkout", [Manifests.Rollback], GitCredentials.None, Token);
        Assert.Null(unknown.Holds);
        Assert.Contains("apps/checkout", unknown.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kustomize_override_is_written_back_instead_of_the_base()
    {
        const string kustomization = "resources:\n  - deployment.yaml\nimages:\n  - name: nginx\n    newTag: \"1.26\"  # release 42\n";
        using var repository = await RepositoryAsync(new Dictionary<string, string>
        {
            ["apps/web/deployment.yaml"] = Manifests.Deployment.Replace("nginx:1.26", "nginx", StringComparison.Ordinal),
            ["apps/web/kustomization.yaml"] = kustomization,
        });

        var pushed = Assert.IsType<WriteBackResult.Pushed>(await new GitWriteBack().WriteAsync(Manifests.Request(repository.Url), Token));

        Assert.Equal(["-    newTag: \"1.26\"  # release 42", "+    newTag: \"1.25\"  # release 42"], await repository.ChangedLinesAsync(pushed.CommitSha));
    }
}
