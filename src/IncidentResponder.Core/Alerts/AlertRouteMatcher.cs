using System.Text.RegularExpressions;
using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Alerts;

/// <summary>What one alert means under a policy: its signal type, the severity its route gives, and which route said so.</summary>
/// <param name="Route">The index of the matching route in spec.alerts.routes; null when none matched.</param>
public sealed record AlertMeaning(SignalType Signal, Severity? Severity, int? Route)
{
    /// <summary>No route matched: the alert stays a plain Alert signal, as before routes existed.</summary>
    public static AlertMeaning Unrouted { get; } = new(SignalType.Alert, null, null);
}

/// <summary>
/// Matches alerts against a policy's routes with Alertmanager's matcher semantics: a label the alert lacks has the
/// empty value, an equality matcher compares whole values, a regex matcher must match the whole value (Alertmanager
/// anchors it). The first route whose alert name and matchers all hold wins.
/// </summary>
public static class AlertRouteMatcher
{
    /// <summary>
    /// Alertmanager uses Go's RE2, which has no backreferences or lookaround; .NET's non-backtracking engine refuses
    /// those too, so a pattern valid here is one Alertmanager would take, and a hostile label value cannot make
    /// matching take exponential time.
    /// </summary>
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    public static AlertMeaning Match(IReadOnlyList<AlertRoute>? routes, Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        for (var i = 0; i < (routes?.Count ?? 0); i++)
        {
            var route = routes![i];
            if (LabelValue(alert, "alertname") == route.AlertName && (route.Matchers ?? []).TrueForAll(m => Matches(m, alert)))
            {
                return new AlertMeaning(route.Signal, route.Severity, i);
            }
        }

        return AlertMeaning.Unrouted;
    }

    /// <summary>One matcher against one alert. A regex that does not compile matches nothing (the policy says why).</summary>
    public static bool Matches(AlertLabelMatcher matcher, Alert alert)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(alert);
        var value = LabelValue(alert, matcher.Name);
        if (matcher.IsRegex != true)
        {
            return value == matcher.Value;
        }

        try
        {
            return Regex.IsMatch(value, Anchored(matcher.Value), Options, MatchTimeout);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Why a pattern cannot be used, or null when it compiles.</summary>
    public static string? RegexProblem(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        try
        {
            _ = new Regex(Anchored(pattern), Options, MatchTimeout);
            return null;
        }
        catch (ArgumentException error)
        {
            return error.Message;
        }
        catch (NotSupportedException error)
        {
            return error.Message;
        }
    }

    private static string Anchored(string pattern) => $"^(?:{pattern})$";

    private static string LabelValue(Alert alert, string name) => alert.Labels.TryGetValue(name, out var value) ? value : string.Empty;
}
