namespace IncidentResponder.Architecture.Tests.Checking;

/// <summary>
/// APIs some code may not use: whole namespaces, types, or single members (a property is banned through its getter,
/// <c>System.DateTime::get_UtcNow</c>). Each ban says why, and the reason is part of the violation.
/// </summary>
public sealed class BannedApis
{
    private readonly List<(string Namespace, string Reason)> namespaces = [];
    private readonly Dictionary<string, string> types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> members = new(StringComparer.Ordinal);

    /// <summary>What the decision core may not do: talk to the API server, do I/O, log, or read the clock.</summary>
    public static BannedApis DecisionCore { get; } = new BannedApis()
        .Type("k8s.Kubernetes", "the core does not call the Kubernetes API; the shell does")
        .Type("k8s.IKubernetes", "the core does not call the Kubernetes API; the shell does")
        .Namespace("System.Net.Http", "the core does no network I/O")
        .Namespace("System.Net.Sockets", "the core does no network I/O")
        .Namespace("Npgsql", "the core does not talk to the database; the history store does")
        .Namespace("Microsoft.Extensions.Logging", "the core does not log; it returns what happened")
        .Type("System.Console", "the core does not log; it returns what happened")
        .Type("System.IO.File", "the core does no file I/O")
        .Type("System.IO.FileInfo", "the core does no file I/O")
        .Type("System.IO.FileStream", "the core does no file I/O")
        .Type("System.IO.FileSystemInfo", "the core does no file I/O")
        .Type("System.IO.FileSystemWatcher", "the core does no file I/O")
        .Type("System.IO.Directory", "the core does no file I/O")
        .Type("System.IO.DirectoryInfo", "the core does no file I/O")
        .Type("System.IO.DriveInfo", "the core does no file I/O")
        .Type("System.IO.RandomAccess", "the core does no file I/O")
        .Member("System.DateTime", "get_UtcNow", "read the time from the TimeProvider passed in")
        .Member("System.DateTime", "get_Now", "read the time from the TimeProvider passed in")
        .Member("System.DateTime", "get_Today", "read the time from the TimeProvider passed in")
        .Member("System.DateTimeOffset", "get_UtcNow", "read the time from the TimeProvider passed in")
        .Member("System.DateTimeOffset", "get_Now", "read the time from the TimeProvider passed in")
        .Type("System.Diagnostics.Stopwatch", "measure time with the TimeProvider passed in")
        .Member("System.Environment", "get_TickCount", "measure time with the TimeProvider passed in")
        .Member("System.Environment", "get_TickCount64", "measure time with the TimeProvider passed in");

    public BannedApis Namespace(string name, string reason)
    {
        namespaces.Add((name, reason));
        return this;
    }

    public BannedApis Type(string fullName, string reason)
    {
        types[fullName] = reason;
        return this;
    }

    public BannedApis Member(string typeFullName, string member, string reason)
    {
        members[$"{typeFullName}::{member}"] = reason;
        return this;
    }

    /// <summary>
    /// The bans as BannedApiAnalyzers writes them in BannedSymbols.txt (<c>N:</c>, <c>T:</c>, and <c>P:</c> for a
    /// property banned through its getter, <c>M:</c> for any other method), so the two lists can be compared.
    /// </summary>
    public IReadOnlySet<string> DocumentationIds =>
        namespaces.Select(ban => "N:" + ban.Namespace)
            .Concat(types.Keys.Select(type => "T:" + type))
            .Concat(members.Keys.Select(member =>
            {
                var parts = member.Split("::");
                return parts[1].StartsWith("get_", StringComparison.Ordinal)
                    ? $"P:{parts[0]}.{parts[1]["get_".Length..]}"
                    : $"M:{parts[0]}.{parts[1]}";
            }))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Every use of a banned API, one line per using type and banned API.</summary>
    public IReadOnlyList<string> Check(AssemblyDependencies subject)
    {
        var violations = new List<string>();
        foreach (var type in subject.Types)
        {
            var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var used in type.Types)
            {
                if (types.TryGetValue(used.FullName, out var reason) || BannedNamespace(used.Namespace, out reason))
                {
                    found[used.FullName] = reason;
                }
            }

            foreach (var member in type.Members)
            {
                if (members.TryGetValue(member.ToString(), out var reason))
                {
                    found[member.ToString()] = reason;
                }
            }

            violations.AddRange(found.Select(ban => $"{type.Type.FullName} uses {ban.Key}: {ban.Value}"));
        }

        return violations;
    }

    private bool BannedNamespace(string ns, out string reason)
    {
        foreach (var banned in namespaces)
        {
            if (ns == banned.Namespace || ns.StartsWith(banned.Namespace + ".", StringComparison.Ordinal))
            {
                reason = banned.Reason;
                return true;
            }
        }

        reason = "";
        return false;
    }
}
