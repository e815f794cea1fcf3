namespace IncidentResponder.Architecture.Tests.Checking;

/// <summary>
/// A cycle between folders (namespaces directly under a root namespace), e.g. <c>Actions -> Decisions -> Actions</c>,
/// with, for each step, a few of the type uses that make it.
/// </summary>
public sealed record FolderCycle(IReadOnlyList<string> Folders, IReadOnlyList<string> Because)
{
    public override string ToString() =>
        string.Join(" -> ", Folders) + Environment.NewLine + string.Join(Environment.NewLine, Because.Select(line => "    " + line));
}

/// <summary>Finds the cycles between the top-level folders of one root namespace in one assembly.</summary>
public static class FolderCycles
{
    private const int ExamplesPerStep = 3;

    /// <summary>
    /// Every dependency between two folders that lies on a cycle is reported once, as the shortest cycle through it,
    /// so breaking every reported cycle breaks them all.
    /// </summary>
    public static IReadOnlyList<FolderCycle> Find(AssemblyDependencies subject, string rootNamespace)
    {
        var prefix = rootNamespace + ".";
        string? FolderOf(TypeName type) =>
            type.Assembly == subject.Name && type.Namespace.StartsWith(prefix, StringComparison.Ordinal)
                ? type.Namespace[prefix.Length..].Split('.')[0]
                : null;
        string Short(TypeName type) =>
            type.FullName.StartsWith(prefix, StringComparison.Ordinal) ? type.FullName[prefix.Length..] : type.FullName;

        // from -> to -> the type uses that make the dependency
        var edges = new SortedDictionary<string, SortedDictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        foreach (var type in subject.Types)
        {
            if (FolderOf(type.Type) is not { } from)
            {
                continue;
            }

            if (!edges.TryGetValue(from, out var targets))
            {
                targets = new(StringComparer.Ordinal);
                edges[from] = targets;
            }

            foreach (var used in type.Types)
            {
                if (FolderOf(used) is { } to && to != from)
                {
                    if (!targets.TryGetValue(to, out var uses))
                    {
                        uses = new(StringComparer.Ordinal);
                        targets[to] = uses;
                    }

                    uses.Add($"{Short(type.Type)} uses {Short(used)}");
                }
            }
        }

        var cycles = new List<FolderCycle>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (from, targets) in edges)
        {
            foreach (var to in targets.Keys)
            {
                if (ShortestPath(edges, to, from) is not { } back)
                {
                    continue;
                }

                var folders = Canonical([from, .. back]);
                if (!seen.Add(string.Join(" -> ", folders)))
                {
                    continue;
                }

                var because = new List<string>();
                for (var step = 0; step + 1 < folders.Count; step++)
                {
                    var uses = edges[folders[step]][folders[step + 1]];
                    because.Add($"{folders[step]} -> {folders[step + 1]}: " + string.Join("; ", uses.Take(ExamplesPerStep)) +
                                (uses.Count > ExamplesPerStep ? $"; and {uses.Count - ExamplesPerStep} more" : ""));
                }

                cycles.Add(new FolderCycle(folders, because));
            }
        }

        return cycles;
    }

    /// <summary>The folders from <paramref name="start"/> to <paramref name="goal"/>, both included, or null if none.</summary>
    private static List<string>? ShortestPath(
        SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> edges, string start, string goal)
    {
        var previous = new Dictionary<string, string?>(StringComparer.Ordinal) { [start] = null };
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (node == goal)
            {
                var path = new List<string>();
                for (string? at = node; at is not null; at = previous[at])
                {
                    path.Add(at);
                }

                path.Reverse();
                return path;
            }

            if (!edges.TryGetValue(node, out var targets))
            {
                continue;
            }

            foreach (var next in targets.Keys)
            {
                if (previous.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }

    /// <summary>A closed path (first == last) rotated to start at its smallest folder, so each cycle is reported once.</summary>
    private static List<string> Canonical(List<string> closed)
    {
        var open = closed.Take(closed.Count - 1).ToList();
        var start = open.IndexOf(open.Min(StringComparer.Ordinal)!);
        var rotated = open.Skip(start).Concat(open.Take(start)).ToList();
        rotated.Add(rotated[0]);
        return rotated;
    }
}
