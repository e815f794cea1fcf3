using CsCheck;
using IncidentResponder.Core.GitOps;

namespace IncidentResponder.Core.Tests.Properties;

/// <summary>
/// Write-back planning reads whatever a repository holds, so it is total: any text in any file gives a plan or a
/// refusal with a reason, never an exception.
/// </summary>
public sealed class WriteBackPlanTotalityTests
{
    // YAML's structural characters and the words the planner looks for, so generated text often parses and matches.
    private static readonly Gen<string> Fragment = Gen.OneOf(
        "kind: Deployment\n", "kind: HelmRelease\n", "apiVersion: helm.toolkit.fluxcd.io/v2\n", "metadata: {name: web}\n",
        "spec:\n", "  template:\n", "    spec:\n", "      containers:\n", "      - name: nginx\n", "        image: nginx:1.26\n",
        "  replicas: 3\n", "images:\n", "- name: nginx\n", "  newTag: \"1.26\"\n", "  digest: sha256:x\n", "  newName: nginx\n",
        "  values:\n", "    image: {repository: nginx, tag: 1.26}\n", "---\n", "# comment\n", "&a x: *a\n", "? [a]\n", "\t", " ", "'", "\"", "{", "[", ":", "- ", "\n");

    private static readonly Gen<string> Text = Gen.OneOf(
        Fragment.Array[0, 30].Select(parts => string.Concat(parts)),
        Gen.String[Gen.Char["{}[]:-#&*!|>'\"%@` \n\tabcknmeiv0123456789./"], 0, 200]);

    private static readonly Gen<WriteBackChange> Change =
        Gen.Select(Gen.OneOf(WriteBackChange.Image, WriteBackChange.MemoryLimit, WriteBackChange.Replicas, "command"),
            Gen.OneOf<string?>("nginx", null), Gen.OneOf("nginx:1.26", "3", "256Mi", "nginx@sha256:x", ""), Gen.OneOf("nginx:1.25", "5", "384Mi", "nginx", ":"),
            (field, container, from, to) => new WriteBackChange("Deployment", "web", container, field, from, to));

    [Fact]
    public void Planning_never_throws_on_any_yaml_text()
    {
        Gen.Select(Text, Text, Change.Array[1, 3]).Sample((manifest, kustomization, changes) =>
        {
            var files = new Dictionary<string, string> { ["deployment.yaml"] = manifest, ["kustomization.yaml"] = kustomization };
            var plan = WriteBackPlanner.Plan("apps", files, changes);

            Assert.True(plan.Refusal is null == plan.Reason is null);
            Assert.All(plan.EditedFiles.Keys, key => Assert.Contains(key, files.Keys));
        }, iter: 20_000);
    }
}
