using System.Text;

namespace IncidentResponder.Operator.GitOps.WriteBack;

/// <summary>
/// A private folder and the environment git runs with: the credentials written where git and ssh read them, never in
/// a URL or a command-line argument (both show up in process listings and in git's own error messages). Disposing
/// deletes the folder, the key included.
/// </summary>
internal sealed class GitEnvironment : IDisposable
{
    private const string UsernameVariable = "INCIDENT_RESPONDER_GIT_USERNAME";
    private const string PasswordVariable = "INCIDENT_RESPONDER_GIT_PASSWORD";

    private GitEnvironment(string root, Dictionary<string, string> variables)
    {
        Root = root;
        Variables = variables;
    }

    /// <summary>The private folder: clones go under it.</summary>
    public string Root { get; }

    public IReadOnlyDictionary<string, string> Variables { get; }

    public static GitEnvironment Create(GitCredentials credentials, string? sshExecutable = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var root = Directory.CreateTempSubdirectory("incident-responder-git-").FullName;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Never wait for a person at a prompt: a missing credential is an error, at once.
            ["GIT_TERMINAL_PROMPT"] = "0",
            // The machine's and the user's git config (url rewrites, credential helpers, signing) stay out.
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["HOME"] = root,
            ["XDG_CONFIG_HOME"] = root,
            ["SSH_ASKPASS_REQUIRE"] = "never",
        };

        if (credentials.Identity is { } identity)
        {
            var key = Path.Combine(root, "identity");
            // ssh refuses a key others can read; create it 0600 before writing a byte of it.
            File.WriteAllText(key, string.Empty);
            OwnerOnly(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.AppendAllText(key, identity.EndsWith('\n') ? identity : identity + "\n");
            // ssh reads ~/.ssh/config from the passwd home, not $HOME: -F /dev/null keeps the machine's settings (other
            // identities, proxies) out, and only the Secret's known_hosts is trusted, not the machine's global one.
            var command = new StringBuilder(sshExecutable ?? "ssh")
                .Append(" -F /dev/null -i ").Append(Quote(key))
                .Append(" -o IdentitiesOnly=yes -o BatchMode=yes -o IdentityAgent=none -o GlobalKnownHostsFile=/dev/null");
            if (credentials.KnownHosts is { } knownHosts)
            {
                var hosts = Path.Combine(root, "known_hosts");
                File.WriteAllText(hosts, knownHosts.EndsWith('\n') ? knownHosts : knownHosts + "\n");
                command.Append(" -o UserKnownHostsFile=").Append(Quote(hosts)).Append(" -o StrictHostKeyChecking=yes");
            }
            else
            {
                // Without known_hosts the server's key is trusted on first use (accept-new) and remembered only in this
                // throw-away folder: every write-back trusts whoever answers at that address. Give known_hosts to
                // pin the server, as Flux requires.
                command.Append(" -o UserKnownHostsFile=").Append(Quote(Path.Combine(root, "known_hosts"))).Append(" -o StrictHostKeyChecking=accept-new");
            }

            variables["GIT_SSH_COMMAND"] = command.ToString();
        }

        if (credentials.Password is { } password)
        {
            // git asks GIT_ASKPASS for the username and the password; the script answers from the environment, so the
            // token is in neither the URL, the arguments, nor the script file.
            var askpass = Path.Combine(root, "askpass.sh");
            File.WriteAllText(askpass,
                $"#!/bin/sh\ncase \"$1\" in\n  Username*) printf '%s\\n' \"${UsernameVariable}\" ;;\n  *) printf '%s\\n' \"${PasswordVariable}\" ;;\nesac\n");
            OwnerOnly(askpass, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
            variables["GIT_ASKPASS"] = askpass;
            variables[UsernameVariable] = credentials.Username ?? "git";
            variables[PasswordVariable] = password;
        }

        return new GitEnvironment(root, variables);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp folder's cleaner gets it; the key is 0600 meanwhile.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // The operator runs on Linux; the guard only keeps the build honest about the API being Unix-only.
    private static void OwnerOnly(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    // GIT_SSH_COMMAND is read by a shell: single quotes keep a temp path with spaces one word.
    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
