namespace IncidentResponder.Operator.Tests.Support;

/// <summary>The playbook's curl -X POST .../feature-flags as a runbook: the HTTP flag provider, with a bearer token in a Secret.</summary>
public static class HttpFlagManifests
{
    public const string RunbookName = "disable-feature-http";
    public const string Step = "post-recommendations-off";
    public const string Flag = "recommendations";
    public const string Token = "Bearer s3cr3t-token";

    /// <summary>The JSON body template: the operator fills in {{flag}} and {{value}}.</summary>
    public const string BodyTemplate = """{"name": "{{flag}}", "enabled": {{value}}}""";

    /// <param name="url">The flag endpoint's URL.</param>
    /// <param name="retries">Retries after the first attempt.</param>
    /// <param name="selector">The policy's Deployment selector (YAML), when others share the namespace.</param>
    /// <param name="withAuth">Send the Authorization header from the Secret (the operator then reads the Secret).</param>
    /// <param name="timeout">The timeout of one attempt.</param>
    /// <param name="mode">The policy's default mode (Automatic or DryRun).</param>
    /// <param name="consent">The Secret lists the endpoint among the URLs it may be sent to.</param>
    public static string RunbookPolicyAndSecret(string url, int retries, string selector = "{}", bool withAuth = true, string timeout = "5s",
        string mode = "Automatic", bool consent = true) => $$$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata:
          name: {{{RunbookName}}}
        spec:
          title: Memory-hungry feature (HTTP flag service)
          severity: SEV-3
          signals: [OOMKilled]
          steps:
            - name: {{{Step}}}
              when: {recentRollout: false}
              action:
                type: FeatureFlag
                featureFlag:
                  flag: {{{Flag}}}
                  value: "false"
                  provider: Http
                  http:
                    url: {{{url}}}
                    method: PUT
                    body: '{{{BodyTemplate}}}'
                    {{{(withAuth ? "authSecretRef: {name: flag-service, key: authorization}" : "# no Authorization header")}}}
                    timeout: {{{timeout}}}
                    retries: {{{retries}}}
              verify: {window: 1s, timeout: 60s, checks: [Available, NoNewSignal]}
              onFailure: {action: Escalate}
          escalation:
            contacts: ["@oncall"]
        ---
        {{{ExhaustionManifests.OomPolicy(RunbookName, selector, $"allowedFlags: [{Flag}]", mode)}}}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: flag-service
          annotations:
            incidentresponder.dev/send-to: "{{{(consent ? url : "https://elsewhere.example.com/")}}}"
        data:
          authorization: {{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Token))}}}
        """;
}
