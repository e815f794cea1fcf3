using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using IncidentResponder.Api.Schema;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>What the operator does about workloads that Argo CD or Flux apply from git.</summary>
[CelRule("!has(self.writeBack) || !has(self.writeBack.mode) || self.writeBack.mode == 'None' || has(self.writeBack.credentialsSecretRef)",
    "spec.gitops.writeBack.credentialsSecretRef is required when writeBack.mode is Branch, PullRequest or Direct", FieldPath = ".writeBack.credentialsSecretRef")]
public sealed class GitOpsPolicy
{
    [DefaultValue("Pause")]
    [Description("On a workload a GitOps tool owns: Pause (pause exactly its Application, Kustomization or HelmRelease before acting, resume once git holds the fix), Ignore (act without pausing; the tool will undo the change), or HandBack (do not act; tell people to change git).")]
    public GitOpsOwnedAction? OnOwned { get; set; }

    [Description("Whether and how the mitigation is written back to git.")]
    public GitWriteBackSettings? WriteBack { get; set; }

    [Duration]
    [Description("Resume the paused owner after this long even if git still holds the bad version (it will then redeploy it). Absent: stay paused until git holds the fix or a person sets the Incident's spec.gitops.resume.")]
    public string? ResumeAfter { get; set; }
}

public enum GitOpsOwnedAction
{
    Pause,
    Ignore,
    HandBack,
}

public sealed class GitWriteBackSettings
{
    [DefaultValue("None")]
    [Description("None: nothing is written. Branch: push the change to a branch incident-responder/<incident>. PullRequest: the branch and a pull request. Direct: commit to the branch the owner tracks.")]
    public GitWriteBackMode? Mode { get; set; }

    [Description("A Secret in this namespace with git credentials, in Flux's format: identity and known_hosts (SSH), or username and password (HTTPS token). For PullRequest also a token key: the provider's API token.")]
    public LocalObjectReference? CredentialsSecretRef { get; set; }

    [MaxLength(256), RegularExpression(@"^[^<>]+ <[^<>@\s]+@[^<>\s]+>$")]
    [Description("Commit author, as 'Name <email>'. Default: incident-responder <incident-responder@users.noreply.incidentresponder.dev>.")]
    public string? Author { get; set; }

    [MaxLength(512), RegularExpression(@"^https://.+")]
    [Description("PullRequest mode: the provider's API URL (GitHub Enterprise). Default: https://api.github.com.")]
    public string? ApiUrl { get; set; }
}

public enum GitWriteBackMode
{
    None,
    Branch,
    PullRequest,
    Direct,
}
