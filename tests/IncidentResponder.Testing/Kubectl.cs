namespace IncidentResponder.Testing;

/// <summary>
/// The real kubectl binary against one kubeconfig, with its own discovery cache (KUBECACHEDIR) and home in
/// <paramref name="directory"/>, so nothing is shared with the user's kubectl or with another test.
/// </summary>
public sealed class Kubectl(string kubeconfig, string directory)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public string Kubeconfig => kubeconfig;

    /// <summary>Runs kubectl and returns its exit code and output; throws <see cref="TimeoutException"/> after 60 s.</summary>
    public Task<ProcessResult> RunAsync(params string[] args) => RunWithTimeoutAsync(DefaultTimeout, args);

    public async Task<ProcessResult> RunWithTimeoutAsync(TimeSpan timeout, params string[] args)
    {
        var result = await ProcessRunner.RunAsync("kubectl", args, new Dictionary<string, string>
        {
            ["KUBECONFIG"] = kubeconfig,
            ["KUBECACHEDIR"] = Path.Combine(directory, "cache"),
            ["HOME"] = directory,
        }, timeout);
        return result with { Command = string.Join(' ', args) };
    }

    /// <summary>Writes <paramref name="yaml"/> to a file and applies it; fails the test if kubectl does.</summary>
    public async Task<ProcessResult> ApplyAsync(string yaml)
    {
        var path = Path.Combine(directory, $"manifest-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml, TestContext.Current.CancellationToken);
        return (await RunAsync("apply", "-f", path)).ShouldSucceed();
    }
}
