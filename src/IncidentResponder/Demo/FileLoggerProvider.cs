using Microsoft.Extensions.Logging;

namespace IncidentResponder.Demo;

/// <summary>
/// Writes every log line to one file. The demo's terminal belongs to the narration (the operator benchmark's to its
/// results); the operator's own logs stay available for whoever wants to see why it decided what it did.
/// </summary>
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    private readonly LogLevel _minimum;
    private bool _disposed;

    /// <param name="path">The file, replaced if it exists.</param>
    /// <param name="minimum">The least severe level written.</param>
    /// <param name="flushEachLine">
    /// True lets a person tail the file as it happens (the demo); false keeps a write per line off a measured run.
    /// </param>
    public FileLoggerProvider(string path, LogLevel minimum, bool flushEachLine = true)
    {
        _writer = new StreamWriter(path, append: false) { AutoFlush = flushEachLine };
        _minimum = minimum;
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

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
            // Background loops may log while the process shuts down; a line after disposal has nowhere to go.
            if (!_disposed)
            {
                _writer.WriteLine(line);
            }
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {category}: {formatter(state, exception)}";
            provider.Write(exception is null ? line : $"{line}{Environment.NewLine}{exception}");
        }
    }
}
