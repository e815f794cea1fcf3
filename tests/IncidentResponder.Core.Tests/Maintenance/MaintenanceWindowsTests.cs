using System.Globalization;
using IncidentResponder.Core.Policy;
using ApiWindow = IncidentResponder.Api.V1Alpha1.MaintenanceWindow;

namespace IncidentResponder.Core.Tests.Maintenance;

public sealed class MaintenanceWindowsTests
{
    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static MaintenanceWindows Recurring(string schedule, string duration, string? zone = null, string name = "nightly") =>
        MaintenanceWindows.From([new ApiWindow { Name = name, Schedule = schedule, Duration = duration, TimeZone = zone }]);

    private static MaintenanceWindows OneOff(DateTimeOffset start, DateTimeOffset end, string name = "migration") =>
        MaintenanceWindows.From([new ApiWindow { Name = name, Start = start.ToString("O", CultureInfo.InvariantCulture), End = end.ToString("O", CultureInfo.InvariantCulture) }]);

    [Fact]
    public void A_policy_without_windows_is_never_in_one()
    {
        var windows = MaintenanceWindows.From(null);
        Assert.Null(windows.OpenAt(Utc(1, 1, 12)));
        Assert.Null(windows.NextChange(Utc(1, 1, 12)));
        Assert.Empty(windows.Problems);
    }

    [Fact]
    public void A_nightly_window_across_midnight_is_open_on_both_sides_of_it_and_closes_at_its_end()
    {
        var windows = Recurring("0 23 * * *", "2h");

        Assert.Null(windows.OpenAt(Utc(3, 10, 22, 59)));
        Assert.Equal(new OpenMaintenanceWindow("nightly", Utc(3, 11, 1)), windows.OpenAt(Utc(3, 10, 23, 30)));
        Assert.Equal(new OpenMaintenanceWindow("nightly", Utc(3, 11, 1)), windows.OpenAt(Utc(3, 11, 0, 30)));
        Assert.Null(windows.OpenAt(Utc(3, 11, 1)));
    }

    [Fact]
    public void The_start_is_inside_the_window_and_the_end_is_not()
    {
        var windows = Recurring("0 2 * * *", "30m");

        Assert.NotNull(windows.OpenAt(Utc(5, 5, 2)));
        Assert.NotNull(windows.OpenAt(Utc(5, 5, 2, 29)));
        Assert.Null(windows.OpenAt(Utc(5, 5, 2, 30)));
    }

    [Fact]
    public void A_schedule_is_read_in_its_time_zone()
    {
        // 02:00 in Berlin is 01:00 UTC in winter (CET, UTC+1).
        var windows = Recurring("0 2 * * *", "1h", "Europe/Berlin");

        Assert.Equal(Utc(1, 15, 2), windows.OpenAt(Utc(1, 15, 1, 30))!.Until);
        Assert.Null(windows.OpenAt(Utc(1, 15, 2, 30)));
    }

    [Fact]
    public void A_window_follows_daylight_saving_time_so_it_opens_at_the_same_local_hour_all_year()
    {
        // 03:00 in Berlin: 02:00 UTC in winter (CET), 01:00 UTC in summer (CEST, from 29 March 2026).
        var windows = Recurring("0 3 * * *", "1h", "Europe/Berlin");

        Assert.NotNull(windows.OpenAt(Utc(3, 28, 2, 30)));
        Assert.Null(windows.OpenAt(Utc(3, 28, 1, 30)));
        Assert.NotNull(windows.OpenAt(Utc(3, 30, 1, 30)));
        Assert.Null(windows.OpenAt(Utc(3, 30, 2, 30)));
    }

    [Fact]
    public void A_window_open_across_the_spring_change_lasts_its_duration_in_elapsed_time()
    {
        // Opens 01:00 CET (00:00 UTC) on 29 March 2026; clocks jump 02:00 -> 03:00 local; 3h later is 03:00 UTC (05:00 CEST).
        var windows = Recurring("0 1 * * *", "3h", "Europe/Berlin");

        Assert.Equal(Utc(3, 29, 3), windows.OpenAt(Utc(3, 29, 2, 30))!.Until);
    }

    [Fact]
    public void A_firing_time_skipped_by_the_spring_change_still_opens_the_window()
    {
        // 02:30 does not exist in Berlin on 29 March 2026; Cronos fires at the moment of the jump (01:00 UTC), as cron does.
        var windows = Recurring("30 2 * * *", "1h", "Europe/Berlin");

        Assert.NotNull(windows.OpenAt(Utc(3, 29, 1, 30)));
    }

    [Fact]
    public void A_one_off_window_is_open_from_start_to_just_before_end()
    {
        var windows = OneOff(Utc(6, 1, 18), Utc(6, 1, 20));

        Assert.Null(windows.OpenAt(Utc(6, 1, 17, 59)));
        Assert.Equal(new OpenMaintenanceWindow("migration", Utc(6, 1, 20)), windows.OpenAt(Utc(6, 1, 18)));
        Assert.Null(windows.OpenAt(Utc(6, 1, 20)));
    }

