using IncidentResponder.Soak;

// incident-responder chaos soak: dotnet run --project bench/IncidentResponder.Soak -c Release -- [--seed N] [--duration 30m] [--sample-every 60s] [--work-dir DIR]
SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (Exception error) when (error is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync(error.Message);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
var result = await SoakRun.RunAsync(options, Console.Out, stop.Token);
Console.Write(result.Report);
await File.WriteAllTextAsync(Path.Combine(options.WorkDirectory, "report.txt"), result.Report);
return result.Passed ? 0 : 1;
