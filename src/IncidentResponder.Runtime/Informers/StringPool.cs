using System.Collections.Concurrent;

namespace IncidentResponder.Runtime.Informers;

/// <summary>
/// Shares equal strings between cached objects: label keys and values, kinds, phases and container names repeat across
/// thousands of pods, and one shared copy instead of one per pod is most of what makes a projection small.
/// Unlike <see cref="string.Intern(string)"/> it belongs to one informer and is collected with it.
/// </summary>
public sealed class StringPool
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);

    public int Count => _strings.Count;

    public string Get(string value) => _strings.GetOrAdd(value, value);

    public static string Share(StringPool? pool, string value) => pool is null ? value : pool.Get(value);

    public static string? ShareNullable(StringPool? pool, string? value) => value is null ? null : Share(pool, value);
}
