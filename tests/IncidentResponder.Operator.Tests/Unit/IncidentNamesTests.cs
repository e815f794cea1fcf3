using IncidentResponder.Operator.Controllers;

namespace IncidentResponder.Operator.Tests.Unit;

public sealed class IncidentNamesTests
{
    [Theory]
    [InlineData("deployment/web/CrashLoop/r2", "web-crashloop-r2")]
    [InlineData("deployment/api.v2/RolloutStuck", "api-v2-rolloutstuck")]
    public void The_name_is_a_readable_function_of_the_fingerprint(string fingerprint, string expected) =>
        Assert.Equal(expected, IncidentNames.For(fingerprint));

    [Fact]
    public void Long_fingerprints_are_cut_and_kept_unique_with_a_hash()
    {
        var a = IncidentNames.For($"deployment/{new string('a', 80)}/CrashLoop/r2");
        var b = IncidentNames.For($"deployment/{new string('a', 80)}/CrashLoop/r3");

        Assert.True(a.Length <= IncidentNames.MaxLength);
        Assert.NotEqual(a, b);
        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", a);
        Assert.Equal(a, IncidentNames.For($"deployment/{new string('a', 80)}/CrashLoop/r2"));
    }
}
