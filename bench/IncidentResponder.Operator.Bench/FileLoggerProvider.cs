using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Bench;

/// <summary>
/// The operator's log lines, timestamped to the millisecond, in a file: kept off the terminal so the results stay
/// readable, and there to explain a slow incident afterwards.
/// </summary>
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    private bool _disposed;

    public FileLoggerProvider(string path)
    {
        _writer = new StreamWriter(path, append: false) { AutoFlush = false };
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _writer.Dispose();
        }
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            // A stopping operator may log after the run is over; those lines have nowhere to go.
            if (!_disposed)
            {
                _writer.WriteLine(line);
            }
        }
    }

    private sealed class Logger(FileLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}";
            owner.Write(exception is null ? line : $"{line} ({exception.GetType().Name}: {exception.Message})");
        }
    }
}
