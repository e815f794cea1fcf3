using System.CommandLine;
using IncidentResponder.Commands;

namespace IncidentResponder.Api.Tests;

/// <summary>`incident-responder crds`, run in-process through System.CommandLine with captured output.</summary>
public sealed class CrdsCommandTests
{
    private static (int ExitCode, string Output) Run(params string[] args)
    {
        var root = new RootCommand { CrdsCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        Assert.Equal("", error.ToString());
        return (exitCode, output.ToString());
    }

    [Fact]
    public void Without_options_it_prints_exactly_the_checked_in_files_as_one_stream()
    {
        var (exitCode, output) = Run("crds");

        Assert.Equal(0, exitCode);
        var files = Directory.GetFiles(RepositoryRoot.Combine("config", "crd", "bases"), "*.yaml").Order(StringComparer.Ordinal);
        var expected = string.Join("---\n", files.Select(File.ReadAllText));
        Assert.Equal(expected, output);
    }

    [Fact]
    public void The_stream_holds_three_crd_documents()
    {
        var (_, output) = Run("crds");

        var documents = YamlJson.Documents(output);
        Assert.Equal(["Incident", "RemediationPolicy", "Runbook"], documents.Select(d => d["spec"]!["names"]!["kind"]!.GetValue<string>()));
        Assert.All(documents, d => Assert.Equal("CustomResourceDefinition", d["kind"]!.GetValue<string>()));
    }

    [Fact]
    public void Output_dir_writes_one_file_per_crd_identical_to_the_checked_in_ones()
    {
        var directory = Directory.CreateTempSubdirectory("crds-");
        try
        {
            var (exitCode, output) = Run("crds", "--output-dir", directory.FullName);

            Assert.Equal(0, exitCode);
            var written = directory.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(
                ["incidentresponder.dev_incidents.yaml", "incidentresponder.dev_remediationpolicies.yaml", "incidentresponder.dev_runbooks.yaml"],
                written);
            foreach (var name in written)
            {
                Assert.Equal(File.ReadAllText(RepositoryRoot.Combine("config", "crd", "bases", name)), File.ReadAllText(Path.Combine(directory.FullName, name)));
                Assert.Contains(name, output, StringComparison.Ordinal);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
