using IncidentResponder.Core.Time;
using IncidentResponder.Runtime.Controllers;

namespace IncidentResponder.Operator.Controllers;

/// <summary>Schedules the core's <see cref="NextLook"/>: the earlier of its moment and the poll, never sooner than a floor.</summary>
internal static class Requeue
{
    public static ReconcileResult For(NextLook next, DateTimeOffset now, TimeSpan pollInterval, TimeSpan floor)
    {
        var untilMoment = next.At is { } at ? at - now : TimeSpan.MaxValue;
        var untilPoll = next.Poll ? pollInterval : TimeSpan.MaxValue;
        var delay = untilMoment < untilPoll ? untilMoment : untilPoll;
        return delay == TimeSpan.MaxValue ? ReconcileResult.Done : ReconcileResult.RequeueAfter(delay < floor ? floor : delay);
    }
}
