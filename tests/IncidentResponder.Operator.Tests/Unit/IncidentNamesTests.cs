using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Controllers;
using k8s.Models;

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

    [Fact]
    public void A_clash_suffix_keeps_the_name_within_63_characters()
    {
        var longName = IncidentNames.For($"deployment/{new string('a', 80)}/CrashLoop/r2");

        Assert.Equal("web-crashloop-r2", IncidentNames.WithSuffix("web-crashloop-r2", 0));
        Assert.Equal("web-crashloop-r2-2", IncidentNames.WithSuffix("web-crashloop-r2", 1));
        Assert.True(IncidentNames.WithSuffix(longName, 4).Length <= IncidentNames.MaxLength);
        Assert.EndsWith("-5", IncidentNames.WithSuffix(longName, 4), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "deployment/web/CrashLoop/r2", "web", true)]
    [InlineData(false, "deployment/web/CrashLoop/r2", "web", false)]
    [InlineData(true, "deployment/web/CrashLoop/r3", "web", false)]
    [InlineData(true, "deployment/web/CrashLoop/r2", "victim", false)]
    public void Only_an_operator_managed_incident_for_the_same_signal_and_target_is_adopted(bool managed, string fingerprint, string target, bool adopted)
    {
        var existing = new Incident
        {
            Metadata = new V1ObjectMeta
            {
                Name = "web-crashloop-r2",
                Labels = managed ? new Dictionary<string, string> { [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue } : null,
            },
            Spec = new IncidentSpec { TargetRef = new TargetReference { Name = target }, Signal = new Signal { Fingerprint = fingerprint } },
        };

        Assert.Equal(adopted, IncidentNames.MayAdopt(existing, "deployment/web/CrashLoop/r2", "web"));
    }
}
