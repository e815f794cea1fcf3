using System.CommandLine;
using IncidentResponder.Crds;

namespace IncidentResponder.Commands;

/// <summary>
/// <c>incident-responder crds</c>: prints the CRDs generated from the API types as one multi-document YAML stream,
/// or with <c>--output-dir</c> writes one file per CRD (how config/crd/bases and the chart's crds/ are made).
/// </summary>
public static class CrdsCommand
{
    public static Command Create()
    {
        var outputDir = new Option<DirectoryInfo?>("--output-dir")
        {
            Description = "Write one file per CRD (incidentresponder.dev_<plural>.yaml) into this directory instead of printing them.",
        };
        var command = new Command("crds", "Print (or write) the CustomResourceDefinitions generated from the API types.")
        {
            outputDir,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(outputDir) is { } directory)
            {
                foreach (var path in CrdYaml.WriteFiles(directory.FullName))
                {
                    output.WriteLine($"wrote {path}");
                }
            }
            else
            {
                output.Write(CrdYaml.Stream());
            }

            return 0;
        });
        return command;
    }
}
