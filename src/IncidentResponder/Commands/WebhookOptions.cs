using System.CommandLine;
using IncidentResponder.Operator.Intake;
using IncidentResponder.Runtime.Metrics;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Commands;

/// <summary>
/// <c>run --webhook-bind-address</c> and <c>--webhook-token-secret</c>: the Alertmanager intake. It is off unless an
/// address is given, and it never runs without a token: an open endpoint would let anyone open incidents.
/// </summary>
internal sealed class WebhookOptions
{
    public const string BindAddressFlag = "--webhook-bind-address";

    private readonly Option<string?> _bindAddress = new(BindAddressFlag)
    {
        Description = $"Where to serve the Alertmanager webhook (POST {AlertmanagerIntakeOptions.Path}), e.g. :9443; default: not served.",
    };

    private readonly Option<string?> _tokenSecret = new("--webhook-token-secret")
    {
        Description = "<namespace>/<name> of the Secret whose key 'token' holds the webhook's bearer token (required with --webhook-bind-address).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_bindAddress);
        command.Options.Add(_tokenSecret);
    }

    /// <summary>The intake's options, or null when it is off; a UserError names the flag that is wrong.</summary>
    public AlertmanagerIntakeOptions? Parse(ParseResult parse)
    {
        var address = parse.GetValue(_bindAddress);
        var secret = parse.GetValue(_tokenSecret);
        if (address is null || BindAddress.ToUrl("--webhook-bind-address", address) is not { } url)
        {
            return secret is null ? null : throw new UserError("--webhook-token-secret needs --webhook-bind-address");
        }

        if (secret is null)
        {
            throw new UserError("--webhook-bind-address needs --webhook-token-secret <namespace>/<name>: the webhook is never served without a token");
        }

        string ns, name;
        try
        {
            (ns, name) = AlertmanagerIntakeOptions.ParseSecretReference(secret);
        }
        catch (FormatException malformed)
        {
            throw new UserError($"--webhook-token-secret {malformed.Message}", malformed);
        }

        return new AlertmanagerIntakeOptions { Url = url, TokenSecretNamespace = ns, TokenSecretName = name };
    }

    /// <summary>Serves the intake in the host when it is configured.</summary>
    public static void AddService(IServiceCollection services, AlertmanagerIntakeOptions? intake, IReadOnlyList<string> namespaces)
    {
        if (intake is not null)
        {
            services.AddHostedService(s => new AlertmanagerIntakeService(s.GetRequiredService<IKubernetes>(), intake, namespaces,
                s.GetRequiredService<RuntimeMetrics>(), s.GetRequiredService<ILoggerFactory>()));
        }
    }
}
