using IncidentResponder.Architecture.Tests.Checking;

namespace IncidentResponder.Architecture.Tests;

/// <summary>
/// The editor's bans (BannedApiAnalyzers' BannedSymbols.txt in the core) and the built assembly's bans (this
/// project's <see cref="BannedApis.DecisionCore"/>) are one list written twice: neither may drift.
/// </summary>
public sealed class BannedSymbolsTests
{
    [Fact]
    public void The_cores_banned_symbols_file_bans_exactly_what_the_architecture_test_bans()
    {
        var file = Path.Combine(RepositoryRoot(), "src", "IncidentResponder.Core", "BannedSymbols.txt");
        var listed = File.ReadAllLines(file)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal))
            .Select(line => line.Split(';')[0].Trim())
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(BannedApis.DecisionCore.DocumentationIds.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Operator.sln above {AppContext.BaseDirectory}.");
    }
}
