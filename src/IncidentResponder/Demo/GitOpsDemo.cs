using System.Diagnostics;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.GitOps;
using k8s;
using k8s.Models;

namespace IncidentResponder.Demo;

/// <summary>
/// The GitOps half of <c>demo --gitops</c>: a real git repository in the demo's folder holding the checkout
/// Deployment, an Argo CD Application with automated sync, prune and self-heal that the simulated cluster's Argo CD
/// applies from it, and the bad release as a team makes one under GitOps: a commit that changes only the image.
/// </summary>
internal sealed class GitOpsDemo(string folder)
{
    public const string ArgoCdNamespace = "argocd";
    public const string ApplicationName = CheckoutApp.Name;
    public const string ManifestPath = "apps/checkout/deployment.yaml";
    private const string CredentialsSecret = "git-credentials";

    public string RepositoryPath { get; } = Path.Combine(folder, "deploy.git");

    public string RepositoryUrl => new Uri(RepositoryPath).AbsoluteUri;

    /// <summary>What the policy's spec.gitops says: pause the owner, roll back, commit the revert to the tracked branch.</summary>
    public static JsonObject PolicySettings() => new()
    {
        ["writeBack"] = new JsonObject
        {
            ["mode"] = "Direct",
            ["credentialsSecretRef"] = new JsonObject { ["name"] = CredentialsSecret },
        },
    };

