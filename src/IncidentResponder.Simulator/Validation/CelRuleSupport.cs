using System.Collections.Concurrent;
using Antlr4.Runtime.Tree;
using Cel;
using Cel.Internal;

namespace IncidentResponder.Simulator.Validation;

/// <summary>
/// Decides, before evaluating anything, whether the Cel library can evaluate a rule: it parses the rule and checks
/// every function and macro it calls against what the library registers. Kubernetes adds CEL libraries of its own
/// (strings, lists, regex, url, ip, cidr, quantity, optionals) that the Cel package lacks; a rule using one of them is
/// reported as unenforced rather than passed in silence.
/// </summary>
public static class CelRuleSupport
{
    /// <summary>The functions and macros the Cel library implements, read from the library itself.</summary>
    public static IReadOnlySet<string> SupportedCalls { get; } = LoadSupportedCalls();

    private static readonly ConcurrentDictionary<string, string?> Cache = new(StringComparer.Ordinal);

    /// <summary>Null when the rule can be evaluated; otherwise why not.</summary>
    public static string? WhyUnsupported(string rule) => Cache.GetOrAdd(rule, Analyse);

    private static string? Analyse(string rule)
    {
        IParseTree tree;
        try
        {
            tree = new CelEnvironment([], "").Parse(rule);
        }
        catch (Exception ex) when (ex is CelException or InvalidOperationException or ArgumentException)
        {
            return $"the Cel library cannot parse it ({ex.Message})";
        }

        var calls = new SortedSet<string>(StringComparer.Ordinal);
        var usesOldSelf = false;
        Visit(tree, calls, ref usesOldSelf);

        var missing = calls.Where(call => !SupportedCalls.Contains(call)).ToList();
        if (missing.Count > 0)
        {
            return $"the Cel library lacks {string.Join(", ", missing.Select(call => call + "()"))}";
        }

        return usesOldSelf ? "it is a transition rule (oldSelf), and only creates are validated here" : null;
    }

    private static void Visit(IParseTree node, SortedSet<string> calls, ref bool usesOldSelf)
    {
        switch (node)
        {
            case CelParser.MemberCallContext member:
                calls.Add(member.id.Text);
                break;
            case CelParser.IdentOrGlobalCallContext ident when ident.op is not null:
                calls.Add(ident.id.Text);
                break;
            case CelParser.IdentOrGlobalCallContext ident when ident.id.Text == "oldSelf":
                usesOldSelf = true;
                break;

            // Optional field selection (a.?b) and indexing (a[?b]) parse, but the library has no optional values.
            case CelParser.SelectContext select when select.opt is not null:
                calls.Add("optional");
                break;
            case CelParser.IndexContext index when index.opt is not null:
                calls.Add("optional");
                break;
        }

        for (var i = 0; i < node.ChildCount; i++)
        {
            Visit(node.GetChild(i), calls, ref usesOldSelf);
        }
    }

    private static HashSet<string> LoadSupportedCalls()
    {
        var functions = new ConcurrentDictionary<string, List<FunctionRegistration>>();
        CelFunctions.InitializeFunctions(functions);
        var macros = new Dictionary<string, CelMacroDelegate>();
        CelMacros.InitializeMacros(macros);
        return [.. functions.Keys, .. macros.Keys];
    }
}
