using System.Text.Json.Nodes;
using IncidentResponder.Api.Tests.Support;

namespace IncidentResponder.Api.Tests;

/// <summary>Valid resources pass the generated schemas and CEL rules, with nothing pruned and no rule left unenforced.</summary>
public sealed class ValidDocumentTests
{
    public static TheoryData<string> Fixtures => new(
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_is_accepted(string fileName)
    {
        var document = YamlJson.Document(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", fileName)));

        AssertAccepted(fileName, document);
    }

    [Fact]
    public void Every_custom_resource_in_config_samples_is_accepted()
    {
        var samples = RepositoryRoot.Combine("config", "samples");
        if (!Directory.Exists(samples))
        {
            Assert.Skip("config/samples does not exist yet.");
        }

        var resources = Directory.GetFiles(samples, "*.yaml")
            .SelectMany(file => YamlJson.Documents(File.ReadAllText(file)).Select(document => (file, document)))
            .Where(pair => pair.document["apiVersion"]?.GetValue<string>() == "incidentresponder.dev/v1alpha1")
            .ToList();
        if (resources.Count == 0)
        {
            Assert.Skip("config/samples holds no incidentresponder.dev resources yet.");
        }

        foreach (var (file, document) in resources)
        {
            AssertAccepted(Path.GetFileName(file), document);
        }
    }

    private static void AssertAccepted(string source, JsonObject document)
    {
        var admission = GeneratedSchemas.Admit(document);

        Assert.True(admission.IsValid, $"{source} was rejected:\n{string.Join("\n", admission.Errors)}");
        Assert.True(admission.PrunedFields.Count == 0, $"{source} has fields the schema does not know: {string.Join(", ", admission.PrunedFields)}");
        Assert.True(admission.Warnings.Count == 0, $"{source}: {string.Join("\n", admission.Warnings)}");
    }
}
