using System.CommandLine;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Commands;

/// <summary>
/// <c>run --kubeconfig-wait</c>: how long to wait for a --kubeconfig that does not exist yet, so <c>sim &amp;</c> then
/// <c>run &amp;</c> pasted together works although the simulator writes its kubeconfig only once it listens.
/// </summary>
internal static class KubeconfigWaitOption
{
    public static Option<TimeSpan> Create() => new("--kubeconfig-wait")
    {
        Description = "How long to wait for a --kubeconfig file that does not exist yet (a Go duration: 30s, 2m; 0 to fail at once).",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (text == "0")
            {
                return TimeSpan.Zero;
            }

            if (GoDuration.TryParse(text, out var wait))
            {
                return wait;
            }

            result.AddError($"--kubeconfig-wait must be a duration like 30s or 2m, or 0 (got '{text}')");
            return TimeSpan.Zero;
        },
    };
}
