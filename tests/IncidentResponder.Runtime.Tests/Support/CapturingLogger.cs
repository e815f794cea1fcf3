using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Runtime.Tests.Support;

/// <summary>Records log entries with the scopes active when they were written.</summary>
public sealed class CapturingLogger : ILogger
{
    private readonly AsyncLocal<ImmutableScopeStack?> _scopes = new();

    public ConcurrentQueue<(LogLevel Level, string Message, IReadOnlyList<object?> Scopes)> Entries { get; } = new();

    public IDisposable BeginScope<TState>(TState state)
        where TState : notnull
    {
        var previous = _scopes.Value;
        _scopes.Value = new ImmutableScopeStack(state, previous);
        return new Restore(() => _scopes.Value = previous);
    }

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var scopes = new List<object?>();
        for (var scope = _scopes.Value; scope is not null; scope = scope.Parent)
        {
            scopes.Add(scope.State);
        }

        Entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? string.Empty : $" [{exception.GetType().Name}: {exception.Message} <- {exception.InnerException?.GetType().Name}: {exception.InnerException?.Message} <- {exception.InnerException?.InnerException?.GetType().Name}]"), scopes));
    }

    private sealed record ImmutableScopeStack(object? State, ImmutableScopeStack? Parent);

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
