namespace IncidentResponder.Demo;

/// <summary>The demo gave up: what it was waiting for when its deadline passed.</summary>
internal sealed class DemoTimeoutException(string waitingFor, TimeSpan deadline)
    : Exception($"timed out after {deadline.TotalSeconds:0}s waiting for {waitingFor}")
{
    public string WaitingFor => waitingFor;
}

/// <summary>The story cannot end as told (the incident escalated, the operator stopped).</summary>
internal sealed class DemoFailedException(string message) : Exception(message);

/// <summary>
/// One deadline for the whole demo. Every wait polls a condition until it holds; when the deadline passes, the wait
/// fails naming what it was waiting for, so a stuck demo says where it got stuck.
/// </summary>
internal sealed class DemoDeadline : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource _expired;
    private readonly CancellationTokenSource _linked;

    public DemoDeadline(TimeSpan limit, CancellationToken stopping)
    {
        Limit = limit;
        _expired = new CancellationTokenSource(limit);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_expired.Token, stopping);
    }

    public TimeSpan Limit { get; }

    /// <summary>Cancelled when the deadline passes or the user stops the demo.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Runs one step of the demo under the deadline, naming it in case it does not finish in time.</summary>
    public Task<T> StepAsync<T>(string what, Func<CancellationToken, Task<T>> step) => StepAsync(() => what, step);

    /// <summary>A step whose description changes as it goes (the story: the milestone it is waiting for).</summary>
    public async Task<T> StepAsync<T>(Func<string> what, Func<CancellationToken, Task<T>> step)
    {
        try
        {
            return await step(Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_expired.IsCancellationRequested)
        {
            throw new DemoTimeoutException(what(), Limit);
        }
    }

    /// <summary>Waits one poll interval (the pace of every wait of the demo).</summary>
    public static Task PauseAsync(CancellationToken ct) => Task.Delay(PollInterval, ct);

    public Task StepAsync(string what, Func<CancellationToken, Task> step) =>
        StepAsync<bool>(what, async ct =>
        {
            await step(ct).ConfigureAwait(false);
            return true;
        });

    /// <summary>Polls <paramref name="probe"/> until it returns a value; <paramref name="what"/> names the wait on timeout.</summary>
    public Task<T> UntilAsync<T>(string what, Func<CancellationToken, Task<T?>> probe)
        where T : class =>
        StepAsync(what, async ct =>
        {
            while (true)
            {
                if (await probe(ct).ConfigureAwait(false) is { } value)
                {
                    return value;
                }

                await PauseAsync(ct).ConfigureAwait(false);
            }
        });

    public Task UntilAsync(string what, Func<CancellationToken, Task<bool>> condition) =>
        UntilAsync<object>(what, async ct => await condition(ct).ConfigureAwait(false) ? true : null);

    public void Dispose()
    {
        _linked.Dispose();
        _expired.Dispose();
    }
}
