using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Observation;
using k8s.Models;

namespace IncidentResponder.Demo;

/// <summary>
/// One look at the cluster: the app's Deployment and pods, the Incident about it if there is one, and the operator's
/// last detection of it (a signal it holds before opening an incident shows there first), and with --gitops the
/// Argo CD Application that applies the app from git.
/// </summary>
internal sealed record StorySnapshot(DateTimeOffset Now, V1Deployment Deployment, IReadOnlyList<V1Pod> Pods, Incident? Incident, DetectionSnapshot? Detection, JsonObject? Owner = null);

/// <summary>A line of the story: when it happened (from the record where the record says), what, and details under it.</summary>
internal sealed record StoryLine(DateTimeOffset At, string Text, IReadOnlyList<string> Details)
{
    public StoryLine(DateTimeOffset at, string text)
        : this(at, text, [])
    {
    }
}

/// <summary>A point the story must reach, what the demo is waiting for until then, and how to recognise it.</summary>
internal sealed record Milestone(string WaitingFor, Func<StorySnapshot, StoryLine?> Observe);
