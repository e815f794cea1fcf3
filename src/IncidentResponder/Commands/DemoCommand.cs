using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using IncidentResponder.Demo;

namespace IncidentResponder.Commands;

/// <summary>
/// <c>incident-responder demo [--keep-running] [--speed &lt;factor&gt;] [--gitops]</c>: a simulated cluster and the operator in
/// this one process; a bad rollout, narrated from detection to resolution; the Incident as kubectl shows it. Ends on
/// its own within a minute (exit 0, or 1 naming what it was waiting for), or with --keep-running on Ctrl-C/SIGTERM.
/// </summary>
public static class DemoCommand
{
    /// <summary>The whole story, setup included, must fit in this; a demo that takes longer is a failed demo.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The GitOps story adds Argo CD's syncs, a commit, a push and the resume on top of the rollback.</summary>
    private static readonly TimeSpan GitOpsDeadline = TimeSpan.FromSeconds(90);

    public static Command Create()
    {
        var keepRunning = new Option<bool>("--keep-running")
        {
            Description = "Keep the simulated cluster and the operator running after the story, until Ctrl-C or SIGTERM, to look around with kubectl.",
        };
        var speed = new Option<double>("--speed")
        {
            Description = "How much faster than real time the simulated kubelet starts, crashes and backs off containers.",
            DefaultValueFactory = _ => 10,
            // A parser rather than a validator: a validator reads the converted value, which throws on text like "abc".
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value))
                {
                    return value;
                }

                result.AddError($"--speed must be a positive number, e.g. 10 (got '{text}')");
                return 0;
            },
        };
        var gitops = new Option<bool>("--gitops")
        {
            Description = "Tell the GitOps story instead: the app is applied from a local git repository by the simulated cluster's Argo CD with self-heal; "
                + "the operator pauses auto-sync, rolls back, commits the revert to git and resumes. Needs git on PATH.",
        };
        var command = new Command("demo", "Show the operator at work: a bad rollout on a simulated cluster, detected, rolled back, verified and recorded.")
        {
            keepRunning,
            speed,
            gitops,
        };
        command.SetAction(async (parse, ct) =>
        {
            // Ctrl-C (SIGINT) and SIGTERM (kill, a container stop) end the demo the same way: stop the operator, then
            // the cluster. Both are handled here, not only through the invocation token, so that a signal always
            // reaches the demo however the process was started.
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stopping));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stopping));
            var withGitOps = parse.GetValue(gitops);
            if (withGitOps && GitOpsDemo.Missing() is { } missing)
            {
                throw new UserError(missing);
            }

            var narrator = new Narrator(parse.InvocationConfiguration.Output);
            var settings = new DemoSettings(parse.GetValue(speed), parse.GetValue(keepRunning), withGitOps ? GitOpsDeadline : Deadline, withGitOps);
            return await new DemoScenario(narrator, settings).RunAsync(stopping.Token).ConfigureAwait(false);
        });
        return command;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stopping)
    {
        context.Cancel = true; // the demo stops itself, in order
        stopping.Cancel();
    }
}
