using System.Collections.Concurrent;

namespace IncidentResponder.Simulator.Storage;

/// <summary>
/// The resources the server currently serves: the built-ins plus one entry per served version of every established CRD.
/// Read on every request, changed only when CRDs change, so lookups are lock-free.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly ConcurrentDictionary<(string Group, string Version, string Resource), ResourceDefinition> _byPath = new();

    public ResourceRegistry()
    {
        foreach (var definition in BuiltinResources.All)
        {
            Add(definition);
        }
    }

    /// <summary>Raised after the set of served resources changed (a CRD was established or removed).</summary>
    public event Action? Changed;

    public IEnumerable<ResourceDefinition> All => _byPath.Values;

    public ResourceDefinition? Find(string group, string version, string resource) =>
        _byPath.TryGetValue((group, version, resource), out var definition) ? definition : null;

    public ResourceDefinition Get(ResourceType type) =>
        Find(type.Group, type.Version, type.Resource) ?? throw new InvalidOperationException($"resource {type.Resource}.{type.Group}/{type.Version} is not served");

    /// <summary>The served versions of every group, core ("") first, each group's versions in registration order.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        return _byPath.Values
            .GroupBy(d => d.Type.Group)
            .OrderBy(g => g.Key.Length == 0 ? 0 : 1).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(d => d.Type.Version).Distinct().OrderBy(VersionPriority).ToList()))
            .ToList();
    }

    public IReadOnlyList<ResourceDefinition> InGroupVersion(string group, string version) =>
        _byPath.Values.Where(d => d.Type.Group == group && d.Type.Version == version).OrderBy(d => d.Type.Resource, StringComparer.Ordinal).ToList();

    public void Add(ResourceDefinition definition)
    {
        _byPath[(definition.Type.Group, definition.Type.Version, definition.Type.Resource)] = definition;
        Changed?.Invoke();
    }

    public void Remove(ResourceType type)
    {
        if (_byPath.TryRemove((type.Group, type.Version, type.Resource), out _))
        {
            Changed?.Invoke();
        }
    }

    /// <summary>Kubernetes version priority, roughly: GA before beta before alpha, higher numbers first.</summary>
    private static int VersionPriority(string version)
    {
        var stability = version.Contains("alpha", StringComparison.Ordinal) ? 2 : version.Contains("beta", StringComparison.Ordinal) ? 1 : 0;
        var digits = new string(version.Skip(1).TakeWhile(char.IsDigit).ToArray());
        var major = int.TryParse(digits, out var n) ? n : 0;
        return (stability * 1000) - major;
    }
}
