using System.CommandLine;
using IncidentResponder.Commands;
using k8s;
using k8s.KubeConfigModels;

namespace IncidentResponder.Incidents;

/// <summary>
/// The flags every <c>kubectl incident</c> command takes, as kubectl spells them: --kubeconfig, --context,
/// -n/--namespace, -A/--all-namespaces and -o/--output. kubectl hands a plugin its arguments untouched, so the plugin
/// reads them itself.
/// </summary>
internal sealed class KubectlFlags
{
    public Option<FileInfo> Kubeconfig { get; } = new("--kubeconfig") { Description = "Path to the kubeconfig; default: $KUBECONFIG, else ~/.kube/config, else the pod's service account.", Recursive = true };

    public Option<string> Context { get; } = new("--context") { Description = "The kubeconfig context to use; default: its current context.", Recursive = true };

    public Option<string> Namespace { get; } = new("--namespace", "-n") { Description = "The incidents' namespace; default: the context's namespace, else default.", Recursive = true };

    public Option<bool> AllNamespaces { get; } = new("--all-namespaces", "-A") { Description = "Every namespace (board only; the board's default).", Recursive = true };

    public Option<string> Output { get; } = new("--output", "-o") { Description = "table (default), json or yaml.", Recursive = true };

    public void AddTo(Command command)
    {
        command.Options.Add(Kubeconfig);
        command.Options.Add(Context);
        command.Options.Add(Namespace);
        command.Options.Add(AllNamespaces);
        command.Options.Add(Output);
    }

    public OutputFormat Format(ParseResult parse) => OutputFormatParsing.Parse(parse.GetValue(Output));

    /// <summary>A client for the chosen context and the namespace to work in. A person's requests say so in their user agent.</summary>
    public PluginSession Connect(ParseResult parse)
    {
        var context = parse.GetValue(Context);
        var configuration = Load(parse.GetValue(Kubeconfig), string.IsNullOrEmpty(context) ? null : context);
        configuration.UserAgent = PluginSession.UserAgent;
        var ns = parse.GetValue(Namespace) is { Length: > 0 } flag ? flag : configuration.Namespace is { Length: > 0 } own ? own : "default";
        return new PluginSession(new Kubernetes(configuration), ns, parse.InvocationConfiguration.Output);
    }

    private static KubernetesClientConfiguration Load(FileInfo? kubeconfig, string? context)
    {
        if (kubeconfig is not null)
        {
            return kubeconfig.Exists
                ? Build($"--kubeconfig {kubeconfig.FullName}", () => KubernetesClientConfiguration.LoadKubeConfig(kubeconfig), context)
                : throw new UserError($"--kubeconfig {kubeconfig.FullName} does not exist: pass the path of a kubeconfig");
        }

        if (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } variable)
        {
            // kubectl merges every file of a KUBECONFIG list; the client library loads one, so the first that exists is
            // read (missing ones are skipped, as kubectl skips them).
            var file = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(p => new FileInfo(p)).FirstOrDefault(f => f.Exists);
            return file is not null
                ? Build($"$KUBECONFIG ({variable})", () => KubernetesClientConfiguration.LoadKubeConfig(file), context)
                : throw new UserError($"$KUBECONFIG ({variable}) names no existing file: fix it, or pass --kubeconfig");
        }

        var home = new FileInfo(KubernetesClientConfiguration.KubeConfigDefaultLocation);
        if (home.Exists)
        {
            return Build(home.FullName, () => KubernetesClientConfiguration.LoadKubeConfig(home), context);
        }

        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : throw new UserError("no cluster to talk to: pass --kubeconfig <path>, set KUBECONFIG, or create ~/.kube/config");
    }

    private static KubernetesClientConfiguration Build(string source, Func<K8SConfiguration> load, string? context)
    {
        K8SConfiguration config;
        try
        {
            config = load();
        }
        catch (Exception unusable) when (unusable is not OperationCanceledException)
        {
            throw new UserError($"{source} is not a usable kubeconfig ({CommandLineInvocation.OneLine(unusable.Message)}): fix it, or pass another with --kubeconfig", unusable);
        }

        if (context is not null && config.Contexts?.Any(c => c.Name == context) != true)
        {
            throw new UserError($"--context {context} is not a context of {source}: see 'kubectl config get-contexts'");
        }

        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
        }
        catch (Exception unusable) when (unusable is not OperationCanceledException)
        {
            throw new UserError($"{source} is not a usable kubeconfig ({CommandLineInvocation.OneLine(unusable.Message)}): fix it, or pass another with --kubeconfig", unusable);
        }
    }
}
