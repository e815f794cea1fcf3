namespace IncidentResponder.Tests;

public sealed class VersionCommandTests
{
    [Fact]
    public async Task Version_prints_the_build_version_and_the_api_version()
    {
        using var process = ExecutableProcess.Start("version");

        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Matches(@"^incident-responder 0\.1\.0(\+[0-9a-f]+)?\r?\napi: incidentresponder\.dev/v1alpha1\r?\n$", process.Output);
    }
}
