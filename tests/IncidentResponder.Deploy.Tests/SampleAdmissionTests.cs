using System.Text.Json.Nodes;
using IncidentResponder.Deploy.Tests.Support;
using IncidentResponder.Simulator.Validation;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests;

/// <summary>
/// Each sample is admitted by the generated CRD of its kind as the API server would admit it: structural schema,
/// list types and CEL rules, with no field pruned away (a pruned field is a typo the API server silently drops).
/// </summary>
public sealed class SampleAdmissionTests
{
    public static TheoryData<string> SampleFiles() =>
        new(YamlDocs.LoadOne(RepositoryRoot.ReadText("config/samples/kustomization.yaml"), "kustomization").Strings("resources"));

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void The_sample_is_admitted_by_its_crd_with_nothing_pruned(string file)
    {
        var sample = YamlDocs.LoadFile($"config/samples/{file}").Single();
        var crd = GeneratedCrdFor(sample);

        var version = sample.Str("apiVersion")!.Split('/')[1];
        var admission = CustomResourceValidator.ForCrdVersion(crd, version).Admit((JsonObject)YamlJson.ToJson(sample)!);

        Assert.True(admission.IsValid, $"{file}: {string.Join("; ", admission.Errors)}");
        Assert.Empty(admission.PrunedFields);
    }

    private static JsonObject GeneratedCrdFor(YamlMappingNode sample)
    {
        var bases = RepositoryRoot.Combine("config/crd/bases");
        var crds = Directory.Exists(bases)
            ? Directory.GetFiles(bases, "*.yaml").SelectMany(f => YamlDocs.LoadAll(File.ReadAllText(f), f)).ToList()
            : [];
        if (crds.Count == 0)
        {
            Assert.Skip("config/crd/bases holds no CRDs yet (make manifests).");
        }

        var group = sample.Str("apiVersion")!.Split('/')[0];
        var crd = Assert.Single(crds, c => c.Str("spec.group") == group && c.Str("spec.names.kind") == sample.Kind());
        return (JsonObject)YamlJson.ToJson(crd)!;
    }
}
