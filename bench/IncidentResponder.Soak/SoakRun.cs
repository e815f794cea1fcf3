using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Simulator;

namespace IncidentResponder.Soak;

/// <summary>
/// One soak: the cluster, the fleet, two operators under leader election, and three loops until the end — trouble
/// for the fleet, kills of the operators, resource samples — then a quiet period for the last incidents to finish,
/// and the judgement.
/// </summary>
public static class SoakRun
{
    private static readonly string[] Web = [.. Enumerable.Range(0, 6).Select(i => $"web-{i}")];
    private static readonly string[] Oom = [.. Enumerable.Range(0, 3).Select(i => $"oom-{i}")];
    private static readonly string[] Flaky = [.. Enumerable.Range(0, 2).Select(i => $"flaky-{i}")];

    public static async Task<SoakResult> RunAsync(SoakOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.WorkDirectory);
        var random = new Random(options.Seed);
        var users = new Dictionary<string, string>(StringComparer.Ordinal) { ["soak-token-a"] = "operator-a", ["soak-token-b"] = "operator-b" };
        await log.WriteLineAsync($"soak: seed {options.Seed}, {options.Duration.TotalMinutes:0.#} min, logs in {options.WorkDirectory}");
        await using var world = await SoakWorld.StartAsync(options, users, cancellationToken);
        foreach (var name in Web.Concat(Oom).Concat(Flaky))
        {
            await world.CreateDeploymentAsync(name, replicas: 2, cancellationToken);
        }

        await SoakWorld.Until(() => Task.FromResult(Web.Concat(Oom).Concat(Flaky).All(world.Settled)), TimeSpan.FromSeconds(90), "the fleet rolled out", cancellationToken);
        var operators = users.Select(u => new OperatorProcess(u.Value, WriteKubeconfig(world, options, u.Key), options, SoakWorld.Namespace)).ToList();
        try
        {
            operators.ForEach(o => o.Start());
            await SoakWorld.Until(() => Task.FromResult(world.LeaseHolder() is { Length: > 0 }), TimeSpan.FromSeconds(90), "a leader elected", cancellationToken);
            var started = DateTimeOffset.UtcNow;
            var end = started + options.Duration;
            var quietFrom = end - TimeSpan.FromSeconds(Math.Min(60, options.Duration.TotalSeconds / 4));
            var trouble = new Trouble(world, new Random(random.Next()), log);
            var kills = new List<OperatorKill>();
            await Task.WhenAll(
                trouble.RunAsync(Web, Oom, Flaky, quietFrom, cancellationToken),
                KillLoopAsync(world, operators, new Random(random.Next()), kills, quietFrom, options.KillEvery, log, cancellationToken),
                SampleLoopAsync(operators, options.SampleEvery, end, cancellationToken));

            await log.WriteLineAsync("soak: trouble stopped; waiting for the last incidents and rollouts to finish");
            var settled = await Settled(world, TimeSpan.FromSeconds(120), cancellationToken);
            var incidents = world.IncidentsNow();
            var revisions = Web.ToDictionary(w => w, world.Revision);
            operators.ForEach(o => o.Kill(hard: true));
            var record = new SoakRecord(trouble.Rollouts, kills, [.. world.Cluster.Hooks.AuditLog], incidents, revisions, users.Values.ToHashSet(), DateTimeOffset.UtcNow);
            // The whole audit log next to the operators' logs: what a failed invariant is investigated with.
            await File.WriteAllLinesAsync(Path.Combine(options.WorkDirectory, "audit.jsonl"),
                record.Audit.Select(r => System.Text.Json.JsonSerializer.Serialize(r)), cancellationToken);
            return SoakResult.From(options, record, operators, trouble, settled);
        }
        finally
        {
            operators.ForEach(o => o.Dispose());
        }
    }

    private static string WriteKubeconfig(SoakWorld world, SoakOptions options, string token)
    {
        var path = Path.Combine(options.WorkDirectory, $"kubeconfig-{token}");
        File.WriteAllText(path, Kubeconfig.Render(world.Cluster.BaseAddress, token));
        return path;
    }

    /// <summary>Kills an operator at seeded times — the leader more often than not, SIGKILL or SIGTERM — and starts it again a few seconds later.</summary>
    private static async Task KillLoopAsync(SoakWorld world, List<OperatorProcess> operators, Random random, List<OperatorKill> kills, DateTimeOffset until,
        TimeSpan killEvery, TextWriter log, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(killEvery * (1 + (1.25 * random.NextDouble())), cancellationToken);
            if (DateTimeOffset.UtcNow >= until)
            {
                return;
            }

            var holder = world.LeaseHolder();
            var leader = operators.FirstOrDefault(o => o.Running && o.Identity == holder);
            var victim = leader is not null && random.NextDouble() < 0.7 ? leader : operators[random.Next(operators.Count)];
            var hard = random.NextDouble() < 0.5;
            kills.Add(new OperatorKill(victim.User, DateTimeOffset.UtcNow, victim == leader, hard));
            await log.WriteLineAsync($"soak: {(hard ? "kill -9" : "SIGTERM")} {victim.Identity}{(victim == leader ? " (leader)" : string.Empty)}");
            victim.Kill(hard);
            await Task.Delay(TimeSpan.FromSeconds(random.Next(2, 7)), cancellationToken);
            victim.Start();
        }
    }

    private static async Task SampleLoopAsync(List<OperatorProcess> operators, TimeSpan every, DateTimeOffset until, CancellationToken cancellationToken)
    {
        while (DateTimeOffset.UtcNow + every <= until)
        {
            await Task.Delay(every, cancellationToken);
            foreach (var process in operators)
            {
                await process.SampleAsync(cancellationToken);
            }
        }
    }

    /// <summary>Every Incident terminal or verifying and every rollout target rolled out; false when the wait ran out (the invariants then say what is stuck).</summary>
    private static async Task<bool> Settled(SoakWorld world, TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            await SoakWorld.Until(() => Task.FromResult(Web.All(world.Settled)
                && world.IncidentsNow().All(i => i.Status?.Phase is IncidentPhase.Resolved or IncidentPhase.Escalated)), limit, "the last incidents finished", cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
