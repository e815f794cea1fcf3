using IncidentResponder.Core.GitOps;

namespace IncidentResponder.Core.Tests.GitOps;

public sealed class WriteBackCommitMessageTests
{
    private static readonly WriteBackMessageParts Parts = new("shop", "web-crashloop", "7", "pods crash-looped after\nthe rollout",
        [new WriteBackChange("Deployment", "web", "nginx", WriteBackChange.Image, "nginx:1.26", "nginx:1.25")]);

    [Fact]
    public void The_subject_names_the_change_and_the_incident()
    {
        Assert.Equal("Set image of Deployment web to nginx:1.25 (incident shop/web-crashloop)", WriteBackCommitMessage.Subject(Parts));
    }

    [Fact]
    public void The_body_ends_with_the_trailer_paragraph_and_holds_revision_and_reason()
    {
        var message = WriteBackCommitMessage.Render(Parts);
        var paragraphs = message.TrimEnd('\n').Split("\n\n");

        Assert.Equal("Incident-Responder-Incident: shop/web-crashloop", paragraphs[^1]);
        Assert.Contains("Rolled back to revision 7.\nWhy: pods crash-looped after the rollout", message, StringComparison.Ordinal);
        Assert.Contains("- image of Deployment web (container nginx): nginx:1.26 -> nginx:1.25", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_branch_is_named_after_the_incident()
    {
        Assert.Equal("incident-responder/web-crashloop", WriteBackCommitMessage.Branch("web-crashloop"));
    }
}
