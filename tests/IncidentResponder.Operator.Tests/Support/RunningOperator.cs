using IncidentResponder.Operator.Hosting;

namespace IncidentResponder.Operator.Tests.Support;

/// <summary>An operator instance running in the test process; disposing it stops it as abruptly as a killed pod.</summary>
internal sealed class RunningOperator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public RunningOperator(OperatorInstance instance)
    {
        Instance = instance;
        _run = Task.Run(() => instance.RunAsync(_stop.Token));
    }

    public OperatorInstance Instance { get; }

    /// <summary>Still running: it neither crashed nor stopped.</summary>
    public bool Running => !_run.IsCompleted;

    private bool _stopped;

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }
}
