using IncidentResponder.Api.V1Alpha1;
using k8s;

namespace IncidentResponder.Core.Tests.Fixtures;

/// <summary>
/// The shipped samples in config/samples, read the way the operator meets them: kubectl turns the YAML into JSON
/// (plain scalars typed by the YAML 1.2 core schema) and the operator reads that JSON with KubernetesJson.
/// KubernetesYaml cannot be used directly: its YamlDotNet deserializer parses enums by member name and so rejects
/// the API's "SEV-3" (declared with JsonStringEnumMemberName), which the JSON path honours.
/// </summary>
public static class Samples
{
    public static Runbook DecisionTreeRunbook() => Read<Runbook>("runbook_decision_tree.yaml");

    /// <summary>The sample policy as applied to namespace "shop" (samples are namespace-less on purpose).</summary>
    public static RemediationPolicy AutomaticPolicy()
    {
        var policy = Read<RemediationPolicy>("remediationpolicy_automatic.yaml");
        policy.Metadata.NamespaceProperty = Cluster.Namespace;
        return policy;
    }

    private static T Read<T>(string file) =>
        KubernetesJson.Deserialize<T>(YamlJson.Document(File.ReadAllText(RepositoryRoot.Combine("config/samples", file))).ToJsonString());
}
