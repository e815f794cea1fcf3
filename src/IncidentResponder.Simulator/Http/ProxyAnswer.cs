using IncidentResponder.Simulator.Kubelet;

namespace IncidentResponder.Simulator.Http;

/// <summary>What a simulated application answers on any path (its health path included), as a pure function of its fault.</summary>
public sealed record ProxyAnswer(int StatusCode, string Body, TimeSpan Delay)
{
    /// <summary>A slow pod's added latency is served in full up to this bound, so a mistyped annotation cannot hang a request for hours.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The answer to the <paramref name="request"/>-th request (from 0) a pod gets: an <c>errors</c> pod fails request k
    /// when <c>floor((k+1)·ratio) &gt; floor(k·ratio)</c>, so exactly <c>floor(n·ratio)</c> of its first n requests fail,
    /// spread evenly and the same on every run.
    /// </summary>
    public static ProxyAnswer For(FaultSpec fault, long request) => fault.Kind switch
    {
        FaultKind.Errors when Math.Floor((request + 1) * fault.ErrorRatio) > Math.Floor(request * fault.ErrorRatio) =>
            new(503, "service unavailable: the application failed this request (simulated errors fault)\n", TimeSpan.Zero),
        FaultKind.Slow => new(200, "ok", fault.Latency < MaxDelay ? fault.Latency : MaxDelay),
        _ => new(200, "ok", TimeSpan.Zero),
    };
}
