namespace IncidentResponder.Operator.GitOps.WriteBack;

/// <summary>Who write-back commits as, and how deep it clones.</summary>
/// <param name="Depth">How many commits of the branch a clone holds: the window in which this incident's commit is found again.</param>
public sealed record GitWriteBackOptions(
    string AuthorName = "incident-responder",
    string AuthorEmail = "incident-responder@users.noreply.incidentresponder.dev",
    int Depth = 100,
    string GitExecutable = "git",
    string SshExecutable = "ssh");
