using System.Diagnostics;

namespace IncidentResponder.Simulator.Tests.GitOps;

/// <summary>A real git repository in a temp folder, on branch <c>main</c>, that a test commits manifests to.</summary>
internal sealed class GitRepo : IDisposable
{
    private GitRepo(string path) => Path = path;

    public string Path { get; }

    public string Url => new Uri(Path).AbsoluteUri;

    public static GitRepo Create()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sim-gitops-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var repo = new GitRepo(path);
        repo.Git("init", "--quiet", "--initial-branch=main");
        repo.Git("config", "user.email", "tests@example.invalid");
        repo.Git("config", "user.name", "Simulator tests");
        repo.Git("config", "commit.gpgsign", "false");
        return repo;
    }

    /// <summary>Writes the files and commits them; returns the commit SHA.</summary>
    public string Commit(string message, params (string File, string Content)[] files)
    {
        foreach (var (file, content) in files)
        {
            var full = System.IO.Path.Combine(Path, file);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        Git("add", "--all");
        Git("commit", "--quiet", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        return stdout;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A git process still closing a file: the OS cleans the temp folder later.
        }
        catch (UnauthorizedAccessException)
        {
            // Read-only object files on some platforms: left to the OS's temp cleanup.
        }
    }
}

/// <summary>Manifests the GitOps tests commit and apply.</summary>
internal static class GitOpsManifests
{
    public static string Deployment(string image, string ns = "shop", int replicas = 2) => $$"""
        # The web tier. The image is what a release changes.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: {{ns}}
          labels: {app: web}
        spec:
          replicas: {{replicas}}
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
              annotations:
                example.com/release: "r1"
            spec:
              containers:
                - name: web
                  image: {{image}}
                  ports:
                    - containerPort: 80
        """;

    public const string ConfigMap = """
        # Settings the web tier reads; no namespace: the destination's applies.
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web-settings
        data:
          greeting: hello
        """;

    public static string Application(string name, string repoUrl, string path, string automated, string ns = "argocd") => $$"""
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: {{name}}
          namespace: {{ns}}
        spec:
          project: default
          source:
            repoURL: {{repoUrl}}
            targetRevision: main
            path: {{path}}
          destination:
            server: https://kubernetes.default.svc
            namespace: shop
          syncPolicy:
        {{automated}}
        """;

    public const string AutomatedSelfHeal = """
            automated:
              prune: true
              selfHeal: true
        """;
}
