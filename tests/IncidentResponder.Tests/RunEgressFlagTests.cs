namespace IncidentResponder.Tests;

/// <summary>The admin's egress allowlist on the run command: a mistake in it is one line naming the flag, exit code 2.</summary>
public sealed class RunEgressFlagTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_egress_allow_entry_that_is_neither_host_nor_CIDR_is_one_line_and_exit_code_2()
    {
        using var run = ExecutableProcess.Start("run", "--egress-allow", "hooks.slack.com", "--egress-allow", "10.0.0.0/33",
            "--metrics-bind-address", "0", "--health-probe-bind-address", "127.0.0.1:0");

        Assert.Equal(2, await run.WaitForExitAsync(Deadline));
        Assert.Equal(
            ["--egress-allow 10.0.0.0/33: not a host name or CIDR; pass a name like hooks.slack.com or a block like 10.20.0.0/16"],
            run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
    }
}
