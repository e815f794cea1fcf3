namespace IncidentResponder.E2E.Tests.Support;

/// <summary>
/// A throwaway k3d cluster for the whole suite. Needs a Docker engine and the k3d binary; where either is missing,
/// <see cref="SkipUnlessAvailable"/> skips the test with a one-line reason instead of pretending to pass.
/// </summary>
public sealed class K3dCluster : IAsyncLifetime
{
    /// <summary>How long one docker, k3d or kubectl call may take against a real cluster.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly string _name = $"ir-e2e-{Guid.NewGuid():N}"[..16];
    private string? _unavailable;

    public string Kubeconfig { get; } = Path.Combine(Path.GetTempPath(), $"ir-e2e-{Guid.NewGuid():N}.kubeconfig");

    public async ValueTask InitializeAsync()
    {
        _unavailable = await WhyUnavailableAsync();
        if (_unavailable is not null)
        {
            return;
        }

        (await ProcessRunner.RunAsync("k3d", ["cluster", "create", _name, "--wait", "--timeout", "180s", "--no-lb"], timeout: Timeout))
            .ShouldSucceed("k3d cluster create");
        var kubeconfig = (await ProcessRunner.RunAsync("k3d", ["kubeconfig", "get", _name], timeout: Timeout)).ShouldSucceed("k3d kubeconfig get");
        await File.WriteAllTextAsync(Kubeconfig, kubeconfig.Stdout);
    }

    public async ValueTask DisposeAsync()
    {
        if (_unavailable is null)
        {
            await ProcessRunner.RunAsync("k3d", ["cluster", "delete", _name], timeout: Timeout);
        }

        File.Delete(Kubeconfig);
    }

    public void SkipUnlessAvailable()
    {
        if (_unavailable is not null)
        {
            Assert.Skip(_unavailable);
        }
    }

    public Task<ProcessResult> KubectlAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("kubectl", arguments, new Dictionary<string, string> { ["KUBECONFIG"] = Kubeconfig }, Timeout);

    private static async Task<string?> WhyUnavailableAsync()
    {
        if (!ProcessRunner.OnPath("docker"))
        {
            return "no docker CLI on PATH: the real-cluster (k3d) suite needs a Docker engine";
        }

        if ((await ProcessRunner.RunAsync("docker", ["info"], timeout: TimeSpan.FromSeconds(30))).ExitCode != 0)
        {
            return "no Docker engine is running: the real-cluster (k3d) suite needs one";
        }

        return ProcessRunner.OnPath("k3d") ? null : "k3d is not on PATH: the real-cluster suite creates its cluster with k3d";
    }
}