    [Fact]
    public void The_next_change_is_the_end_of_the_open_window_or_else_the_next_opening()
    {
        var windows = MaintenanceWindows.From([
            new ApiWindow { Name = "nightly", Schedule = "0 23 * * *", Duration = "2h" },
            new ApiWindow { Name = "migration", Start = Utc(6, 1, 18).ToString("O", CultureInfo.InvariantCulture), End = Utc(6, 1, 20).ToString("O", CultureInfo.InvariantCulture) },
        ]);

        Assert.Equal(Utc(6, 1, 18), windows.NextChange(Utc(6, 1, 12)));
        Assert.Equal(Utc(6, 1, 20), windows.NextChange(Utc(6, 1, 19)));
        Assert.Equal(Utc(6, 1, 23), windows.NextChange(Utc(6, 1, 20)));
        Assert.Equal(Utc(6, 2, 1), windows.NextChange(Utc(6, 1, 23, 5)));
    }

    [Fact]
    public void A_one_off_window_that_ended_never_opens_again()
    {
        var windows = OneOff(Utc(6, 1, 18), Utc(6, 1, 20));
        Assert.Null(windows.NextChange(Utc(6, 1, 21)));
    }

    [Fact]
    public void Of_overlapping_windows_the_one_open_longest_is_reported()
    {
        var windows = MaintenanceWindows.From([
            new ApiWindow { Name = "short", Start = Utc(6, 1, 18).ToString("O", CultureInfo.InvariantCulture), End = Utc(6, 1, 19).ToString("O", CultureInfo.InvariantCulture) },
            new ApiWindow { Name = "long", Start = Utc(6, 1, 17).ToString("O", CultureInfo.InvariantCulture), End = Utc(6, 1, 21).ToString("O", CultureInfo.InvariantCulture) },
        ]);

        Assert.Equal(new OpenMaintenanceWindow("long", Utc(6, 1, 21)), windows.OpenAt(Utc(6, 1, 18, 30)));
    }

    [Fact]
    public void An_unknown_time_zone_is_a_problem_naming_the_field_and_that_window_is_left_out()
    {
        var windows = MaintenanceWindows.From([
            new ApiWindow { Name = "nightly", Schedule = "0 2 * * *", Duration = "1h", TimeZone = "Mars/Olympus" },
            new ApiWindow { Name = "migration", Start = Utc(6, 1, 18).ToString("O", CultureInfo.InvariantCulture), End = Utc(6, 1, 20).ToString("O", CultureInfo.InvariantCulture) },
        ]);

        var problem = Assert.Single(windows.Problems);
        Assert.StartsWith("spec.maintenanceWindows[nightly].timeZone: \"Mars/Olympus\" is not a known IANA time zone", problem, StringComparison.Ordinal);
        Assert.Equal("migration", Assert.Single(windows.Windows).Name);
    }

    [Fact]
    public void A_cron_field_out_of_range_is_a_problem_naming_the_field()
    {
        var windows = Recurring("0 25 * * *", "1h");

        var problem = Assert.Single(windows.Problems);
        Assert.StartsWith("spec.maintenanceWindows[nightly].schedule: \"0 25 * * *\" is not a cron schedule", problem, StringComparison.Ordinal);
        Assert.Null(windows.OpenAt(Utc(1, 1, 1, 30)));
    }

    [Fact]
    public void The_policy_carries_its_windows_into_the_effective_policy()
    {
        var policy = new Api.V1Alpha1.RemediationPolicy
        {
            Metadata = new() { Name = "rp", NamespaceProperty = "shop" },
            Spec = new() { MaintenanceWindows = [new ApiWindow { Name = "nightly", Schedule = "@daily", Duration = "1h" }] },
        };

        Assert.Equal("nightly", EffectivePolicy.From(policy).Maintenance.OpenAt(Utc(1, 1, 0, 30))?.Name);
    }

    [Fact]
    public void A_one_off_window_written_with_an_offset_is_read_in_utc()
    {
        var windows = MaintenanceWindows.From([new ApiWindow { Name = "migration", Start = "2026-06-01T20:00:00+02:00", End = "2026-06-01T22:00:00+02:00" }]);

        Assert.Equal(new OpenMaintenanceWindow("migration", Utc(6, 1, 20)), windows.OpenAt(Utc(6, 1, 18)));
    }

    [Fact]
    public void A_start_that_is_no_time_is_a_problem_naming_the_field()
    {
        var windows = MaintenanceWindows.From([new ApiWindow { Name = "migration", Start = "tomorrow", End = "2026-06-01T22:00:00Z" }]);

        Assert.StartsWith("spec.maintenanceWindows[migration].start: \"tomorrow\" is not an RFC 3339 time", Assert.Single(windows.Problems), StringComparison.Ordinal);
    }
}
