using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests.Support;

/// <summary>
/// The Helm chart's files, read as text: no helm binary is available, so templates are checked for what can be
/// checked without rendering them.
/// </summary>
public static partial class Chart
{
    public const string Folder = "charts/incident-responder";

    public static string TemplatesFolder => RepositoryRoot.Combine($"{Folder}/templates");

    /// <summary>Every template, helper and NOTES.txt, by file name.</summary>
    public static IReadOnlyDictionary<string, string> Templates() =>
        Directory.EnumerateFiles(TemplatesFolder)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".tpl", StringComparison.Ordinal) || f.EndsWith(".txt", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText);

    /// <summary>
    /// The RBAC rule lists of templates/_rbac-rules.tpl, by block name ("manager", "leaderElection", ...). Each
    /// block is plain YAML by design, so it parses without rendering.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<RbacRule>> RuleBlocks() =>
        RuleBlockTexts().ToDictionary(block => block.Key, block =>
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(block.Value));
            return RbacRule.FromRules(((YamlSequenceNode)stream.Documents.Single().RootNode).Children);
        });

    /// <summary>The text of each rule block of templates/_rbac-rules.tpl, comments included, trimmed.</summary>
    public static IReadOnlyDictionary<string, string> RuleBlockTexts()
    {
        var text = File.ReadAllText(Path.Combine(TemplatesFolder, "_rbac-rules.tpl"));
        var blocks = new Dictionary<string, string>();
        foreach (Match match in RuleBlockPattern().Matches(text))
        {
            var body = match.Groups["body"].Value;
            if (body.Contains("{{", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"rule block {match.Groups["name"].Value} contains template actions; keep it plain YAML.");
            }

            blocks[match.Groups["name"].Value] = body.Trim();
        }

        return blocks;
    }

    /// <summary>Every <c>.Values.a.b.c</c> path the templates reference.</summary>
    public static IReadOnlySet<string> ReferencedValuePaths() =>
        Templates().Values.SelectMany(t => ValuesReference().Matches(t).Select(m => m.Groups["path"].Value)).ToHashSet();

    [GeneratedRegex("""\{\{-?\s*define\s+"incident-responder\.rules\.(?<name>\w+)"\s*-?\}\}(?<body>.*?)\{\{-?\s*end\s*-?\}\}""", RegexOptions.Singleline)]
    private static partial Regex RuleBlockPattern();

    [GeneratedRegex(@"\.Values\.(?<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)")]
    private static partial Regex ValuesReference();
}
