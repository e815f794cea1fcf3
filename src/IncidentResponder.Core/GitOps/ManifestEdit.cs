using System.Diagnostics.CodeAnalysis;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Core.GitOps;

/// <summary>
/// Changes one scalar of a YAML manifest in git in place: only the characters of that value change, so the file's
/// comments, order, indentation and quoting stay as its authors wrote them and the commit's diff is one line. Pure:
/// text in, text out.
/// </summary>
public static class ManifestEdit
{
    /// <summary>
    /// Sets the value at <paramref name="path"/> in the document of <paramref name="text"/> that declares
    /// <paramref name="kind"/> <paramref name="name"/>. A path segment is a mapping key, or <c>[name=x]</c> for the
    /// item of a list whose <c>name</c> is x (containers). Returns false with the reason when the document or the
    /// field is not there; an existing value equal to <paramref name="value"/> is success with the text unchanged.
    /// </summary>
    public static bool TrySet(string text, string kind, string name, IReadOnlyList<string> path, string value,
        [NotNullWhen(true)] out string? edited, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        edited = null;
        if (Documents(text, out var malformed) is not { } documents)
        {
            reason = malformed ?? "not valid YAML";
            return false;
        }

        var document = documents.FirstOrDefault(d => Scalar(d, "kind") == kind && Scalar(d["metadata"] as YamlMappingNode, "name") == name);
        if (document is null)
        {
            reason = $"no {kind} named {name} in this file";
            return false;
        }

        return TrySetIn(text, document, path, value, out edited, out reason);
    }

    /// <summary>
    /// Sets the value at <paramref name="path"/> in the first document of <paramref name="text"/> (a kustomization.yaml,
    /// a values file), with the same path rules as <see cref="TrySet"/>.
    /// </summary>
    public static bool TrySetInFile(string text, IReadOnlyList<string> path, string value,
        [NotNullWhen(true)] out string? edited, [NotNullWhen(false)] out string? reason)
    {
        edited = null;
        if (Documents(text, out reason) is not { Count: > 0 } documents)
        {
            reason ??= "the file holds no YAML document";
            return false;
        }

        return TrySetIn(text, documents[0], path, value, out edited, out reason);
    }

    private static bool TrySetIn(string text, YamlMappingNode document, IReadOnlyList<string> path, string value,
        [NotNullWhen(true)] out string? edited, [NotNullWhen(false)] out string? reason)
    {
        edited = null;
        YamlNode node = document;
        foreach (var segment in path)
        {
            var next = Child(node, segment);
            if (next is null)
            {
                reason = $"no field {string.Join('.', path)} (nothing at {segment})";
                return false;
            }

            node = next;
        }

        if (node is not YamlScalarNode scalar)
        {
            reason = $"{string.Join('.', path)} is not a single value";
            return false;
        }

        reason = null;
        if (scalar.Value == value)
        {
            edited = text;
            return true;
        }

        edited = ReplaceScalars(text, [(scalar, value)]);
        return true;
    }

    /// <summary>
    /// The YAML documents of <paramref name="text"/> whose root is a mapping (the nodes carry their positions in the
    /// text), or null with the reason when it is not valid YAML.
    /// </summary>
    internal static List<YamlMappingNode>? Load(string text, out string? reason) => Documents(text, out reason);

    /// <summary>
    /// Replaces the characters of each scalar (nodes read from <paramref name="text"/> by <see cref="Load"/>) with its
    /// new value in the old value's quoting. Replaced from the end of the text backwards, so the positions of the
    /// scalars not yet replaced stay true; scalars already equal to their value are left as they are.
    /// </summary>
    internal static string ReplaceScalars(string text, IEnumerable<(YamlScalarNode Scalar, string Value)> replacements)
    {
        foreach (var (scalar, value) in replacements.Where(r => r.Scalar.Value != r.Value).OrderByDescending(r => r.Scalar.Start.Index))
        {
            var start = (int)scalar.Start.Index;
            var end = (int)scalar.End.Index;
            text = string.Concat(text.AsSpan(0, start), Render(value, scalar.Style, scalar.Value), text.AsSpan(end));
        }

        return text;
    }

    private static YamlNode? Child(YamlNode node, string segment)
    {
        if (segment.StartsWith("[name=", StringComparison.Ordinal) && segment.EndsWith(']'))
        {
            var wanted = segment[6..^1];
            return node is YamlSequenceNode list ? list.Children.OfType<YamlMappingNode>().FirstOrDefault(item => Scalar(item, "name") == wanted) : null;
        }

        return node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(segment), out var child) ? child : null;
    }

    // The new value in the old value's quoting: a plain scalar stays plain unless the new text needs quotes.
    // A plain number stays a plain number (replicas: 3, a tag written 1.26): the author chose the type, and quoting
    // the new one would change it.
    private static string Render(string value, ScalarStyle style, string? old) => style switch
    {
        ScalarStyle.Plain when IsNumber(old) && IsNumber(value) && value == value.Trim() => value,
        ScalarStyle.SingleQuoted when !value.Contains('\n', StringComparison.Ordinal) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
        ScalarStyle.DoubleQuoted or ScalarStyle.SingleQuoted => DoubleQuoted(value),
        _ when NeedsQuotes(value) => DoubleQuoted(value),
        _ => value,
    };

    private static bool IsNumber(string? value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static string DoubleQuoted(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    // YAML's rules for plain scalars are subtle (": ", " #", a leading indicator, "true", "1.0"...): the value may stay
    // plain only when YAML reads it back, plain, as exactly this string.
    private static bool NeedsQuotes(string value)
    {
        if (value.Length == 0 || value != value.Trim() || value.Contains('\n', StringComparison.Ordinal)
            || value is "true" or "false" or "null" or "yes" or "no" or "on" or "off" or "~"
            || double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return true;
        }

        try
        {
            var probe = new YamlStream();
            probe.Load(new StringReader("k: " + value + "\n"));
            return probe.Documents is not [{ RootNode: YamlMappingNode { Children: [{ Value: YamlScalarNode { Style: ScalarStyle.Plain } read }] } }]
                || read.Value != value;
        }
        catch (YamlException)
        {
            return true;
        }
    }

    private static List<YamlMappingNode>? Documents(string text, out string? reason)
    {
        reason = null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
        }
        catch (YamlException malformed)
        {
            reason = $"not valid YAML ({malformed.Start.Line}:{malformed.Start.Column}: {malformed.Message})";
            return null;
        }
        catch (Exception odd) when (odd is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet reports a key repeated in one mapping as a dictionary's duplicate-key error, and some malformed
            // plain scalars as its scanner's own state error, rather than as a YamlException.
            reason = $"not valid YAML ({odd.Message})";
            return null;
        }
    }

    private static string? Scalar(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;
}
