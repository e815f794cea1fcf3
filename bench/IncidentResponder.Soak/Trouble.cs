using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Soak;

/// <summary>
/// What goes wrong in the fleet, at seeded times: bad rollouts (image pull or crash loop) on Deployments that are
/// healthy and have no open incident, one OOM storm per OOM-prone Deployment, and flaky pods that restart once.
/// </summary>
internal sealed class Trouble(SoakWorld world, Random random, TextWriter log)
{
    private readonly HashSet<string> _stormed = [];
    private readonly Dictionary<string, DateTimeOffset> _lastRollout = [];
    private int _image = 30;

    public List<InjectedRollout> Rollouts { get; } = [];

    public int OomStorms => _stormed.Count;

    public int FlakyRestarts { get; private set; }

    public async Task RunAsync(string[] web, string[] oom, string[] flaky, DateTimeOffset until, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(random.Next(4, 10)), cancellationToken);
            if (DateTimeOffset.UtcNow >= until)
            {
                return;
            }

            var roll = random.NextDouble();
            if (roll < 0.6)
            {
                await BadRolloutAsync(web, cancellationToken);
            }
            else if (roll < 0.75)
            {
                if (oom.FirstOrDefault(o => !_stormed.Contains(o)) is { } target)
                {
                    _stormed.Add(target);
                    await log.WriteLineAsync($"soak: OOM storm on {target}");
                    await world.OomStormAsync(target, cancellationToken);
                }
            }
            else if (world.FlakyRestart(flaky[random.Next(flaky.Length)]))
            {
                FlakyRestarts++;
            }
        }
    }

    /// <summary>A bad rollout on a Deployment that is rolled out, has no open incident, and was not touched in the last 20 s.</summary>
    private async Task BadRolloutAsync(string[] web, CancellationToken cancellationToken)
    {
        var incidents = world.IncidentsNow();
        var ready = web.Where(w => world.Settled(w)
                && incidents.All(i => i.Spec.TargetRef.Name != w || i.Status?.Phase is IncidentPhase.Resolved or IncidentPhase.Escalated)
                && (!_lastRollout.TryGetValue(w, out var last) || DateTimeOffset.UtcNow - last > TimeSpan.FromSeconds(20)))
            .ToList();
        if (ready.Count == 0)
        {
            return;
        }

        var target = ready[random.Next(ready.Count)];
        var fault = random.NextDouble() < 0.5 ? "imagepull" : "crashloop";
        var rollout = new InjectedRollout(target, world.Revision(target), DateTimeOffset.UtcNow, fault);
        _lastRollout[target] = rollout.At;
        await log.WriteLineAsync($"soak: bad rollout of {target} ({fault}) from revision {rollout.RevisionBefore}");
        await world.BadRolloutAsync(target, fault, _image++, cancellationToken);
        Rollouts.Add(rollout);
    }
}
