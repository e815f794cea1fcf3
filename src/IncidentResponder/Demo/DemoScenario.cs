using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Crds;
using IncidentResponder.Operator.Hosting;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Demo;

/// <summary>What the user chose: how fast the simulated kubelet runs, whether to stay up afterwards, and the overall deadline.</summary>
internal sealed record DemoSettings(double Speed, bool KeepRunning, TimeSpan Deadline, bool GitOps = false);

/// <summary>
/// The demo from start to end: set up a cluster, the operator and an app; push a bad rollout; tell what the operator
/// does about it as the Incident's record shows it; print the record and how to look around.
/// </summary>
internal sealed class DemoScenario(Narrator narrator, DemoSettings settings)
{
    private readonly DemoTimings _timings = new();
    private GitOpsDemo? _gitops;

    public async Task<int> RunAsync(CancellationToken stopping)
    {
        var started = DateTimeOffset.UtcNow;
        var samples = DemoSamples.Load(_timings);
        narrator.Title(settings.GitOps
            ? "incident-responder demo --gitops: a bad commit synced by Argo CD, caught, rolled back, reverted in git and recorded"
            : "incident-responder demo: a bad rollout on a simulated cluster, caught, rolled back and recorded");
        using var deadline = new DemoDeadline(settings.Deadline, stopping);
        DemoEnvironment? environment = null;
        // The folder (kubeconfig, operator log) outlives the demo only when the user may still look: with
        // --keep-running, or after a failure whose message points at the operator's log in it.
        var keepFolder = settings.KeepRunning;
        try
        {
            environment = await deadline.StepAsync("the simulated cluster to start", ct => DemoEnvironment.StartAsync(settings.Speed, settings.GitOps, ct)).ConfigureAwait(false);
            _gitops = settings.GitOps ? new GitOpsDemo(environment.Directory) : null;
            await SetUpAsync(environment, samples, deadline).ConfigureAwait(false);
            var incident = await TellStoryAsync(environment, samples, deadline).ConfigureAwait(false);
            Summarize(incident, started);
            await SummarizeGitOpsAsync(incident, deadline).ConfigureAwait(false);
            await PrintIncidentAsync(environment.Client, incident, deadline).ConfigureAwait(false);
            PrintLookAround(environment);
            if (settings.KeepRunning)
            {
                await WaitUntilStoppedAsync(stopping).ConfigureAwait(false);
                narrator.Plain("stopping the operator and the simulated cluster");
            }

            return 0;
        }
        catch (Exception error) when (error is DemoTimeoutException or DemoFailedException or HttpOperationException)
        {
            narrator.Heading("demo failed: " + Describe(error));
            if (environment is not null)
            {
                narrator.Fact("operator log", environment.OperatorLog);
                keepFolder = true;
            }

            return 1;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            narrator.Heading("demo interrupted");
            return 130;
        }
        finally
        {
            if (environment is not null)
            {
                await environment.DisposeAsync().ConfigureAwait(false);
                if (!keepFolder)
                {
                    environment.RemoveFolder();
                }
            }
        }
    }