    /// <summary>Why <c>demo --gitops</c> cannot run here, or null: it needs the git executable.</summary>
    public static string? Missing() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "git")))
            ? null
            : "demo --gitops needs git on PATH (Debian: apt-get install git); run demo without --gitops otherwise";

    /// <summary>The repository with its first release, the fault map, the credentials and the Application; Argo CD then syncs it.</summary>
    public async Task PublishAsync(IKubernetes client, CancellationToken ct)
    {
        await GitAsync(folder, ct, "init", "--quiet", "--initial-branch=main", RepositoryPath).ConfigureAwait(false);
        // The operator pushes its revert to this repository's checked-out branch, as it would to a server's.
        await GitAsync(RepositoryPath, ct, "config", "receive.denyCurrentBranch", "updateInstead").ConfigureAwait(false);
        await CommitAsync(CheckoutApp.GoodImage, "checkout 1.25", ct).ConfigureAwait(false);

        // The simulated kubelet crash-loops the bad image: the commit changes the image only, as a real bad release does.
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = Simulator.Kubelet.ImageFaults.ConfigMapName, NamespaceProperty = CheckoutApp.Namespace },
            Data = new Dictionary<string, string> { ["bad-release"] = $"{CheckoutApp.BadImage}={CheckoutApp.Fault}" },
        }, CheckoutApp.Namespace, cancellationToken: ct).ConfigureAwait(false);
        // A local repository needs no credentials; the Secret is there because a write-back always names one.
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = CredentialsSecret, NamespaceProperty = CheckoutApp.Namespace },
            StringData = new Dictionary<string, string> { ["username"] = "incident-responder" },
        }, CheckoutApp.Namespace, cancellationToken: ct).ConfigureAwait(false);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Application(), GitOpsCrds.Applications.Group, GitOpsCrds.Applications.Version,
            ArgoCdNamespace, GitOpsCrds.Applications.Resource, cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>The bad release: a commit changing the image, and a refresh so Argo CD looks now rather than on its next poll.</summary>
    public async Task<string> CommitBadReleaseAsync(IKubernetes client, CancellationToken ct)
    {
        var commit = await CommitAsync(CheckoutApp.BadImage, "checkout 1.26", ct).ConfigureAwait(false);
        var refresh = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["argocd.argoproj.io/refresh"] = "normal" } } };
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(refresh.ToJsonString(), V1Patch.PatchType.MergePatch),
            GitOpsCrds.Applications.Group, GitOpsCrds.Applications.Version, ArgoCdNamespace, GitOpsCrds.Applications.Resource, ApplicationName, cancellationToken: ct).ConfigureAwait(false);
        return commit;
    }

    /// <summary>The Application as the API server holds it, or null.</summary>
    public static async Task<JsonObject?> ReadApplicationAsync(IKubernetes client, CancellationToken ct)
    {
        var raw = await client.CustomObjects.GetNamespacedCustomObjectAsync(GitOpsCrds.Applications.Group, GitOpsCrds.Applications.Version,
            ArgoCdNamespace, GitOpsCrds.Applications.Resource, ApplicationName, ct).ConfigureAwait(false);
        return System.Text.Json.JsonSerializer.SerializeToNode(raw, raw.GetType()) as JsonObject;
    }

    /// <summary>The lines of the manifest a commit changed, as <c>git show</c> prints them (+ and -).</summary>
    public async Task<IReadOnlyList<string>> ChangedLinesAsync(string commit, CancellationToken ct)
    {
        var diff = await GitAsync(RepositoryPath, ct, "show", "--format=", "--unified=0", commit).ConfigureAwait(false);
        return [.. diff.Split('\n').Where(l => (l.StartsWith('+') || l.StartsWith('-')) && !l.StartsWith("+++", StringComparison.Ordinal) && !l.StartsWith("---", StringComparison.Ordinal))];
    }

    /// <summary>A commit's subject line.</summary>
    public async Task<string> SubjectAsync(string commit, CancellationToken ct) =>
        (await GitAsync(RepositoryPath, ct, "show", "-s", "--format=%s", commit).ConfigureAwait(false)).Trim();

    private async Task<string> CommitAsync(string image, string message, CancellationToken ct)
    {
        var file = Path.Combine(RepositoryPath, ManifestPath);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, Manifest(image), ct).ConfigureAwait(false);
        await GitAsync(RepositoryPath, ct, "add", "--all").ConfigureAwait(false);
        await GitAsync(RepositoryPath, ct, "-c", "user.name=Demo Team", "-c", "user.email=team@example.com", "-c", "commit.gpgsign=false",
            "commit", "--quiet", "-m", message).ConfigureAwait(false);
        return (await GitAsync(RepositoryPath, ct, "rev-parse", "HEAD").ConfigureAwait(false)).Trim();
    }

    // The manifest as a team writes it, comments included: the write-back must change the image line and nothing else.
    private static string Manifest(string image) => $"""
        # The checkout service. Releases change the image; everything else is reviewed separately.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {CheckoutApp.Name}
          namespace: {CheckoutApp.Namespace}
          labels:
            app: {CheckoutApp.Name}
        spec:
          replicas: {CheckoutApp.Replicas} # three, so one bad pod never takes the service down
          selector:
            matchLabels:
              app: {CheckoutApp.Name}
          template:
            metadata:
              labels:
                app: {CheckoutApp.Name}
            spec:
              containers:
                - name: {CheckoutApp.Container}
                  image: {image}

        """;

    private JsonObject Application() => new()
    {
        ["apiVersion"] = GitOpsCrds.Applications.ApiVersion,
        ["kind"] = "Application",
        ["metadata"] = new JsonObject { ["name"] = ApplicationName, ["namespace"] = ArgoCdNamespace },
        ["spec"] = new JsonObject
        {
            ["project"] = "default",
            ["source"] = new JsonObject { ["repoURL"] = RepositoryUrl, ["targetRevision"] = "main", ["path"] = Path.GetDirectoryName(ManifestPath) },
            ["destination"] = new JsonObject { ["server"] = "https://kubernetes.default.svc", ["namespace"] = CheckoutApp.Namespace },
            ["syncPolicy"] = new JsonObject { ["automated"] = new JsonObject { ["prune"] = true, ["selfHeal"] = true } },
        },
    };

    private static async Task<string> GitAsync(string workingDirectory, CancellationToken ct, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        return process.ExitCode == 0
            ? await stdout.ConfigureAwait(false)
            : throw new DemoFailedException($"git {string.Join(' ', arguments)} failed: {(await stderr.ConfigureAwait(false)).Trim()}");
    }
}
