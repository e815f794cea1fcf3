using System.Text.Json;
using System.Xml.Linq;

namespace IncidentResponder.Deploy.Tests;

/// <summary>
/// Docker cannot run here, so the Dockerfile is checked by reading it: multi-stage, a non-root runtime user,
/// the incident-responder entrypoint, and a restore layer that lists every project the executable needs.
/// </summary>
public sealed class DockerfileTests
{
    private sealed record Instruction(string Keyword, string Arguments, int Line);

    private static List<Instruction> Instructions()
    {
        var instructions = new List<Instruction>();
        var lines = RepositoryRoot.ReadText("Dockerfile").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var start = i;
            var text = lines[i].Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            // Continuation lines end with a backslash.
            while (text.EndsWith('\\') && i + 1 < lines.Length)
            {
                text = text[..^1].TrimEnd() + " " + lines[++i].Trim();
            }

            var space = text.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add(new Instruction(text[..space].ToUpperInvariant(), text[(space + 1)..].Trim(), start + 1));
        }

        return instructions;
    }

    /// <summary>The instructions of the last stage: what the image runs.</summary>
    private static List<Instruction> RuntimeStage()
    {
        var all = Instructions();
        return all.Skip(all.FindLastIndex(i => i.Keyword == "FROM")).ToList();
    }

    [Fact]
    public void Builds_in_one_stage_and_runs_in_another_from_a_runtime_only_image()
    {
        var froms = Instructions().Where(i => i.Keyword == "FROM").ToList();

        Assert.True(froms.Count >= 2, "the Dockerfile must be multi-stage");
        Assert.Contains("dotnet/sdk:", froms[0].Arguments, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet/sdk", froms[^1].Arguments, StringComparison.Ordinal);
        Assert.Matches(@"mcr\.microsoft\.com/dotnet/(aspnet|runtime|runtime-deps):\d+\.\d+", froms[^1].Arguments);
        Assert.Contains(RuntimeStage(), i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=", StringComparison.Ordinal));
    }

    [Fact]
    public void The_runtime_stage_runs_as_the_non_root_uid_the_manifests_expect()
    {
        var user = Assert.Single(RuntimeStage(), i => i.Keyword == "USER").Arguments;

        var uid = user.Split(':')[0];
        Assert.True(int.TryParse(uid, out var numeric), $"USER {user} must be numeric so Kubernetes can verify runAsNonRoot");
        Assert.NotEqual(0, numeric);
        Assert.Equal("65532", uid);
    }

    [Fact]
    public void The_entrypoint_is_the_incident_responder_executable()
    {
        var entrypoint = Assert.Single(RuntimeStage(), i => i.Keyword == "ENTRYPOINT").Arguments;

        var exec = JsonSerializer.Deserialize<string[]>(entrypoint); // exec form: no shell exists in the image
        Assert.NotNull(exec);
        Assert.Equal("/app/incident-responder", exec[0]);
    }

    [Fact]
    public void The_image_works_with_a_read_only_root_filesystem()
    {
        // Without a writable /tmp the runtime's diagnostics IPC stops startup; the image turns it off, and the
        // manifests mount an emptyDir at /tmp for when it is turned back on.
        Assert.Contains(RuntimeStage(), i => i.Keyword == "ENV" && i.Arguments.Contains("DOTNET_EnableDiagnostics=0", StringComparison.Ordinal));
    }

    [Fact]
    public void Publishes_the_executable_project()
    {
        Assert.Contains(Instructions(), i => i.Keyword == "RUN"
            && i.Arguments.Contains("dotnet publish src/IncidentResponder/IncidentResponder.csproj", StringComparison.Ordinal)
            && i.Arguments.Contains("-c Release", StringComparison.Ordinal));
    }

    [Fact]
    public void The_restore_layer_copies_every_project_the_executable_references_before_restoring()
    {
        var instructions = Instructions();
        var restore = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0, "no dotnet restore step");
        var copiedBeforeRestore = instructions.Take(restore)
            .Where(i => i.Keyword == "COPY")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            .ToHashSet();

        Assert.All(ProjectClosure("src/IncidentResponder/IncidentResponder.csproj"), project => Assert.Contains(project, copiedBeforeRestore));
        Assert.All(new[] { "Directory.Build.props", "Directory.Packages.props" }, f => Assert.Contains(f, copiedBeforeRestore));
        Assert.All(copiedBeforeRestore, path => Assert.True(File.Exists(RepositoryRoot.Combine(path)), $"the Dockerfile copies {path}, which does not exist"));
    }

    [Fact]
    public void The_build_context_keeps_the_sources_and_leaves_build_output_out()
    {
        var ignore = RepositoryRoot.ReadText(".dockerignore").Split('\n').Select(l => l.Trim()).ToList();

        Assert.Contains("!src/", ignore);
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    /// <summary>A project and every project it references, directly or not, as repository-relative paths.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!found.Add(current))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(RepositoryRoot.Combine(current)).Descendants("ProjectReference"))
            {
                var relative = reference.Attribute("Include")!.Value.Replace('\\', '/');
                pending.Push(Normalize($"{folder}/{relative}"));
            }
        }

        return found;
    }

    /// <summary>Resolves "a/b/../c" to "a/c".</summary>
    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part == "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }
}
