namespace IncidentResponder.Testing;

/// <summary>
/// The kubectl plugin as a person installs it: <c>incident-responder plugin install --dir</c> into a private folder,
/// that folder put first on PATH, and the real kubectl finding <c>kubectl-incident</c> there for <c>kubectl incident …</c>.
/// </summary>
public sealed class KubectlPlugin
{
    private readonly string _kubeconfig;
    private readonly string _directory;
    private readonly string _bin;

    private KubectlPlugin(string kubeconfig, string directory, string bin)
    {
        _kubeconfig = kubeconfig;
        _directory = directory;
        _bin = bin;
    }

    /// <summary>The launcher install wrote.</summary>
    public string Launcher => Path.Combine(_bin, "kubectl-incident");

    /// <param name="executable">The built incident-responder apphost the test project copied next to itself.</param>
    /// <param name="kubeconfig">Whose kubeconfig the plugin runs with (the person's).</param>
    /// <param name="directory">The test's private folder: the plugin goes into its plugins/ folder, kubectl's cache and home here too.</param>
    public static async Task<KubectlPlugin> InstallAsync(string executable, string kubeconfig, string directory)
    {
        var bin = Path.Combine(directory, "plugins");
        (await ProcessRunner.RunAsync(executable, ["plugin", "install", "--dir", bin], timeout: Kubectl.DefaultTimeout)).ShouldSucceed();
        return new KubectlPlugin(kubeconfig, directory, bin);
    }

    /// <summary>Runs <c>kubectl incident ARGS</c> and returns how it ended.</summary>
    public Task<ProcessResult> IncidentAsync(params string[] args) => KubectlAsync(["incident", .. args]);

    /// <summary>Runs kubectl with the plugin's folder first on PATH, so kubectl's plugin discovery finds it.</summary>
    public async Task<ProcessResult> KubectlAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync("kubectl", args, new Dictionary<string, string>
        {
            ["KUBECONFIG"] = _kubeconfig,
            ["KUBECACHEDIR"] = Path.Combine(_directory, "cache"),
            ["HOME"] = _directory,
            ["PATH"] = _bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        }, Kubectl.DefaultTimeout);
        return result with { Command = "kubectl " + string.Join(' ', args) };
    }
}
