using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Tests.Incidents;

public sealed class FingerprintTests
{
    [Fact]
    public void Names_target_type_and_revision() =>
        Assert.Equal("deployment/web/CrashLoop/r3", Fingerprint.For(new SignalKey("shop", "web", SignalType.CrashLoop, 3)));

    [Fact]
    public void Revision_is_optional() =>
        Assert.Equal("deployment/web/RolloutStuck", Fingerprint.For(new SignalKey("shop", "web", SignalType.RolloutStuck, null)));

    [Fact]
    public void Different_signals_differ() =>
        Assert.NotEqual(
            Fingerprint.For(new SignalKey("shop", "web", SignalType.CrashLoop, 3)),
            Fingerprint.For(new SignalKey("shop", "web", SignalType.CrashLoop, 4)));

    [Fact]
    public void Long_names_stay_within_the_api_limit_and_unique()
    {
        var a = Fingerprint.For(new SignalKey("shop", new string('a', 253), SignalType.CrashLoop, 1));
        var b = Fingerprint.For(new SignalKey("shop", new string('a', 253), SignalType.CrashLoop, 2));
        Assert.Equal(Fingerprint.MaxLength, a.Length);
        Assert.NotEqual(a, b);
        Assert.Equal(a, Fingerprint.For(new SignalKey("shop", new string('a', 253), SignalType.CrashLoop, 1)));
    }
}
