using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.GitOps.WriteBack;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.GitOps;

/// <summary>
/// The GitOps story under Flux, with the repository served over ssh:// by a real OpenSSH server and the operator's
/// credentials in a Secret (identity and known_hosts, Flux's format): a Kustomization applying a plain Deployment, and
/// a HelmRelease whose values hold the image tag. And the failures a person must act on: the wrong key, a repository
/// the operator cannot reach. Each keeps the rollback in place, the owner paused, and pushes nothing.
/// </summary>
public sealed class FluxWriteBackTests
{
    private const string Direct = "{writeBack: {mode: Direct, credentialsSecretRef: {name: git-credentials}}}";

    [Fact]
    public async Task A_kustomization_is_suspended_the_revert_is_pushed_over_ssh_and_flux_resumes_at_the_fix()
    {
        await using var ssh = await StartSshOrSkipAsync();
        await using var scenario = await GitOpsScenario.StartAsync(new PolicySettings { GitOps = Direct });
        await scenario.Cluster.Kubectl.ApplyAsync(CredentialsSecret(ssh.ClientKey, ssh.KnownHosts));
        await scenario.ApplyFluxKustomizationAsync(ssh.UrlFor(scenario.Repo.Path));
        await using var running = scenario.Cluster.StartOperator();

        await scenario.CommitBadImageForFluxAsync();
        var bad = scenario.Repo.Git("rev-parse", "main").Trim();
        var incident = await ResolvedAndResumedAsync(scenario);

        var revert = Assert.Single(scenario.Repo.Git("log", "--format=%H", $"{bad}..main").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(revert, incident.Status!.GitOps!.WriteBack!.Commit);
        Assert.Equal(Simulator.Tests.GitOps.GitOpsManifests.Deployment(GitOpsScenario.GoodImage, ns: OperatorCluster.Namespace),
            scenario.Repo.Git("show", $"{revert}:{GitOpsScenario.DeploymentPath}"));
        Assert.False(scenario.Kustomization()!["spec"]!.AsObject().ContainsKey("suspend"), "flux resume removes a suspend git never declared");
        await Eventually.TrueAsync(() => (string?)scenario.Kustomization()?["status"]?["lastAppliedRevision"] == $"main@sha1:{revert}", "Flux applying the revert");
        Assert.Equal(GitOpsScenario.GoodImage, scenario.LiveImage());
        Assert.Single(scenario.Cluster.RollbackPatches("web"));
        Assert.Equal(2, scenario.OperatorPatches("kustomizations").Count);
    }

    [Fact]
    public async Task A_helm_release_is_suspended_and_the_tag_in_its_values_is_written_back()
    {
        await using var ssh = await StartSshOrSkipAsync();
        if (Environment.GetEnvironmentVariable("HELM") is null && !ExecutableOnPath("helm"))
        {
            Assert.Skip("helm is not installed (tests/run.sh installs it): the HelmRelease emulation renders charts with it");
        }

        await using var scenario = await GitOpsScenario.StartAsync(new PolicySettings { GitOps = Direct });
        await scenario.Cluster.Kubectl.ApplyAsync(CredentialsSecret(ssh.ClientKey, ssh.KnownHosts));
        await scenario.ApplyFluxHelmReleaseAsync(ssh.UrlFor(scenario.Repo.Path));
        await using var running = scenario.Cluster.StartOperator();

        scenario.Repo.Commit("web 1.26-broken", ("deploy/web.yaml", GitOpsScenario.HelmReleaseManifest("1.26-broken")));
        await Eventually.TrueAsync(() => scenario.LiveImage() == GitOpsScenario.BadImage, "Flux to release the bad tag", TimeSpan.FromSeconds(60));
        var bad = scenario.Repo.Git("rev-parse", "main").Trim();
        var incident = await ResolvedAndResumedAsync(scenario);

        Assert.Equal(("Flux", "HelmRelease"), (incident.Status!.GitOps!.Owner!.Tool, incident.Status.GitOps.Owner.Kind));
        var revert = Assert.Single(scenario.Repo.Git("log", "--format=%H", $"{bad}..main").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(GitOpsScenario.HelmReleaseManifest("1.27"), scenario.Repo.Git("show", $"{revert}:deploy/web.yaml"));
        Assert.False(scenario.HelmRelease()!["spec"]!.AsObject().ContainsKey("suspend"));
        Assert.Equal(GitOpsScenario.GoodImage, scenario.LiveImage());
        Assert.Single(scenario.Cluster.RollbackPatches("web"));
    }

    public enum Failure
    {
        WrongKey,
        Unreachable,
    }

    [Theory]
    [InlineData(Failure.WrongKey, "AuthenticationFailed")]
    [InlineData(Failure.Unreachable, "Unreachable")]
    public async Task A_failed_write_back_is_recorded_with_what_to_do_and_the_rollback_holds_paused(Failure failure, string kind)
    {
        await using var ssh = await StartSshOrSkipAsync();
        await using var scenario = await GitOpsScenario.StartAsync(new PolicySettings { GitOps = Direct });
        var key = failure == Failure.WrongKey ? await ssh.StrangerKeyAsync() : ssh.ClientKey;
        await scenario.Cluster.Kubectl.ApplyAsync(CredentialsSecret(key, ssh.KnownHosts));
        // Unreachable: Flux reads the repository (the simulator maps its URL), the operator's git cannot resolve the host.
        await scenario.ApplyFluxKustomizationAsync(failure == Failure.Unreachable ? "ssh://git@git.unreachable.invalid/shop/deploy.git" : ssh.UrlFor(scenario.Repo.Path));
        await using var running = scenario.Cluster.StartOperator();

        await scenario.CommitBadImageForFluxAsync();
        var bad = scenario.Repo.Git("rev-parse", "main").Trim();
        var incident = await Eventually.ValueAsync(
            async () => (await scenario.Cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.GitOps?.WriteBack?.Phase == GitOpsWriteBackPhase.Failed),
            "the failed write-back recorded", TimeSpan.FromSeconds(90));

        var writeBack = incident.Status!.GitOps!.WriteBack!;
        Assert.StartsWith(kind + ":", writeBack.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", writeBack.Message, StringComparison.Ordinal);
        Assert.Contains(incident.Status.Timeline!, e => e.Message.StartsWith("write-back failed: " + kind, StringComparison.Ordinal));
        Assert.Contains("WriteBackFailed", (await scenario.Cluster.EventsAboutAsync("Incident", incident.Metadata.Name)).Select(e => e.Reason));
        Assert.Equal(GitOpsPausePhase.Paused, incident.Status.GitOps.Pause!.Phase);
        Assert.True((bool)scenario.Kustomization()!["spec"]!["suspend"]!);
        Assert.Equal(GitOpsScenario.GoodImage, scenario.LiveImage());
        Assert.Equal(bad, scenario.Repo.Git("rev-parse", "main").Trim());
        var paused = await Eventually.ValueAsync(
            async () => (await scenario.Cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.GitOps?.Pause?.Message?.Contains("the write-back failed", StringComparison.Ordinal) == true),
            "the pause to say that the write-back failed");
        Assert.Contains(paused.Status!.Conditions!, c => c.Type == Conditions.GitOpsPaused && c.Status == "True" && c.Message!.Contains(kind, StringComparison.Ordinal));
    }

    private static async Task<Incident> ResolvedAndResumedAsync(GitOpsScenario scenario) =>
        await Eventually.ValueAsync(
            async () => (await scenario.Cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.GitOps?.Pause?.Phase == GitOpsPausePhase.Resumed && i.Status.Phase == IncidentPhase.Resolved),
            "the incident resolved with the owner resumed", TimeSpan.FromSeconds(120));

    private static async Task<SshGitServer> StartSshOrSkipAsync()
    {
        if ((GitRepositoryFixture.MissingGit() ?? SshGitServer.Missing()) is { } reason)
        {
            Assert.Skip(reason);
        }

        return await SshGitServer.StartAsync();
    }

    private static string CredentialsSecret(string identity, string knownHosts) => $$"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: git-credentials
        data:
          identity: {{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(identity))}}
          known_hosts: {{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(knownHosts))}}
        """;

    private static bool ExecutableOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, name)));
}
