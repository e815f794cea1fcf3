using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;

namespace IncidentResponder.Core.Tests.Notifications;

public sealed class UpdateCadenceTests
{
    [Theory]
    [InlineData(Severity.Sev1, 15)]
    [InlineData(Severity.Sev2, 30)]
    [InlineData(Severity.Sev3, 60)]
    public void Without_a_policy_cadence_the_seeds_intervals_apply(Severity severity, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), UpdateCadence.For(null, severity));
        Assert.Equal(TimeSpan.FromMinutes(minutes), UpdateCadence.For(new NotificationCadence(), severity));
    }

    [Fact]
    public void Sev4_has_no_clock_unless_the_policy_sets_one()
    {
        Assert.Null(UpdateCadence.For(null, Severity.Sev4));
        Assert.Equal(TimeSpan.FromHours(4), UpdateCadence.For(new NotificationCadence { Sev4 = "4h" }, Severity.Sev4));
    }

    [Fact]
    public void The_policy_sets_each_severity_in_go_duration_syntax()
    {
        var cadence = new NotificationCadence { Sev1 = "5m", Sev2 = "1h30m", Sev3 = "2h" };
        Assert.Equal(TimeSpan.FromMinutes(5), UpdateCadence.For(cadence, Severity.Sev1));
        Assert.Equal(TimeSpan.FromMinutes(90), UpdateCadence.For(cadence, Severity.Sev2));
        Assert.Equal(TimeSpan.FromHours(2), UpdateCadence.For(cadence, Severity.Sev3));
    }

    [Fact]
    public void A_zero_interval_means_no_periodic_update()
    {
        Assert.Null(UpdateCadence.For(new NotificationCadence { Sev3 = "0s" }, Severity.Sev3));
    }
}
