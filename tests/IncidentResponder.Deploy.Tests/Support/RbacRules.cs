using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests.Support;

/// <summary>One permission a rule grants: a verb on a resource of an API group ("" is the core group).</summary>
public sealed record Grant(string ApiGroup, string Resource, string Verb)
{
    public override string ToString() => $"{(ApiGroup.Length == 0 ? "core" : ApiGroup)}/{Resource}:{Verb}";
}

/// <summary>The rules of a Role or ClusterRole, as written and as the set of grants they add up to.</summary>
public sealed record RbacRule(
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    public static IReadOnlyList<RbacRule> FromRules(IEnumerable<YamlNode> rules) =>
        rules.Select(rule => new RbacRule(
            rule.Strings("apiGroups"),
            rule.Strings("resources"),
            rule.Strings("verbs"),
            rule.Strings("resourceNames"),
            rule.Strings("nonResourceURLs"))).ToList();

    /// <summary>The rules of a Role or ClusterRole object.</summary>
    public static IReadOnlyList<RbacRule> Of(YamlMappingNode role) => FromRules(role.Seq("rules"));

    public IEnumerable<string> AllStrings => ApiGroups.Concat(Resources).Concat(Verbs).Concat(ResourceNames).Concat(NonResourceUrls);

    public IEnumerable<Grant> Grants =>
        from g in ApiGroups from r in Resources from v in Verbs select new Grant(g, r, v);

    public static IReadOnlySet<Grant> GrantsOf(IEnumerable<RbacRule> rules) =>
        rules.SelectMany(rule => rule.Grants).ToHashSet();
}
