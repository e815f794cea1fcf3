using k8s;
using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Tests;

/// <summary>
/// <c>kubectl auth whoami</c> against the simulator: the user a bearer token stands for, the kubeconfig's admin for any
/// other token, the resource listed in discovery, and the review audited as RBAC sees it (create selfsubjectreviews).
/// </summary>
public sealed class SelfSubjectReviewTests
{
    [Fact]
    public async Task Whoami_names_the_default_admin_for_an_unlisted_token()
    {
        await using var harness = await ClusterHarness.StartAsync();

        var result = (await harness.KubectlAsync("auth", "whoami", "-o", "json")).ShouldSucceed();

        var review = JsonNode.Parse(result.Stdout)!;
        Assert.Equal("SelfSubjectReview", review["kind"]!.GetValue<string>());
        Assert.Equal("authentication.k8s.io/v1", review["apiVersion"]!.GetValue<string>());
        Assert.Equal("kubernetes-admin", review["status"]!["userInfo"]!["username"]!.GetValue<string>());
        Assert.Equal(["kubeadm:cluster-admins", "system:authenticated"],
            review["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
    }

    [Fact]
    public async Task A_review_names_the_user_of_a_listed_token_and_is_audited_as_a_create()
    {
        // kubectl sends no bearer token over plain HTTP; KubernetesClient does, as the kubectl plugin uses it.
        var options = new SimulatorOptions { Users = new Dictionary<string, string> { ["simulator-token"] = "alice@example.com" } };
        await using var harness = await ClusterHarness.StartAsync(options);
        using var client = harness.Client();

        var review = await client.AuthenticationV1.CreateSelfSubjectReviewAsync(new k8s.Models.V1SelfSubjectReview(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("alice@example.com", review.Status.UserInfo.Username);
        Assert.Equal(["system:authenticated"], review.Status.UserInfo.Groups);
        var audited = Assert.Single(harness.Cluster.Hooks.AuditLog, r => r.Resource == "selfsubjectreviews");
        Assert.Equal(("create", "authentication.k8s.io", "v1", 201, "alice@example.com"), (audited.Verb, audited.ApiGroup, audited.ApiVersion, audited.StatusCode, audited.User));
    }

    [Fact]
    public async Task Whoami_as_another_user_names_the_impersonated_user()
    {
        await using var harness = await ClusterHarness.StartAsync();

        var table = (await harness.KubectlAsync("auth", "whoami", "--as", "bob")).ShouldSucceed().Stdout;

        Assert.Matches(@"^ATTRIBUTE\s+VALUE\nUsername\s+bob\nGroups\s+\[system:authenticated\]\n$", table);
        Assert.Equal("bob", Assert.Single(harness.Cluster.Hooks.AuditLog, r => r.Resource == "selfsubjectreviews").User);
    }

    [Fact]
    public async Task Discovery_lists_selfsubjectreviews_as_a_cluster_scoped_create_only_resource()
    {
        await using var harness = await ClusterHarness.StartAsync();

        var resources = (await harness.KubectlAsync("api-resources", "--api-group=authentication.k8s.io", "-o", "wide")).ShouldSucceed().Stdout;

        Assert.Matches(@"\nselfsubjectreviews\s+authentication\.k8s\.io/v1\s+false\s+SelfSubjectReview\s+create\s*\n", resources);
    }

    [Fact]
    public async Task A_get_of_selfsubjectreviews_is_refused_as_the_api_server_refuses_it()
    {
        await using var harness = await ClusterHarness.StartAsync();

        var result = await harness.KubectlAsync("get", "--raw", "/apis/authentication.k8s.io/v1/selfsubjectreviews");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("MethodNotAllowed", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }
}
