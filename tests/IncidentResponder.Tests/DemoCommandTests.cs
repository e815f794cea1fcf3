using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Tests;

/// <summary><c>incident-responder demo</c> as a user runs it: the whole story, told in order, ending on its own with the record printed.</summary>
public sealed partial class DemoCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>The narration's phases, in the order the story must tell them.</summary>
    private static readonly string[] Phases =
    [
        "bad rollout: checkout nginx:1.25 → nginx:1.26",
        "pods crash-looping:",
        "signal detected:",
        "Incident opened: checkout-crashloop-r2",
        "decision: RolloutUndo — guardrails passed, mode Automatic",
        "step rollback-recent-deployment (RolloutUndo, attempt 1): roll back checkout to revision 1",
        "rollback intent recorded:",
        "rollback patch applied: revision 2 → 1",
        "verified:",
        "Mitigated:",
        "Resolved:",
    ];

    [Fact]
    public async Task Demo_tells_the_rollback_story_in_order_prints_the_resolved_incident_and_exits_0_on_its_own()
    {
        using var demo = ExecutableProcess.Start("demo");
        var started = Stopwatch.StartNew();

        var exitCode = await demo.WaitForExitAsync(Deadline);
        var output = demo.Output;
        Assert.True(exitCode == 0, $"demo exited {exitCode} after {started.Elapsed}:\n{output}");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), $"demo took {started.Elapsed}");

        // Long narration lines wrap onto indented continuation lines: compare the words, not the layout.
        var narration = Whitespace().Replace(output, " ");
        var position = 0;
        foreach (var phase in Phases)
        {
            var found = narration.IndexOf(phase, position, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{phase}' missing, or told out of order, in:\n{output}");
            position = found + phase.Length;
        }

        var incident = PrintedIncident(output);
        Assert.Equal("Incident", Scalar(incident, "kind"));
        Assert.Equal("Resolved", Scalar(incident, "status", "phase"));
        var actions = (YamlSequenceNode)incident["status"]["actions"];
        var action = (YamlMappingNode)Assert.Single(actions.Children);
        Assert.Equal("RolloutUndo", Scalar(action, "type"));
        Assert.Equal("Succeeded", Scalar(action, "phase"));
        Assert.Equal("1", Scalar(action, "details", "toRevision"));

        var kubeconfig = KubeconfigLine().Match(output);
        Assert.True(kubeconfig.Success, "no kubeconfig line in:\n" + output);
        Assert.Contains($"KUBECONFIG={kubeconfig.Groups["path"].Value} kubectl get inc -A", output, StringComparison.Ordinal);

        // Without --keep-running nothing is left behind: the folder with the kubeconfig and the operator's log is gone.
        var folder = Path.GetDirectoryName(kubeconfig.Groups["path"].Value)!;
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "incident-responder-demo-"), folder, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder), $"the demo's folder {folder} is still there after it exited");
    }

    /// <summary>The GitOps narration's points, in the order the story must tell them.</summary>
    private static readonly string[] GitOpsPhases =
    [
        "bad release committed to git:",
        "Argo CD synced",
        "pods crash-looping:",
        "Incident opened: checkout-crashloop-r2",
        "rollback intent recorded:",
        "GitOps owner: ArgoCD Application argocd/checkout",
        "auto-sync paused before the rollback: pause ArgoCD Application argocd/checkout: spec.syncPolicy.automated.enabled=false (prune and selfHeal kept)",
        "rollback patch applied: revision 2 → 1",
        "verified:",
        "revert pushed to main: commit",
        "auto-sync restored as it was; Argo CD is at the revert",
        "Resolved:",
    ];

    [Fact]
    public async Task Demo_with_gitops_pauses_argo_cd_rolls_back_pushes_a_one_line_revert_and_resumes()
    {
        using var demo = ExecutableProcess.Start("demo", "--gitops");

        var exitCode = await demo.WaitForExitAsync(Deadline + Deadline);
        var output = demo.Output;
        Assert.True(exitCode == 0, $"demo --gitops exited {exitCode}:\n{output}");
        var narration = Whitespace().Replace(output, " ");
        var position = 0;
        foreach (var phase in GitOpsPhases)
        {
            var found = narration.IndexOf(phase, position, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{phase}' missing, or told out of order, in:\n{output}");
            position = found + phase.Length;
        }

        // The revert as git holds it: the image line and nothing else, indentation kept.
        var revert = output[output.IndexOf("  revert ", StringComparison.Ordinal)..];
        Assert.Contains("2 line(s) changed in apps/checkout/deployment.yaml", Whitespace().Replace(revert, " "), StringComparison.Ordinal);
        Assert.Equal(["-          image: nginx:1.26", "+          image: nginx:1.25"],
            revert.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("-  ", StringComparison.Ordinal) || l.StartsWith("+  ", StringComparison.Ordinal)));

        var incident = PrintedIncident(output);
        Assert.Equal("Resolved", Scalar(incident, "status", "phase"));
        Assert.Equal("Resumed", Scalar(incident, "status", "gitops", "pause", "phase"));
        Assert.Equal("Pushed", Scalar(incident, "status", "gitops", "writeBack", "phase"));
        Assert.Equal("Application", Scalar(incident, "status", "gitops", "owner", "kind"));
    }

    [Fact]
    public async Task With_keep_running_the_printed_kubectl_command_shows_the_incident_until_sigterm()
    {
        using var demo = ExecutableProcess.Start("demo", "--keep-running", "--speed", "20");

        var output = await demo.WaitForOutputAsync("keep running until Ctrl-C", Deadline);
        var kubeconfig = KubeconfigLine().Match(output).Groups["path"].Value;
        var board = await new Kubectl(kubeconfig, Path.GetDirectoryName(kubeconfig)!).RunAsync("get", "inc", "-A");
        Assert.True(board.ExitCode == 0, board.Stdout + board.Stderr);
        Assert.Matches(@"default\s+checkout-crashloop-r2\s+SEV-\d\s+Resolved\s+checkout\s+CrashLoop", board.Stdout);

        using (var kill = Process.Start("kill", ["-TERM", demo.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, await demo.WaitForExitAsync(Deadline));
        Assert.Contains("stopping the operator and the simulated cluster", demo.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(kubeconfig), "with --keep-running the demo's folder is kept for the user");
        Directory.Delete(Path.GetDirectoryName(kubeconfig)!, recursive: true);
    }

    [Fact]
    public async Task A_demo_that_cannot_finish_in_a_minute_says_what_it_was_waiting_for_and_exits_1()
    {
        // A kubelet a thousand times slower than real time never gets the app's containers started.
        using var demo = ExecutableProcess.Start("demo", "--speed", "0.001");

        Assert.Equal(1, await demo.WaitForExitAsync(Deadline));
        Assert.Contains("demo failed: timed out after 60s waiting for deployment/checkout to be Available", demo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("bad rollout:", demo.Output, StringComparison.Ordinal);

        // The failure points at the operator's log, so that one is kept.
        var log = OperatorLogLine().Match(demo.Output).Groups["path"].Value;
        Assert.True(File.Exists(log), $"the operator log {log} named in the failure is gone:\n{demo.Output}");
        Directory.Delete(Path.GetDirectoryName(log)!, recursive: true);
    }

    [Fact]
    public async Task Demo_refuses_a_speed_that_is_not_positive()
    {
        using var demo = ExecutableProcess.Start("demo", "--speed", "0");

        Assert.Equal(2, await demo.WaitForExitAsync(Deadline));
        Assert.Equal("--speed must be a positive number, e.g. 10 (got '0'): see 'incident-responder demo --help'", demo.Stderr.TrimEnd());
    }

    /// <summary>The YAML printed under the Incident heading, up to the next heading.</summary>
    private static YamlMappingNode PrintedIncident(string output)
    {
        var heading = IncidentHeading().Match(output);
        Assert.True(heading.Success, "no Incident YAML in:\n" + output);
        var start = heading.Index + heading.Length;
        var end = output.IndexOf("\nLook around", start, StringComparison.Ordinal);
        var stream = new YamlStream();
        stream.Load(new StringReader(output[start..end]));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string? Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            current = ((YamlMappingNode)current)[key];
        }

        return ((YamlScalarNode)current).Value;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^The Incident \(kubectl get inc \S+ -o yaml\)\n", RegexOptions.Multiline)]
    private static partial Regex IncidentHeading();

    [GeneratedRegex(@"^  kubeconfig\s+(?<path>\S+)$", RegexOptions.Multiline)]
    private static partial Regex KubeconfigLine();

    [GeneratedRegex(@"^  operator log\s+(?<path>\S+)$", RegexOptions.Multiline)]
    private static partial Regex OperatorLogLine();
}
