namespace IncidentResponder.Simulator.GitOps;

/// <summary>
/// The chart source-controller would have packaged for a HelmRelease: which commit it came from (kept across new
/// commits that do not bump Chart.yaml's version, as the ChartVersion strategy does) and the last commit looked at.
/// </summary>
internal sealed record HelmChartArtifact(string Repository, string Path, string SourceCommit, string ArtifactCommit, HelmChartMetadata Metadata, bool ByRevision)
{
    /// <summary>The chart revision a release records: the version, plus the commit with the Revision strategy.</summary>
    public string Revision => ByRevision ? $"{Metadata.Version}+{ArtifactCommit[..12]}" : Metadata.Version;
}

/// <summary>The last successful Helm release of a HelmRelease: what was rendered and applied, and from what.</summary>
internal sealed record HelmReleaseRecord(
    int Version,
    string ReleaseName,
    string Namespace,
    string ChartRevision,
    string ConfigDigest,
    IReadOnlyList<ManagedObject> Objects,
    DateTimeOffset FirstDeployed);
