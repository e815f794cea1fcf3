using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Evidence;
using IncidentResponder.Operator.GitOps;
using IncidentResponder.Operator.MetricsAnalysis;
using IncidentResponder.Operator.Notifications;
using IncidentResponder.Operator.Postmortems;
using IncidentResponder.Operator.Probes;

namespace IncidentResponder.Operator.Hosting;

/// <summary>The features every operator runs unless told otherwise. Optional ones (history) are added by the host.</summary>
public static class OperatorFeatures
{
    public static IReadOnlyList<IOperatorFeature> Standard() =>
    [
        new RolloutDetectionFeature(new DetectionOptions()),
        new ProbeDetectionFeature(),
        new CronJobDetectionFeature(),
        new IncidentFeature(new IncidentOptions()),
        new RunbookStatusFeature(),
        new PolicyStatusFeature(),
        new EvidenceFeature(),
        new PostmortemFeature(),
        new NotificationFeature(new NotificationOptions()),
        new GitOpsFeature(new GitOpsOptions()),
        new MetricsAnalysisFeature(new MetricsAnalysisOptions()),
    ];
}
