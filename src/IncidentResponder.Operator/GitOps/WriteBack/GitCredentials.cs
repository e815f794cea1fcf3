using System.Text;

namespace IncidentResponder.Operator.GitOps.WriteBack;

/// <summary>
/// How the operator authenticates to a git server, read from a Kubernetes Secret's data in Flux's GitRepository
/// format: <c>identity</c> (a private key) and <c>known_hosts</c> for SSH, or <c>username</c> and <c>password</c> (a
/// token) for HTTPS. Argo CD's repository secret key <c>sshPrivateKey</c> is accepted as an alias of <c>identity</c>.
/// Never printed: <see cref="ToString"/> names the kind only.
/// </summary>
public sealed record GitCredentials
{
    public const string IdentityKey = "identity";
    public const string ArgoCdSshPrivateKey = "sshPrivateKey";
    public const string KnownHostsKey = "known_hosts";
    public const string UsernameKey = "username";
    public const string PasswordKey = "password";

    public static readonly GitCredentials None = new();

    /// <summary>An SSH private key (OpenSSH or PEM text).</summary>
    public string? Identity { get; init; }

    /// <summary>The lines of a known_hosts file pinning the server's host key.</summary>
    public string? KnownHosts { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>The credentials a Secret's data holds; absent keys leave the matching part null.</summary>
    public static GitCredentials FromSecretData(IDictionary<string, byte[]>? data)
    {
        if (data is null)
        {
            return None;
        }

        string? Read(string key) => data.TryGetValue(key, out var bytes) && bytes is { Length: > 0 } ? Encoding.UTF8.GetString(bytes) : null;
        return new GitCredentials
        {
            Identity = Read(IdentityKey) ?? Read(ArgoCdSshPrivateKey),
            KnownHosts = Read(KnownHostsKey),
            Username = Read(UsernameKey),
            Password = Read(PasswordKey),
        };
    }

    /// <summary>Every secret value, so messages can be scrubbed of them before anyone reads them.</summary>
    internal IEnumerable<string> Secrets() => new[] { Password, Identity }.OfType<string>().Where(s => s.Length > 0);

    public override string ToString() =>
        Identity is not null ? "GitCredentials { ssh identity }" : Password is not null ? "GitCredentials { https password }" : "GitCredentials { none }";
}
