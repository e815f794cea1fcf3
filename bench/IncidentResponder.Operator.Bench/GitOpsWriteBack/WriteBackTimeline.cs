using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Operator.Bench.GitOpsWriteBack;

/// <summary>
/// First-seen times of each app's moments, from polls of the store. The rollback counts only after the bad image
/// reached the template, so the good image from before the release is not taken for it.
/// </summary>
internal sealed class WriteBackTimeline(int apps)
{
    private readonly TimeSpan?[] _badApplied = new TimeSpan?[apps];
    private readonly TimeSpan?[] _signal = new TimeSpan?[apps];
    private readonly TimeSpan?[] _rollback = new TimeSpan?[apps];
    private readonly TimeSpan?[] _pushed = new TimeSpan?[apps];
    private readonly TimeSpan?[] _resumed = new TimeSpan?[apps];
    private readonly string?[] _commit = new string?[apps];

    /// <summary>Records what is newly visible at <paramref name="now"/>; true once every app is pushed and resumed.</summary>
    public bool Observe(IClusterStore store, TimeSpan now)
    {
        var incidents = WriteBackProbe.IncidentsByTarget(store);
        for (var i = 0; i < apps; i++)
        {
            var image = WriteBackProbe.TemplateImage(store, i);
            _badApplied[i] ??= image == WriteBackManifests.BadImage ? now : null;
            if (_signal[i] is null && _badApplied[i] is not null && WriteBackProbe.BadPodCrashLooping(store, i))
            {
                _signal[i] = now;
            }

            if (_badApplied[i] is not null && _rollback[i] is null && image == WriteBackManifests.GoodImage)
            {
                _rollback[i] = now;
            }

            if (incidents.TryGetValue(WriteBackManifests.AppName(i), out var incident))
            {
                if (_pushed[i] is null && incident.WriteBack == "Pushed")
                {
                    (_pushed[i], _commit[i]) = (now, incident.Commit);
                }

                _resumed[i] ??= incident.Pause == "Resumed" ? now : null;
            }
        }

        return _pushed.All(t => t is not null) && _resumed.All(t => t is not null);
    }

    public IReadOnlyList<WriteBackOutcome> Outcomes() =>
        [.. Enumerable.Range(0, apps).Select(i => new WriteBackOutcome(WriteBackManifests.AppName(i), Since(i, _rollback[i]), Since(i, _pushed[i]), Since(i, _resumed[i]), _commit[i]))];

    private TimeSpan? Since(int i, TimeSpan? moment) => _signal[i] is { } signal && moment is { } at ? at - signal : null;
}
