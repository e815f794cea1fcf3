using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>helm failed to render (or could not be started): the message is helm's own standard error.</summary>
public sealed class HelmException(string message) : Exception(message);

/// <summary>A chart's <c>Chart.yaml</c>: what a release records about it.</summary>
public sealed record HelmChartMetadata(string Name, string Version, string? AppVersion);

/// <summary>
/// Renders a chart folder of a git commit with the real <c>helm template</c>, as helm-controller's install and
/// upgrade would render it: the folder is exported with <c>git archive</c> into a temp folder, the values are written
/// to a temp file, and helm runs with its cache/config/data homes in that folder so nothing lands in the user's home.
/// Hooks and chart tests are left out (they are not emulated); CRDs in <c>crds/</c> are included, as on install.
/// </summary>
public sealed class HelmTemplate(string helmExecutable, string gitExecutable)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private static readonly string[] ScratchHomes = ["HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"];

    /// <summary>The name, version and appVersion in <c>&lt;chart&gt;/Chart.yaml</c> of a commit.</summary>
    public static HelmChartMetadata ReadMetadata(GitCli git, string repository, string commit, string chart)
    {
        var folder = GitManifests.NormalizeFolder(chart);
        var file = folder.Length == 0 ? "Chart.yaml" : folder + "/Chart.yaml";
        var metadata = YamlDocuments.Parse(git.ReadFile(repository, commit, file)).FirstOrDefault() ?? [];
        var name = ObjectRules.Str(metadata["name"]);
        var version = ObjectRules.Str(metadata["version"]);
        return name is { Length: > 0 } && version is { Length: > 0 }
            ? new HelmChartMetadata(name, version, ObjectRules.Str(metadata["appVersion"]))
            : throw new GitException($"{file}: a chart needs a name and a version");
    }

    /// <summary>The objects <c>helm template</c> renders for the release.</summary>
    public IReadOnlyList<JsonObject> Render(string repository, string commit, string chart, string releaseName, string releaseNamespace, JsonObject values)
    {
        var scratch = Directory.CreateTempSubdirectory("sim-helm-");
        try
        {
            var chartFolder = Path.Combine(scratch.FullName, "chart");
            Directory.CreateDirectory(chartFolder);
            Export(repository, commit, GitManifests.NormalizeFolder(chart), chartFolder);
            var valuesFile = Path.Combine(scratch.FullName, "values.json");
            File.WriteAllText(valuesFile, values.ToJsonString());
            var output = Run(scratch.FullName,
                "template", releaseName, chartFolder, "--namespace", releaseNamespace, "--values", valuesFile, "--include-crds", "--no-hooks", "--skip-tests");
            return YamlDocuments.Parse(output).Where(o => o["apiVersion"] is not null && o["kind"] is not null).ToList();
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private void Export(string repository, string commit, string folder, string destination)
    {
        var start = Start(gitExecutable, "-c", "safe.directory=*", "-C", repository, "archive", "--format=tar", folder.Length == 0 ? commit : $"{commit}:{folder}");
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var process = Process.Start(start) ?? throw new GitException($"could not start {gitExecutable}");
        var stderr = process.StandardError.ReadToEndAsync();
        using var archive = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(archive);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new GitException(stderr.GetAwaiter().GetResult().Trim() is { Length: > 0 } message ? message : $"git archive exited {process.ExitCode}");
        }

        archive.Position = 0;
        TarFile.ExtractToDirectory(archive, destination, overwriteFiles: true);
    }

    private string Run(string scratch, params string[] args)
    {
        var start = Start(helmExecutable, args);
        foreach (var home in ScratchHomes)
        {
            start.Environment[home] = Path.Combine(scratch, home);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new HelmException($"could not start {helmExecutable}");
        }
        catch (Win32Exception error)
        {
            throw new HelmException($"could not run {helmExecutable} ({error.Message}): install helm or point the HELM environment variable at it");
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new HelmException($"helm template did not finish within {Timeout.TotalSeconds:0}s");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new HelmException(Message(stderr.GetAwaiter().GetResult()) is { Length: > 0 } message ? message : $"helm template exited {process.ExitCode}");
            }

            return stdout.GetAwaiter().GetResult();
        }
    }

    // helm prints "Error: <cause>" and a hint about --debug; helm-controller reports the cause alone.
    private static string Message(string stderr) => string.Join(' ', stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(line => !line.StartsWith("Use --debug", StringComparison.Ordinal))
        .Select(line => line.StartsWith("Error: ", StringComparison.Ordinal) ? line[7..] : line));

    private static ProcessStartInfo Start(string executable, params string[] args)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
