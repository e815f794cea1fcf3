using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>The manifests of one folder of one commit, and whether a kustomization built them.</summary>
public sealed record RenderedManifests(IReadOnlyList<JsonObject> Objects, bool Kustomize);

/// <summary>
/// Renders a source folder as Argo CD's repo-server and kustomize-controller would for the simple cases: the plain YAML
/// manifests of the folder (not its subfolders), or, when it holds a <c>kustomization.yaml</c>, the files its
/// <c>resources</c> list with its <c>images</c> overrides (<c>newName</c>, <c>newTag</c>, <c>digest</c>) applied.
/// Other kustomize features (bases, patches, generators) are reported as unsupported rather than ignored.
/// </summary>
public static class GitManifests
{
    private static readonly string[] KustomizationFiles = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
    private static readonly string[] Supported = ["apiVersion", "kind", "metadata", "resources", "images"];

    public static RenderedManifests Render(GitCli git, string repository, string commit, string? path)
    {
        var folder = NormalizeFolder(path);
        var files = git.ListFiles(repository, commit, folder);
        var kustomization = KustomizationFiles.FirstOrDefault(files.Contains);
        if (kustomization is null)
        {
            var manifests = files
                .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .SelectMany(f => YamlDocuments.Parse(git.ReadFile(repository, commit, Join(folder, f))))
                .Where(IsManifest)
                .ToList();
            return new RenderedManifests(manifests, false);
        }

        var spec = YamlDocuments.Parse(git.ReadFile(repository, commit, Join(folder, kustomization))).FirstOrDefault() ?? new JsonObject();
        if (spec.Select(kv => kv.Key).FirstOrDefault(key => !Supported.Contains(key)) is { } unsupported)
        {
            throw new GitException($"{Join(folder, kustomization)}: the simulator renders only resources and images, not '{unsupported}'");
        }

        var objects = new List<JsonObject>();
        foreach (var resource in (spec["resources"] as JsonArray ?? []).Select(r => ObjectRules.Str(r)).OfType<string>())
        {
            if (!files.Contains(resource))
            {
                throw new GitException($"{Join(folder, kustomization)}: resource '{resource}' is not a file of that folder (bases and remote resources are not simulated)");
            }

            objects.AddRange(YamlDocuments.Parse(git.ReadFile(repository, commit, Join(folder, resource))).Where(IsManifest));
        }

        foreach (var image in (spec["images"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var obj in objects)
            {
                SetImage(obj, image);
            }
        }

        return new RenderedManifests(objects, true);
    }

    /// <summary><c>./apps/web/</c>, <c>apps/web</c> and <c>/apps/web</c> all name <c>apps/web</c>; <c>.</c> and "" the root.</summary>
    public static string NormalizeFolder(string? path)
    {
        var folder = (path ?? string.Empty).Trim().Trim('/');
        while (folder.StartsWith("./", StringComparison.Ordinal))
        {
            folder = folder[2..];
        }

        return folder == "." ? string.Empty : folder;
    }

    /// <summary>The image name without tag or digest: <c>nginx</c> of <c>nginx:1.27</c>, <c>host:5000/app</c> of <c>host:5000/app:v1</c>.</summary>
    public static string ImageName(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var withoutDigest = at >= 0 ? image[..at] : image;
        var colon = withoutDigest.LastIndexOf(':');
        return colon > withoutDigest.LastIndexOf('/') ? withoutDigest[..colon] : withoutDigest;
    }

    private static bool IsManifest(JsonObject obj) => obj["apiVersion"] is not null && obj["kind"] is not null;

    private static string Join(string folder, string file) => folder.Length == 0 ? file : folder + "/" + file;

    // kustomize's images transformer on the containers of pods and pod templates.
    private static void SetImage(JsonObject obj, JsonObject image)
    {
        var name = ObjectRules.Str(image["name"]);
        if (string.IsNullOrEmpty(name))
        {
            return;
        }

        foreach (var podSpec in PodSpecs(obj))
        {
            foreach (var list in new[] { "containers", "initContainers" })
            {
                foreach (var container in (podSpec[list] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (ObjectRules.Str(container["image"]) is not { } current || ImageName(current) != name)
                    {
                        continue;
                    }

                    var tag = current[ImageName(current).Length..];
                    var newName = ObjectRules.Str(image["newName"]) ?? name;
                    if (ObjectRules.Str(image["digest"]) is { Length: > 0 } digest)
                    {
                        tag = "@" + digest;
                    }
                    else if (ObjectRules.Str(image["newTag"]) is { Length: > 0 } newTag)
                    {
                        tag = ":" + newTag;
                    }

                    container["image"] = newName + tag;
                }
            }
        }
    }

    private static IEnumerable<JsonObject> PodSpecs(JsonObject obj)
    {
        if (ObjectRules.Str(obj["kind"]) == "Pod" && obj["spec"] is JsonObject pod)
        {
            yield return pod;
        }

        if (obj["spec"]?["template"]?["spec"] is JsonObject template)
        {
            yield return template;
        }

        if (obj["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"] is JsonObject job)
        {
            yield return job;
        }
    }
}
