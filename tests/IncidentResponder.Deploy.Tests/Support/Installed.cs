using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests.Support;

/// <summary>The objects a cluster admin installs: <c>kubectl kustomize config/default</c>, parsed.</summary>
public static class Installed
{
    public static async Task<IReadOnlyList<YamlMappingNode>> ObjectsAsync()
    {
        Kustomize.SkipWithoutKubectl();
        if (!File.Exists(RepositoryRoot.Combine("config/crd/kustomization.yaml")))
        {
            Assert.Skip("config/crd/kustomization.yaml does not exist yet (the CRD generator writes config/crd), so config/default cannot render.");
        }

        return await Kustomize.RenderAsync("config/default");
    }

    public static async Task<YamlMappingNode> ManagerDeploymentAsync() =>
        (await ObjectsAsync()).Single(o => o.Kind() == "Deployment" && o.Name() == "incident-responder-controller-manager");
}
