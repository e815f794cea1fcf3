using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using IncidentResponder.Simulator.Tests.Support;

namespace IncidentResponder.Simulator.Tests;

/// <summary>
/// The real kubectl v1.32 binary against the simulator, with default validation: outputs and exit codes of the
/// commands that do not need the controllers (those are covered by the controllers' own kubectl tests).
/// </summary>
public sealed class KubectlConformanceTests
{
    private static async Task<ClusterHarness> WithDeploymentAsync()
    {
        var harness = await ClusterHarness.StartAsync();
        var path = harness.WriteFile("web.yaml", Manifests.Deployment);
        (await harness.KubectlAsync("apply", "-f", path)).ShouldSucceed();
        return harness;
    }

    [Fact]
    public async Task Apply_twice_is_a_no_op_the_second_time()
    {
        await using var harness = await ClusterHarness.StartAsync();
        var path = harness.WriteFile("web.yaml", Manifests.Deployment);
        var first = (await harness.KubectlAsync("apply", "-f", path)).ShouldSucceed();
        Assert.Equal("deployment.apps/web created\n", first.Stdout);
        var version = harness.Cluster.Store.ResourceVersion;

        var second = (await harness.KubectlAsync("apply", "-f", path)).ShouldSucceed();
        Assert.Equal("deployment.apps/web unchanged\n", second.Stdout);
        Assert.Equal(version, harness.Cluster.Store.ResourceVersion);

        var deployment = harness.Cluster.Store.Get(BuiltinResources.Deployments, "default", "web")!;
        Assert.Equal(1, deployment["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal("25%", deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxSurge"]!.GetValue<string>());
        Assert.Equal(600, deployment["spec"]!["progressDeadlineSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task Get_prints_tables_wide_yaml_and_json_path()
    {
        await using var harness = await WithDeploymentAsync();
        var table = (await harness.KubectlAsync("get", "deployments")).ShouldSucceed().Stdout;
        Assert.Matches(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n", table);
        Assert.Matches(@"\nweb\s+0/2\s+0\s+0\s+\d+s\n", table);

        var wide = (await harness.KubectlAsync("get", "deploy", "-o", "wide")).ShouldSucceed().Stdout;
        Assert.Matches(@"CONTAINERS\s+IMAGES\s+SELECTOR", wide);
        Assert.Matches(@"web\s+nginx:1\.25\s+app=web", wide);

        var yaml = (await harness.KubectlAsync("get", "deployment", "web", "-o", "yaml")).ShouldSucceed().Stdout;
        Assert.Contains("kind: Deployment", yaml, StringComparison.Ordinal);
        Assert.Contains("revisionHistoryLimit: 10", yaml, StringComparison.Ordinal);
        Assert.Contains("terminationMessagePath: /dev/termination-log", yaml, StringComparison.Ordinal);

        var jsonPath = (await harness.KubectlAsync("get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}")).ShouldSucceed().Stdout;
        Assert.Equal("nginx:1.25", jsonPath);

        var missing = await harness.KubectlAsync("get", "deployment", "nope");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("Error from server (NotFound): deployments.apps \"nope\" not found", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Label_annotate_and_three_patch_types()
    {
        await using var harness = await WithDeploymentAsync();
        Assert.Equal("deployment.apps/web labeled\n", (await harness.KubectlAsync("label", "deployment", "web", "tier=front")).ShouldSucceed().Stdout);
        Assert.Equal("deployment.apps/web annotated\n", (await harness.KubectlAsync("annotate", "deployment", "web", "owner=sre")).ShouldSucceed().Stdout);
        (await harness.KubectlAsync("patch", "deployment", "web", "--type", "merge", "-p", """{"spec":{"replicas":3}}""")).ShouldSucceed();
        (await harness.KubectlAsync("patch", "deployment", "web", "--type", "json", "-p", """[{"op":"test","path":"/spec/replicas","value":3},{"op":"replace","path":"/spec/replicas","value":4}]""")).ShouldSucceed();
        (await harness.KubectlAsync("patch", "deployment", "web", "--type", "strategic", "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"EXTRA","value":"1"}]}]}}}}""")).ShouldSucceed();

        var failedTest = await harness.KubectlAsync("patch", "deployment", "web", "--type", "json", "-p", """[{"op":"test","path":"/spec/replicas","value":99}]""");
        Assert.NotEqual(0, failedTest.ExitCode);

        var deployment = harness.Cluster.Store.Get(BuiltinResources.Deployments, "default", "web")!;
        Assert.Equal("front", deployment["metadata"]!["labels"]!["tier"]!.GetValue<string>());
        Assert.Equal("sre", deployment["metadata"]!["annotations"]!["owner"]!.GetValue<string>());
        Assert.Equal(4, deployment["spec"]!["replicas"]!.GetValue<int>());
        var env = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["MODE", "EXTRA"], env);

        // Label changes do not bump a Deployment's generation; annotation and spec changes do (1 + annotate + 3 patches).
        Assert.Equal(5, deployment["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Scale_and_set_image()
    {
        await using var harness = await WithDeploymentAsync();
        Assert.Equal("deployment.apps/web scaled\n", (await harness.KubectlAsync("scale", "deployment/web", "--replicas=5")).ShouldSucceed().Stdout);
        Assert.Equal("deployment.apps/web image updated\n", (await harness.KubectlAsync("set", "image", "deployment/web", "web=nginx:1.26")).ShouldSucceed().Stdout);
        var deployment = harness.Cluster.Store.Get(BuiltinResources.Deployments, "default", "web")!;
        Assert.Equal(5, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("nginx:1.26", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());

        // --resource-version makes scale a conditional GET + PUT of the Scale; kubectl itself refuses a stale version.
        var stale = await harness.KubectlAsync("scale", "deployment/web", "--replicas=1", "--resource-version=1");
        Assert.NotEqual(0, stale.ExitCode);
        Assert.Contains("Expected resource version to be 1", stale.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_shows_the_events_of_the_object()
    {
        await using var harness = await WithDeploymentAsync();
        var deployment = harness.Cluster.Store.Get(BuiltinResources.Deployments, "default", "web")!;
        harness.Cluster.Store.Create(BuiltinResources.Events, Event("web.1", deployment, "ScalingReplicaSet", "Scaled up replica set web-abc from 0 to 2"));

        var output = (await harness.KubectlAsync("describe", "deployment", "web")).ShouldSucceed().Stdout;
        Assert.Matches(@"Name:\s+web", output);
        Assert.Matches(@"Replicas:\s+2 desired", output);
        Assert.Matches(@"Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-abc from 0 to 2", output);
    }

    [Fact]
    public async Task Rollout_history_undo_pause_resume_and_restart()
    {
        await using var harness = await WithDeploymentAsync();
        var store = harness.Cluster.Store;
        var deployment = store.Get(BuiltinResources.Deployments, "default", "web")!;

        // What the deployment controller would have made for two revisions (created directly: no controllers here).
        var revision1 = ReplicaSetFor(deployment, "web-aaa", "aaa", "1", "nginx:1.24");
        var revision2 = ReplicaSetFor(deployment, "web-bbb", "bbb", "2", "nginx:1.25");
        store.Create(BuiltinResources.ReplicaSets, revision1);
        store.Create(BuiltinResources.ReplicaSets, revision2);
        deployment = store.Get(BuiltinResources.Deployments, "default", "web")!;
        deployment["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"] = "2";
        store.Update(BuiltinResources.Deployments, deployment);

        var history = (await harness.KubectlAsync("rollout", "history", "deployment/web")).ShouldSucceed().Stdout;
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>", history);

        Assert.Equal("deployment.apps/web rolled back\n", (await harness.KubectlAsync("rollout", "undo", "deployment/web", "--to-revision=1")).ShouldSucceed().Stdout);
        deployment = store.Get(BuiltinResources.Deployments, "default", "web")!;
        Assert.Equal("nginx:1.24", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Null(deployment["spec"]!["template"]!["metadata"]!["labels"]!["pod-template-hash"]);

        var missing = await harness.KubectlAsync("rollout", "undo", "deployment/web", "--to-revision=7");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("unable to find specified revision 7 in history", missing.Stderr, StringComparison.Ordinal);

        Assert.Equal("deployment.apps/web paused\n", (await harness.KubectlAsync("rollout", "pause", "deployment/web")).ShouldSucceed().Stdout);
        Assert.True(store.Get(BuiltinResources.Deployments, "default", "web")!["spec"]!["paused"]!.GetValue<bool>());
        var undoWhilePaused = await harness.KubectlAsync("rollout", "undo", "deployment/web");
        Assert.NotEqual(0, undoWhilePaused.ExitCode);
        Assert.Contains("you cannot rollback a paused deployment", undoWhilePaused.Stderr, StringComparison.Ordinal);
        Assert.Equal("deployment.apps/web resumed\n", (await harness.KubectlAsync("rollout", "resume", "deployment/web")).ShouldSucceed().Stdout);
        Assert.Equal("deployment.apps/web restarted\n", (await harness.KubectlAsync("rollout", "restart", "deployment/web")).ShouldSucceed().Stdout);
        deployment = store.Get(BuiltinResources.Deployments, "default", "web")!;
        Assert.NotNull(deployment["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]);
    }

    [Fact]
    public async Task Delete_cascades_to_replica_sets_and_pods()
    {
        await using var harness = await WithDeploymentAsync();
        var store = harness.Cluster.Store;
        var deployment = store.Get(BuiltinResources.Deployments, "default", "web")!;
        var replicaSet = store.Create(BuiltinResources.ReplicaSets, ReplicaSetFor(deployment, "web-aaa", "aaa", "1", "nginx:1.25"));
        store.Create(BuiltinResources.Pods, PodFor(replicaSet, "web-aaa-x1"));
        store.Create(BuiltinResources.Pods, PodFor(replicaSet, "web-aaa-x2"));

        Assert.Equal("deployment.apps \"web\" deleted\n", (await harness.KubectlAsync("delete", "deployment", "web")).ShouldSucceed().Stdout);
        Assert.Null(store.Get(BuiltinResources.Deployments, "default", "web"));
        Assert.Empty(store.List(BuiltinResources.ReplicaSets, "default"));
        Assert.Empty(store.List(BuiltinResources.Pods, "default"));
    }

    [Fact]
    public async Task Get_watch_prints_changes_until_the_request_timeout()
    {
        await using var harness = await WithDeploymentAsync();
        var watch = harness.KubectlAsync("get", "deployments", "-w", "--request-timeout=3s");
        await Eventually.TrueAsync(() => harness.Cluster.Hooks.OpenWatchCount(BuiltinResources.Deployments) > 0, "kubectl to open its watch", TimeSpan.FromSeconds(20));
        (await harness.KubectlAsync("scale", "deployment/web", "--replicas=7")).ShouldSucceed();
        var result = await watch;
        Assert.Matches(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0/2\s+0\s+0\s+\S+\nweb\s+0/7\s+0\s+0\s+\S+\n", result.Stdout);
    }

    [Fact]
    public async Task Wrong_fields_are_rejected_by_server_side_validation()
    {
        await using var harness = await ClusterHarness.StartAsync();
        var path = harness.WriteFile("bad.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: Bad_Name
            data: {a: b}
            """);
        var result = await harness.KubectlAsync("apply", "-f", path);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("fieldValidation=Strict", string.Join('\n', harness.Cluster.Hooks.AuditLog.Select(a => a.Path)), StringComparison.Ordinal);
    }

    internal static JsonObject Event(string name, JsonObject involved, string reason, string message) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["involvedObject"] = new JsonObject
        {
            ["kind"] = involved["kind"]!.GetValue<string>(),
            ["namespace"] = "default",
            ["name"] = involved["metadata"]!["name"]!.GetValue<string>(),
            ["uid"] = involved["metadata"]!["uid"]!.GetValue<string>(),
            ["apiVersion"] = involved["apiVersion"]!.GetValue<string>(),
        },
        ["reason"] = reason,
        ["message"] = message,
        ["source"] = new JsonObject { ["component"] = "deployment-controller" },
        ["firstTimestamp"] = "2025-01-01T00:00:00Z",
        ["lastTimestamp"] = "2025-01-01T00:00:00Z",
        ["count"] = 1,
        ["type"] = "Normal",
    };

    internal static JsonObject ReplicaSetFor(JsonObject deployment, string name, string hash, string revision, string image)
    {
        var template = deployment["spec"]!["template"]!.DeepClone().AsObject();
        template["metadata"]!["labels"]!["pod-template-hash"] = hash;
        template["spec"]!["containers"]![0]!["image"] = image;
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = "default",
                ["labels"] = new JsonObject { ["app"] = "web", ["pod-template-hash"] = hash },
                ["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = revision },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "Deployment",
                    ["name"] = "web",
                    ["uid"] = deployment["metadata"]!["uid"]!.GetValue<string>(),
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web", ["pod-template-hash"] = hash } },
                ["template"] = template,
            },
        };
    }

    internal static JsonObject PodFor(JsonObject replicaSet, string name) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "default",
            ["labels"] = replicaSet["spec"]!["template"]!["metadata"]!["labels"]!.DeepClone(),
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["name"] = replicaSet["metadata"]!["name"]!.GetValue<string>(),
                ["uid"] = replicaSet["metadata"]!["uid"]!.GetValue<string>(),
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            }),
        },
        ["spec"] = replicaSet["spec"]!["template"]!["spec"]!.DeepClone(),
    };
}
