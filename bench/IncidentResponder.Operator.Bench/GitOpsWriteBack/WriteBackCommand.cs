using System.CommandLine;

namespace IncidentResponder.Operator.Bench.GitOpsWriteBack;

/// <summary>The <c>gitops-writeback</c> subcommand: signal → rollback, → revert commit pushed, → owner resumed.</summary>
internal static class WriteBackCommand
{
    public static Command Create()
    {
        var incidents = new Option<int>("--incidents") { Description = "GitOps-owned Deployments (one app folder and Application each) that get a bad commit.", DefaultValueFactory = _ => 10 };
        var deadline = new Option<int>("--deadline-s") { Description = "Seconds to wait from the first bad commit for every revert pushed and owner resumed.", DefaultValueFactory = _ => 180 };
        var operatorLog = new Option<string>("--operator-log") { Description = "File for the operator's log.", DefaultValueFactory = _ => "operator-bench-writeback.log" };
        var command = new Command("gitops-writeback", "Signal → revert commit pushed for Deployments Argo CD applies from a local git repository, with the controllers, kubelet and Argo CD emulation running.")
        {
            incidents, deadline, operatorLog,
        };
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(incidents);
            var seconds = parse.GetValue(deadline);
            if (n is < 1 or > 100 || seconds < 1)
            {
                // The policy allows at most 100 incidents at once (the CRD's bound).
                await parse.InvocationConfiguration.Error.WriteLineAsync($"--incidents {n} must be from 1 to 100 and --deadline-s {seconds} at least 1");
                return 2;
            }

            var output = parse.InvocationConfiguration.Output;
            var log = parse.GetValue(operatorLog)!;
            var (outcomes, facts) = await new WriteBackRun(n, TimeSpan.FromSeconds(seconds), log, output).RunAsync(ct);
            await output.WriteLineAsync();
            await output.WriteAsync(WriteBackTable.Render(outcomes, facts));
            await output.WriteLineAsync($"operator log: {log}");
            return WriteBackTable.Complete(outcomes) ? 0 : 1;
        });
        return command;
    }
}
