using k8s.Models;

namespace IncidentResponder.Core.Policy;

/// <summary>metav1.LabelSelector semantics: matchLabels AND every matchExpression; an empty selector matches everything.</summary>
public static class LabelSelectorMatcher
{
    public static bool Matches(V1LabelSelector? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return true;
        }

        var byLabels = (selector.MatchLabels ?? new Dictionary<string, string>())
            .All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
        return byLabels && (selector.MatchExpressions ?? []).All(e => Matches(e, labels));
    }

    private static bool Matches(V1LabelSelectorRequirement requirement, IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(requirement.Key, out var value);
        var values = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => present && values.Contains(value!),
            "NotIn" => !present || !values.Contains(value!),
            "Exists" => present,
            "DoesNotExist" => !present,
            _ => false, // an operator the API does not know matches nothing, as apimachinery rejects it
        };
    }
}