    private async Task SetUpAsync(DemoEnvironment environment, DemoSamples samples, DemoDeadline deadline)
    {
        var client = environment.Client;
        narrator.Heading("Setup");
        narrator.Fact("cluster", $"simulated, {environment.Cluster.BaseAddress.GetLeftPart(UriPartial.Authority)} (kubelet at {settings.Speed}x speed)");

        var crds = CustomResourceDefinitionGenerator.GenerateAll();
        await deadline.StepAsync("the CRDs to be created", async ct =>
        {
            foreach (var crd in crds)
            {
                await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        await deadline.UntilAsync("the CRDs to be served", ct => ServedAsync(client, crds, ct)).ConfigureAwait(false);
        narrator.Fact("CRDs", string.Join(", ", crds.Select(c => c.Metadata.Name)) + " (generated from the API types)");

        if (_gitops is not null)
        {
            samples.Policy["spec"]!["gitops"] = GitOpsDemo.PolicySettings();
        }

        await deadline.StepAsync("the samples to be applied", async ct =>
        {
            await CreateAsync(client, samples.Runbook, Runbook.Plural, ct).ConfigureAwait(false);
            await CreateAsync(client, samples.Policy, RemediationPolicy.Plural, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        narrator.Fact("samples", $"runbook/{samples.RunbookName}, remediationpolicy/{samples.PolicyName} in namespace {CheckoutApp.Namespace}");
        narrator.Fact("demo timings", string.Join("; ", samples.TimingChanges) + " (shortened to fit in a minute)");

        var instance = environment.StartOperator();
        await deadline.UntilAsync("the operator's informers to sync", _ => Task.FromResult(instance.Manager.ControllersRunning || environment.OperatorStopped is not null)).ConfigureAwait(false);
        FailIfOperatorStopped(environment);
        narrator.Fact("operator", $"running in this process, all namespaces; its log: {environment.OperatorLog}");

        if (_gitops is { } gitops)
        {
            await deadline.StepAsync("the git repository and the Argo CD Application to be created", ct => gitops.PublishAsync(client, ct)).ConfigureAwait(false);
            narrator.Fact("git", $"{gitops.RepositoryUrl}, branch main, {GitOpsDemo.ManifestPath}");
            narrator.Fact("argo cd", $"application/{GitOpsDemo.ApplicationName} in {GitOpsDemo.ArgoCdNamespace}: automated sync with prune and self-heal (emulated by the simulated cluster)");
        }
        else
        {
            await deadline.StepAsync("the app to be created", ct =>
                client.AppsV1.CreateNamespacedDeploymentAsync(CheckoutApp.Deployment(), CheckoutApp.Namespace, cancellationToken: ct)).ConfigureAwait(false);
        }

        // Under GitOps the Deployment appears only once Argo CD has synced: not there yet is not a failure.
        await deadline.UntilAsync($"deployment/{CheckoutApp.Name} to be Available", async ct =>
        {
            try
            {
                return Available(await ReadAppAsync(client, ct).ConfigureAwait(false));
            }
            catch (HttpOperationException error) when (_gitops is not null && error.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return false;
            }
        }).ConfigureAwait(false);
        narrator.Fact("app", $"deployment/{CheckoutApp.Name}: {CheckoutApp.Replicas} replicas of {CheckoutApp.GoodImage}, Available (revision 1)"
            + (_gitops is null ? string.Empty : ", applied by Argo CD from git"));

        // The rollback goes to the last known good revision: one the operator saw Available for the soak period.
        var seen = await deadline.UntilAsync("the operator to observe revision 1 Available", _ =>
            Task.FromResult(instance.LastDetection(CheckoutApp.Namespace, CheckoutApp.Name) is { Revision: 1 } ? (object)DateTimeOffset.UtcNow : null)).ConfigureAwait(false);
        var soaked = (DateTimeOffset)seen + _timings.LastKnownGoodSoak + TimeSpan.FromMilliseconds(500);
        await deadline.UntilAsync("revision 1 to soak", _ => Task.FromResult(DateTimeOffset.UtcNow >= soaked)).ConfigureAwait(false);
        narrator.Fact("last good", $"revision 1, Available for {DemoTimings.Format(_timings.LastKnownGoodSoak)} while the operator watched");
    }

    private async Task<Incident> TellStoryAsync(DemoEnvironment environment, DemoSamples samples, DemoDeadline deadline)
    {
        var client = environment.Client;
        narrator.Heading("The bad rollout (seconds since it was pushed)");
        var pushed = DateTimeOffset.UtcNow;
        narrator.StartClock(pushed);
        string? badCommit = null;
        if (_gitops is { } gitops)
        {
            badCommit = await deadline.StepAsync("the bad commit", ct => gitops.CommitBadReleaseAsync(client, ct)).ConfigureAwait(false);
            narrator.Event(pushed, $"bad release committed to git: {badCommit[..7]} changes only the image, {CheckoutApp.GoodImage} → {CheckoutApp.BadImage}; its pods crash on start");
        }
        else
        {
            await deadline.StepAsync("the bad rollout to be accepted", ct =>
                client.AppsV1.PatchNamespacedDeploymentAsync(CheckoutApp.BadRollout(), CheckoutApp.Name, CheckoutApp.Namespace, cancellationToken: ct)).ConfigureAwait(false);
            narrator.Event(pushed, $"bad rollout: {CheckoutApp.Name} {CheckoutApp.GoodImage} → {CheckoutApp.BadImage}; its pods crash on start");
        }

        var instance = environment.Operator!;
        var story = new RolloutStory(samples.RollbackVerification(), badCommit);
        return await deadline.StepAsync(() => story.WaitingFor, async ct =>
        {
            while (true)
            {
                var snapshot = await SnapshotAsync(client, instance, ct).ConfigureAwait(false);
                if (_gitops is not null)
                {
                    snapshot = snapshot with { Owner = await GitOpsDemo.ReadApplicationAsync(client, ct).ConfigureAwait(false) };
                }

                foreach (var line in story.Advance(snapshot))
                {
                    narrator.Event(line.At, line.Text, line.Details);
                }

                if (story.Finished)
                {
                    return snapshot.Incident!;
                }

                if (RolloutStory.Failure(snapshot) is { } failure)
                {
                    throw new DemoFailedException(failure);
                }

                FailIfOperatorStopped(environment);
                await DemoDeadline.PauseAsync(ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    private void Summarize(Incident incident, DateTimeOffset started)
    {
        var status = incident.Status!;
        narrator.Heading("Summary");
        narrator.Fact("incident", $"{incident.Metadata.Name}: {status.Phase}, {RolloutStory.SeverityName(status.Severity ?? incident.Spec.Severity)}, {status.Actions?.Count ?? 0} action(s)");
        if (status is { DetectedAt: { } detected, OpenedAt: { } opened, MitigatedAt: { } mitigated })
        {
            narrator.Fact("detect", $"{RolloutStory.Seconds(RolloutStory.Between(detected, opened))} from the signal to the Incident (timeToDetect {status.TimeToDetect})");
            narrator.Fact("mitigate", $"{RolloutStory.Seconds(RolloutStory.Between(detected, mitigated))} from the signal to a verified rollback (timeToMitigate {status.TimeToMitigate})");
        }

        narrator.Fact("demo", $"{RolloutStory.Seconds(DateTimeOffset.UtcNow - started)} in all, setup included");
    }

    /// <summary>With --gitops: the revert as git holds it, so the reader sees that only the image line changed.</summary>
    private async Task SummarizeGitOpsAsync(Incident incident, DemoDeadline deadline)
    {
        if (_gitops is not { } gitops || incident.Status?.GitOps?.WriteBack?.Commit is not { } commit)
        {
            return;
        }

        var subject = await deadline.StepAsync("git to show the revert", ct => gitops.SubjectAsync(commit, ct)).ConfigureAwait(false);
        var changed = await deadline.StepAsync("git to show the revert", ct => gitops.ChangedLinesAsync(commit, ct)).ConfigureAwait(false);
        narrator.Fact("revert", $"{commit[..7]} \"{subject}\" on main, {changed.Count} line(s) changed in {GitOpsDemo.ManifestPath}, comments and layout kept:");
        foreach (var line in changed)
        {
            narrator.Plain("    " + line.Trim());
        }
    }

    private async Task PrintIncidentAsync(IKubernetes client, Incident incident, DemoDeadline deadline)
    {
        // The object as the API server stores it, as kubectl prints it (managed fields hidden, as kubectl does).
        var raw = await deadline.StepAsync("the Incident to be read", ct => client.CustomObjects.GetNamespacedCustomObjectAsync(
            GroupVersion.Group, GroupVersion.Version, CheckoutApp.Namespace, Incident.Plural, incident.Metadata.Name, ct)).ConfigureAwait(false);
        var node = JsonSerializer.SerializeToNode(raw, raw.GetType())!.AsObject();
        node["metadata"]?.AsObject().Remove("managedFields");
        narrator.Heading($"The Incident (kubectl get inc {incident.Metadata.Name} -o yaml)");
        narrator.Plain(YamlJson.ToYaml(node).TrimEnd());
    }

    private void PrintLookAround(DemoEnvironment environment)
    {
        narrator.Heading("Look around");
        narrator.Fact("kubeconfig", environment.Kubeconfig);
        narrator.Fact("operator log", environment.OperatorLog);
        narrator.Plain($"  KUBECONFIG={environment.Kubeconfig} kubectl get inc -A");
        narrator.Plain(settings.KeepRunning
            ? "  The cluster and the operator keep running until Ctrl-C."
            : "  The cluster stops and this folder is removed when the demo exits; add --keep-running to keep both.");
    }

    private static async Task WaitUntilStoppedAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM: the way --keep-running ends.
        }
    }

    private static async Task<StorySnapshot> SnapshotAsync(IKubernetes client, OperatorInstance instance, CancellationToken ct)
    {
        var deployment = await ReadAppAsync(client, ct).ConfigureAwait(false);
        var pods = await client.CoreV1.ListNamespacedPodAsync(CheckoutApp.Namespace, labelSelector: CheckoutApp.LabelSelector, cancellationToken: ct).ConfigureAwait(false);
        var incidents = await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<Incident>>(
            GroupVersion.Group, GroupVersion.Version, CheckoutApp.Namespace, Incident.Plural, cancellationToken: ct).ConfigureAwait(false);
        var incident = incidents.Items.Where(i => i.Spec.TargetRef.Name == CheckoutApp.Name)
            .OrderByDescending(i => i.Metadata.CreationTimestamp).FirstOrDefault();
        return new StorySnapshot(DateTimeOffset.UtcNow, deployment, [.. pods.Items], incident, instance.LastDetection(CheckoutApp.Namespace, CheckoutApp.Name));
    }

    private static Task<V1Deployment> ReadAppAsync(IKubernetes client, CancellationToken ct) =>
        client.AppsV1.ReadNamespacedDeploymentAsync(CheckoutApp.Name, CheckoutApp.Namespace, cancellationToken: ct);

    private static bool Available(V1Deployment deployment) =>
        deployment.Status is { } status
        && status.ObservedGeneration >= deployment.Metadata.Generation
        && status.UpdatedReplicas == deployment.Spec.Replicas
        && status.AvailableReplicas == deployment.Spec.Replicas
        && (status.Conditions ?? []).Any(c => c.Type == "Available" && c.Status == "True");

    private static async Task<bool> ServedAsync(IKubernetes client, IEnumerable<V1CustomResourceDefinition> crds, CancellationToken ct)
    {
        foreach (var crd in crds)
        {
            try
            {
                await client.CustomObjects.ListNamespacedCustomObjectAsync(crd.Spec.Group, crd.Spec.Versions[0].Name, CheckoutApp.Namespace, crd.Spec.Names.Plural, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return false;
            }
        }

        return true;
    }

    private static Task<object> CreateAsync(IKubernetes client, JsonObject document, string plural, CancellationToken ct) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync(document, GroupVersion.Group, GroupVersion.Version, CheckoutApp.Namespace, plural, cancellationToken: ct);

    private static void FailIfOperatorStopped(DemoEnvironment environment)
    {
        if (environment.OperatorStopped is { } why)
        {
            throw new DemoFailedException("the operator stopped: " + why);
        }
    }

    private static string Describe(Exception error) => error is HttpOperationException http
        ? $"the API server answered {(int)http.Response.StatusCode}: {http.Response.Content}"
        : error.Message;
}
