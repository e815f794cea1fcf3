using System.CommandLine;
using System.Reflection;
using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Commands;

/// <summary><c>incident-responder version</c>: the build's version and the API version it serves.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version of incident-responder and the API version it serves.");
        command.SetAction(parse =>
        {
            var informational = typeof(VersionCommand).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            parse.InvocationConfiguration.Output.WriteLine($"incident-responder {informational}");
            parse.InvocationConfiguration.Output.WriteLine($"api: {GroupVersion.ApiVersion}");
            return 0;
        });
        return command;
    }
}
