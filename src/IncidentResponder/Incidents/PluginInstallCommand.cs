using System.CommandLine;
using IncidentResponder.Commands;

namespace IncidentResponder.Incidents;

/// <summary>
/// <c>incident-responder plugin install [--dir DIR]</c>: writes <c>kubectl-incident</c>, a two-line launcher that runs
/// this very executable with <c>incident …</c>. kubectl finds any executable named kubectl-NAME on PATH and runs it for
/// <c>kubectl NAME</c>, so the plugin and the CLI can never be two different versions.
/// </summary>
internal static class PluginInstallCommand
{
    public const string LauncherName = "kubectl-incident";

    public static Command Create()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Where to write kubectl-incident; default: ~/.local/bin (it must be on PATH for kubectl to find it)." };
        var install = new Command("install", "Install kubectl-incident, so 'kubectl incident …' runs 'incident-responder incident …'.") { dir };
        install.SetAction(async (parse, ct) =>
        {
            var target = parse.GetValue(dir)?.FullName
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "bin");
            var path = Path.Combine(target, LauncherName);
            try
            {
                Directory.CreateDirectory(target);
                await File.WriteAllTextAsync(path, Launcher(), ct).ConfigureAwait(false);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                }
            }
            catch (Exception unwritable) when (unwritable is IOException or UnauthorizedAccessException)
            {
                throw new UserError($"--dir {target}: cannot write {LauncherName} there ({CommandLineInvocation.OneLine(unwritable.Message)}): pass a directory you can write to", unwritable);
            }

            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"wrote {path}").ConfigureAwait(false);
            await output.WriteLineAsync(OnPath(target)
                ? "try: kubectl incident board"
                : $"{target} is not on PATH: add it (export PATH=\"{target}:$PATH\"), then try: kubectl incident board").ConfigureAwait(false);
            return 0;
        });
        return new Command("plugin", "Install incident-responder as a kubectl plugin (kubectl incident …).") { install };
    }

    /// <summary>
    /// The launcher: the path of this executable (an apphost or a single-file build), or, when it runs as
    /// <c>dotnet incident-responder.dll</c>, the dotnet host and the dll, followed by <c>incident</c> and kubectl's arguments.
    /// </summary>
    private static string Launcher()
    {
        var process = Environment.ProcessPath ?? throw new UserError("cannot tell where this executable is: run incident-responder from its own path");
        var hostedByDotnet = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        var command = hostedByDotnet
            ? $"{Quote(process)} {Quote(typeof(PluginInstallCommand).Assembly.Location)}"
            : Quote(process);
        return $"#!/bin/sh\n# kubectl incident: written by 'incident-responder plugin install'; it runs incident-responder incident ...\nexec {command} incident \"$@\"\n";
    }

    // POSIX shell single quotes keep every character; a single quote itself is closed, escaped and reopened.
    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static bool OnPath(string directory) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(entry => Path.GetFullPath(entry).TrimEnd(Path.DirectorySeparatorChar) == directory.TrimEnd(Path.DirectorySeparatorChar));
}
