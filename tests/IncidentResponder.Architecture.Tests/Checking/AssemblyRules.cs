namespace IncidentResponder.Architecture.Tests.Checking;

/// <summary>Which assemblies an assembly's code may use.</summary>
public static class AssemblyRules
{
    /// <summary>Our assemblies are the ones whose name starts with this.</summary>
    public const string OurPrefix = "IncidentResponder.";

    /// <summary>Every use of another of our assemblies, one line per using type and used assembly.</summary>
    public static IReadOnlyList<string> UsesOfOurs(AssemblyDependencies subject) =>
        Uses(subject, assembly => assembly.StartsWith(OurPrefix, StringComparison.Ordinal) && assembly != subject.Name);

    /// <summary>Every use of one of <paramref name="forbidden"/>, one line per using type and used assembly.</summary>
    public static IReadOnlyList<string> UsesOf(AssemblyDependencies subject, params string[] forbidden) =>
        Uses(subject, assembly => forbidden.Contains(assembly, StringComparer.Ordinal));

    private static List<string> Uses(AssemblyDependencies subject, Func<string, bool> isForbidden) =>
        subject.Types
            .SelectMany(type => type.Types
                .Where(used => isForbidden(used.Assembly))
                .GroupBy(used => used.Assembly)
                .Select(group =>
                    $"{type.Type.FullName} uses {group.Key}: " +
                    string.Join(", ", group.Select(used => used.FullName).Order(StringComparer.Ordinal).Take(5))))
            .ToList();
}
