using CsCheck;
using IncidentResponder.Core.GitOps;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Core.Tests.GitOps;

public sealed class ManifestEditTests
{
    private const string Manifests = """
        # The storefront. Owned by team shop; ask in #shop before changing replicas.
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web   # keep in step with the Service
          labels: {app: web}
        spec:
          replicas: 3
          template:
            metadata:
              annotations:
                team: "shop"
            spec:
              containers:
                - name: sidecar
                  image: 'envoy:1.30'
                - name: nginx
                  # bumped for the TLS fix
                  image: nginx:1.26 # the bad one
                  ports:
                    - containerPort: 80
        """;

    private static readonly string[] NginxImage = ["spec", "template", "spec", "containers", "[name=nginx]", "image"];

    [Fact]
    public void Only_the_value_changes_and_every_comment_and_line_around_it_stays()
    {
        Assert.True(ManifestEdit.TrySet(Manifests, "Deployment", "web", NginxImage, "nginx:1.25", out var edited, out _));

        var before = Manifests.Split('\n');
        var after = edited.Split('\n');
        Assert.Equal(before.Length, after.Length);
        var changed = Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);
        Assert.Equal("          image: nginx:1.25 # the bad one", after[changed]);
    }

    [Fact]
    public void Quoted_values_keep_their_quotes()
    {
        Assert.True(ManifestEdit.TrySet(Manifests, "Deployment", "web", ["spec", "template", "spec", "containers", "[name=sidecar]", "image"], "envoy:1.29", out var single, out _));
        Assert.Contains("      image: 'envoy:1.29'", single, StringComparison.Ordinal);

        Assert.True(ManifestEdit.TrySet(Manifests, "Deployment", "web", ["spec", "template", "metadata", "annotations", "team"], "payments", out var quoted, out _));
        Assert.Contains("        team: \"payments\"", quoted, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_value_that_needs_quotes_gets_them()
    {
        Assert.True(ManifestEdit.TrySet(Manifests, "Deployment", "web", ["spec", "replicas"], "true", out var edited, out _));

        Assert.Contains("  replicas: \"true\"", edited, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_value_leaves_the_text_as_it_was()
    {
        Assert.True(ManifestEdit.TrySet(Manifests, "Deployment", "web", NginxImage, "nginx:1.26", out var edited, out _));

        Assert.Same(Manifests, edited);
    }

    [Theory]
    [InlineData("Deployment", "api", "spec.replicas", "no Deployment named api in this file")]
    [InlineData("Deployment", "web", "spec.template.spec.containers.[name=php].image", "nothing at [name=php]")]
    [InlineData("Deployment", "web", "spec.template", "is not a single value")]
    public void What_is_not_there_is_said(string kind, string name, string path, string reason)
    {
        Assert.False(ManifestEdit.TrySet(Manifests, kind, name, path.Split('.'), "x", out var edited, out var why));

        Assert.Null(edited);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_yaml_is_a_reason_with_its_position_not_an_exception()
    {
        Assert.False(ManifestEdit.TrySet("kind: Deployment\nmetadata: {name: web\n", "Deployment", "web", ["kind"], "x", out _, out var why));

        Assert.StartsWith("not valid YAML", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kustomization_images_override_is_edited_in_place()
    {
        const string kustomization = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - deployment.yaml
            images:
              - name: nginx
                newTag: "1.26"   # rolled out Tuesday
            """;

        Assert.True(ManifestEdit.TrySetInFile(kustomization, ["images", "[name=nginx]", "newTag"], "1.25", out var edited, out _));

        Assert.Equal(kustomization.Replace("\"1.26\"", "\"1.25\"", StringComparison.Ordinal), edited);
    }

    [Fact]
    public void Any_tag_written_reads_back_as_that_tag_and_nothing_else_changes()
    {
        Gen.String[Gen.Char["abc019.:-_ #'\"@"], 1, 20].Sample(tag =>
        {
            var image = "nginx" + (tag.StartsWith(':') ? tag : ":" + tag);
            Assert.True(ManifestEdit.TrySet(Manifests, "Deployment", "web", NginxImage, image, out var edited, out _));
            var stream = new YamlStream();
            stream.Load(new StringReader(edited));
            var deployment = (YamlMappingNode)stream.Documents[1].RootNode;
            var containers = (YamlSequenceNode)deployment["spec"]["template"]["spec"]["containers"];
            Assert.Equal(image, ((YamlScalarNode)containers[1]["image"]).Value);
            Assert.Equal("envoy:1.30", ((YamlScalarNode)containers[0]["image"]).Value);
            Assert.Equal(Manifests.Split('\n').Length, edited.Split('\n').Length);
        }, iter: 2_000);
    }
}
