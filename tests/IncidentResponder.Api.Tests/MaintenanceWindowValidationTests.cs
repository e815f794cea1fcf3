using IncidentResponder.Api.Tests.Support;

namespace IncidentResponder.Api.Tests;

/// <summary>
/// A maintenance window is either recurring (schedule, duration, optional time zone) or one-off (start before end),
/// and the API says which field is wrong. A cron field out of range or an unknown time zone passes the schema; the
/// operator names it in the policy's Ready condition instead.
/// </summary>
public sealed class MaintenanceWindowValidationTests
{
    private static string Policy(string window) => $$$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: RemediationPolicy
        metadata: {name: rp}
        spec:
          signals: [{signal: RolloutStuck, runbookRef: {name: rb}}]
          maintenanceWindows:
            - {{{window}}}
        """;

    public static TheoryData<string, string, string> Rejected => new()
    {
        { "both kinds", "{name: w, schedule: '0 2 * * *', duration: 1h, start: '2026-12-24T18:00:00Z', end: '2026-12-24T20:00:00Z'}", "spec.maintenanceWindows[0]: Invalid value: \"object\": set exactly one of 'schedule'" },
        { "neither kind", "{name: w}", "spec.maintenanceWindows[0]: Invalid value: \"object\": set exactly one of 'schedule'" },
        { "schedule without duration", "{name: w, schedule: '0 2 * * *'}", "spec.maintenanceWindows[0].duration: Required value: a recurring window needs 'duration'" },
        { "start without end", "{name: w, start: '2026-12-24T18:00:00Z'}", "spec.maintenanceWindows[0].end: Required value: a one-off window needs 'end'" },
        { "end before start", "{name: w, start: '2026-12-24T18:00:00Z', end: '2026-12-24T17:00:00Z'}", "spec.maintenanceWindows[0].end: Invalid value: \"string\": 'end' must be after 'start'" },
        { "time zone on a one-off window", "{name: w, start: '2026-12-24T18:00:00Z', end: '2026-12-24T20:00:00Z', timeZone: Europe/Berlin}", "'duration' and 'timeZone' belong to a recurring window with a 'schedule'" },
        { "six cron fields", "{name: w, schedule: '0 0 2 * * *', duration: 1h}", "spec.maintenanceWindows[0].schedule: Invalid value: \"0 0 2 * * *\": spec.maintenanceWindows[0].schedule in body should match" },
        { "duration in words", "{name: w, schedule: '0 2 * * *', duration: two hours}", "spec.maintenanceWindows[0].duration: Invalid value: \"two hours\"" },
        { "duration past a week", "{name: w, schedule: '0 2 * * *', duration: 200h}", "spec.maintenanceWindows[0].duration: Invalid value: \"string\": a window's duration is at most 168h" },
        { "start that is no time", "{name: w, start: tomorrow, end: '2026-12-24T20:00:00Z'}", "spec.maintenanceWindows[0].start: Invalid value: \"tomorrow\": spec.maintenanceWindows[0].start in body should match" },
        { "name that is no DNS label", "{name: Night_Window, schedule: '@daily', duration: 1h}", "spec.maintenanceWindows[0].name" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void A_bad_window_is_rejected_naming_the_field(string name, string window, string expected)
    {
        var admission = GeneratedSchemas.Admit(YamlJson.Document(Policy(window)));
        var messages = admission.Errors.Select(error => error.ToString()).ToList();
        Assert.False(admission.IsValid, $"{name}: the document was accepted");
        Assert.True(messages.Exists(m => m.Contains(expected, StringComparison.Ordinal)), $"{name}: no error contains {expected}:\n  {string.Join("\n  ", messages)}");
        Assert.Empty(admission.Warnings);
    }

    [Theory]
    [InlineData("{name: nightly, schedule: '0 23 * * *', duration: 2h, timeZone: Europe/Berlin}")]
    [InlineData("{name: weekly, schedule: '@weekly', duration: 168h}")]
    [InlineData("{name: migration, start: '2026-12-24T18:00:00Z', end: '2026-12-24T20:00:00+01:00'}")]
    public void A_good_window_is_accepted(string window)
    {
        var admission = GeneratedSchemas.Admit(YamlJson.Document(Policy(window)));
        Assert.True(admission.IsValid, string.Join("\n", admission.Errors.Select(e => e.ToString())));
        Assert.Empty(admission.Warnings);
    }

    [Fact]
    public void Two_windows_with_one_name_are_rejected()
    {
        var admission = GeneratedSchemas.Admit(YamlJson.Document(Policy("{name: w, schedule: '@daily', duration: 1h}\n    - {name: w, schedule: '@hourly', duration: 5m}")));
        Assert.Contains(admission.Errors, e => e.ToString().StartsWith("spec.maintenanceWindows[1]: Duplicate value", StringComparison.Ordinal));
    }
}
