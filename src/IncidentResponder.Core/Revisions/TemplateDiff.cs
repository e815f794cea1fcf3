using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Revisions;

/// <summary>
/// "What changed?" between two pod templates, one human-readable line per difference: the first thing a person
/// asks after "is it the deploy?". Env var names only, never values.
/// </summary>
public static class TemplateDiff
{
    public static IReadOnlyList<string> Describe(PodTemplateSummary good, PodTemplateSummary failing)
    {
        ArgumentNullException.ThrowIfNull(good);
        ArgumentNullException.ThrowIfNull(failing);
        var lines = new List<string>();
        foreach (var removed in good.Containers.Where(g => failing.Containers.All(f => f.Name != g.Name)))
        {
            lines.Add($"container {removed.Name}: removed");
        }

        foreach (var container in failing.Containers)
        {
            var before = good.Containers.FirstOrDefault(g => g.Name == container.Name);
            if (before is null)
            {
                lines.Add($"container {container.Name}: added (image {container.Image})");
                continue;
            }

            lines.AddRange(DescribeContainer(before, container).Select(line => $"container {container.Name}: {line}"));
        }

        return lines;
    }

    private static IEnumerable<string> DescribeContainer(ContainerSummary before, ContainerSummary after)
    {
        if (before.Image != after.Image)
        {
            yield return $"image {before.Image} → {after.Image}";
        }

        var addedEnv = after.EnvNames.Except(before.EnvNames, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var removedEnv = before.EnvNames.Except(after.EnvNames, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (addedEnv.Count > 0)
        {
            yield return "env added: " + string.Join(", ", addedEnv);
        }

        if (removedEnv.Count > 0)
        {
            yield return "env removed: " + string.Join(", ", removedEnv);
        }

        foreach (var line in Resources("requests", before.Requests, after.Requests).Concat(Resources("limits", before.Limits, after.Limits)))
        {
            yield return line;
        }

        if (!before.Command.Equals(after.Command))
        {
            yield return $"command {Words(before.Command)} → {Words(after.Command)}";
        }

        if (!before.Args.Equals(after.Args))
        {
            yield return $"args {Words(before.Args)} → {Words(after.Args)}";
        }

        foreach (var (kind, was, now) in new[]
        {
            ("readiness", before.ReadinessProbe, after.ReadinessProbe),
            ("liveness", before.LivenessProbe, after.LivenessProbe),
            ("startup", before.StartupProbe, after.StartupProbe),
        })
        {
            if (was != now)
            {
                yield return $"{kind} probe {was ?? "none"} → {now ?? "none"}";
            }
        }
    }

    private static IEnumerable<string> Resources(string kind, ValueList<ResourceQuantity> before, ValueList<ResourceQuantity> after)
    {
        var names = before.Select(r => r.Resource).Union(after.Select(r => r.Resource), StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var was = before.FirstOrDefault(r => r.Resource == name)?.Quantity;
            var now = after.FirstOrDefault(r => r.Resource == name)?.Quantity;
            if (was != now)
            {
                yield return $"{kind}.{name} {was ?? "unset"} → {now ?? "unset"}";
            }
        }
    }

    private static string Words(ValueList<string> words) => words.Count == 0 ? "(default)" : "[" + string.Join(" ", words) + "]";
}
