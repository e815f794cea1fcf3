using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Tests.Support;

/// <summary>Operator logs into the test's output, so a failing scenario shows what the operator decided and why.</summary>
internal sealed class TestOutputLoggerProvider(string prefix) : ILoggerProvider
{
    public static ILoggerFactory Factory(string prefix) =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(new TestOutputLoggerProvider(prefix)));

    public ILogger CreateLogger(string categoryName) => new Logger(prefix, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose()
    {
    }

    private sealed class Logger(string prefix, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} [{prefix}] {logLevel} {category}: {formatter(state, exception)}";
            try
            {
                TestContext.Current.TestOutputHelper?.WriteLine(exception is null ? line : $"{line}\n{exception.GetType().Name}: {exception.Message}");
            }
            catch (InvalidOperationException)
            {
                // The test already finished: a late log line from a stopping operator has nowhere to go.
            }
        }
    }
}
