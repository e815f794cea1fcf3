using k8s;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IncidentResponder.Architecture.Tests.Violations.Shell;

/// <summary>Network, file, database, API server and log I/O, each inside a method body only.</summary>
public static class InputOutput
{
    public static async Task<string> FetchAsync(Uri address)
    {
        using var client = new HttpClient();
        return await client.GetStringAsync(address);
    }

    public static string ReadFile(string path) => File.ReadAllText(path);

    public static bool FolderExists(string path) => Directory.Exists(path);

    public static long FileSize(string path) => new FileInfo(path).Length;

    public static void Print(string text) => Console.WriteLine(text);

    public static void Log(ILogger logger, string text) => logger.LogInformation("{Text}", text);

    public static async Task QueryAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
    }

    public static object Client(KubernetesClientConfiguration configuration) => new Kubernetes(configuration);

    public static string Describe(IKubernetes client) => client.BaseUri.ToString();
}
