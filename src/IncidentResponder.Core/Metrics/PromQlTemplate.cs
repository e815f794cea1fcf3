using System.Text;
using System.Text.RegularExpressions;

namespace IncidentResponder.Core.Metrics;

/// <summary>What a check's query is filled with for one Deployment and one of its revisions.</summary>
public sealed record TemplateValues(string Namespace, string Deployment, long? Revision, string? PodTemplateHash);

/// <summary>
/// Fills a check's PromQL template: <c>{{namespace}}</c>, <c>{{deployment}}</c>, <c>{{revision}}</c> and
/// <c>{{podTemplateHash}}</c>. Values are escaped for a double-quoted PromQL string, where label values stand, so a
/// name can never close the string and add matchers of its own.
/// </summary>
public static partial class PromQlTemplate
{
    public static readonly IReadOnlyList<string> Placeholders = ["namespace", "deployment", "revision", "podTemplateHash"];

    /// <summary>The query does not depend on the revision: the old and new revision's queries would be the same.</summary>
    public static bool IsPerRevision(string template) =>
        template.Contains("{{revision}}", StringComparison.Ordinal) || template.Contains("{{podTemplateHash}}", StringComparison.Ordinal);

    /// <summary>A placeholder the template names that nothing fills, or null.</summary>
    public static string? UnknownPlaceholder(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return Placeholder().Matches(template).Select(m => m.Groups[1].Value).FirstOrDefault(name => !Placeholders.Contains(name));
    }

    /// <summary>The filled query, or null when a placeholder it uses has no value (a revision not known yet).</summary>
    public static string? Fill(string template, TemplateValues values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var missing = false;
        var filled = Placeholder().Replace(template, match =>
        {
            string? value = match.Groups[1].Value switch
            {
                "namespace" => values.Namespace,
                "deployment" => values.Deployment,
                "revision" => values.Revision?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "podTemplateHash" => values.PodTemplateHash,
                _ => match.Value,
            };
            missing |= value is null;
            return value is null ? string.Empty : ReferenceEquals(value, match.Value) ? value : Escape(value);
        });
        return missing ? null : filled;
    }

    /// <summary>Escapes a value for the inside of a double-quoted PromQL string (Go string-literal rules).</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }

    [GeneratedRegex(@"\{\{\s*([a-zA-Z]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
