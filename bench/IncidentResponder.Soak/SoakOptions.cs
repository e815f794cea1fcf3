using System.Globalization;

namespace IncidentResponder.Soak;

/// <summary>What one soak run does; every random choice comes from <see cref="Seed"/>, so a failing run replays with <c>--seed N</c>.</summary>
public sealed record SoakOptions
{
    public int Seed { get; init; } = Random.Shared.Next();

    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The shortest gap between two operator kills; the longest is 2.25 times it (20–45 s by default). Longer gaps let
    /// a process live long enough for its resource samples to show a trend.
    /// </summary>
    public TimeSpan KillEvery { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How often each operator process's fds, sockets, threads and managed heap are sampled.</summary>
    public TimeSpan SampleEvery { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Where operator logs and the report go.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "incident-responder-soak");

    /// <summary>The incident-responder apphost started as the operator.</summary>
    public string OperatorExecutable { get; init; } = Path.Combine(AppContext.BaseDirectory, "incident-responder");

    /// <summary>The checkout, for config/crd/bases.</summary>
    public string RepositoryRoot { get; init; } = FindRepositoryRoot();

    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SoakOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--duration" => options with { Duration = TimeSpan.FromMinutes(double.Parse(value.TrimEnd('m'), CultureInfo.InvariantCulture)) },
                "--sample-every" => options with { SampleEvery = TimeSpan.FromSeconds(double.Parse(value.TrimEnd('s'), CultureInfo.InvariantCulture)) },
                "--work-dir" => options with { WorkDirectory = value },
                "--kill-every" => options with { KillEvery = TimeSpan.FromSeconds(double.Parse(value.TrimEnd('s'), CultureInfo.InvariantCulture)) },
                _ => throw new ArgumentException($"unknown flag {args[i]}; flags: --seed N, --duration MINUTESm, --sample-every SECONDSs, --kill-every SECONDSs, --work-dir DIR"),
            };
            i++;
        }

        return options;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
