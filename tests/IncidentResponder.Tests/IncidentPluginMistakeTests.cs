namespace IncidentResponder.Tests;

/// <summary>
/// A person's mistake with <c>kubectl incident</c> is one line saying what to do, and exit code 2 — through kubectl's
/// plugin discovery, as the person sees it.
/// </summary>
public sealed class IncidentPluginMistakeTests
{
    public static TheoryData<string[], string> Mistakes => new()
    {
        { ["resolve", "web-down"], "--reason is required: say why it is over, e.g. --reason \"rolled back to revision 3\"" },
        { ["cancel", "web-down", "--reason", " "], "--reason is required: say why it was a false alarm, e.g. --reason \"load test, not users\"" },
        {
            ["approve", "web-down", "rollback"],
            "step rollback is not a step of runbook decision-tree (its steps: rollback-recent-deployment, raise-memory-limit, scale-up, disable-failing-dependency, data-issue-to-humans, engage-additional-engineers): pass one of them"
        },
        { ["ack", "web-gone"], "incident web-gone not found in namespace default: see 'kubectl incident board', or pass -n NAMESPACE" },
        { ["board", "-o", "xml"], "-o xml is not an output format of kubectl incident: use -o json or -o yaml, or leave -o out for a table" },
        { ["severity", "web-down", "SEV-5"], "SEVERITY SEV-5 is not a severity: use SEV-1 (worst), SEV-2, SEV-3 or SEV-4" },
        { ["declare", "--target", "web", "--severity", "SEV-2"], "--summary is required: say in a line what is wrong and who is affected" },
        { ["roles", "web-down"], "roles needs --commander NAME, --communications NAME or both: say who takes which role" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistake_is_one_line_naming_what_to_fix_and_exit_code_2(string[] args, string line)
    {
        var (cluster, plugin) = await IncidentPluginTests.StartAsync();
        await using var _ = cluster;
        (await cluster.KubectlAsync("apply", "-f", RepositoryRoot.Combine("config/samples/runbook_decision_tree.yaml"))).ShouldSucceed();
        (await plugin.IncidentAsync("declare", "--name", "web-down", "--target", "web", "--severity", "SEV-2", "--summary", "web is down")).ShouldSucceed();
        (await cluster.KubectlAsync("patch", "incident", "web-down", "--type=merge", "-p", """{"spec":{"runbookRef":{"name":"decision-tree"}}}""")).ShouldSucceed();

        var result = await plugin.IncidentAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(line + "\n", result.Stderr);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Approving_a_step_of_an_incident_without_a_runbook_says_to_wait_for_one()
    {
        var (cluster, plugin) = await IncidentPluginTests.StartAsync();
        await using var _ = cluster;
        (await plugin.IncidentAsync("declare", "--name", "web-down", "--target", "web", "--severity", "SEV-2", "--summary", "web is down")).ShouldSucceed();

        var result = await plugin.IncidentAsync("approve", "web-down", "rollback");

        Assert.Equal((2, "incident web-down has no runbook yet, so it has no step to approve: wait for the operator to pick one (kubectl incident board)\n"), (result.ExitCode, result.Stderr));
        Assert.Null((await IncidentAsync(cluster)).Spec.Approvals);
    }

    private static async Task<Api.V1Alpha1.Incident> IncidentAsync(ClusterHarness cluster)
    {
        using var client = cluster.Client();
        return await k8s.CustomObjectsOperationsExtensions.GetNamespacedCustomObjectAsync<Api.V1Alpha1.Incident>(client.CustomObjects,
            Api.V1Alpha1.GroupVersion.Group, Api.V1Alpha1.GroupVersion.Version, "default", Api.V1Alpha1.Incident.Plural, "web-down", TestContext.Current.CancellationToken);
    }
}
