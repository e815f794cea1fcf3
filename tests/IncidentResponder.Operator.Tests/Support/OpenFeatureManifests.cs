namespace IncidentResponder.Operator.Tests.Support;

/// <summary>
/// The OpenFeature operator's FeatureFlag resource (core.openfeature.dev/v1beta1), as far as the operator touches it:
/// a minimal CRD for the simulator (the real one validates flagd's flag schema; only the path
/// spec.flagSpec.flags.&lt;flag&gt;.defaultVariant matters here), a FeatureFlag, and a runbook that flips it.
/// </summary>
public static class OpenFeatureManifests
{
    public const string RunbookName = "disable-feature-openfeature";
    public const string Step = "switch-recommendations-off";
    public const string Flag = "recommendations";
    public const string ResourceName = "shop-flags";

    /// <summary>
    /// Structural schema: spec and flagSpec are objects, the flags map keeps whatever flagd's schema allows
    /// (variants of any JSON type, targeting rules), which x-kubernetes-preserve-unknown-fields expresses.
    /// </summary>
    public const string Crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: featureflags.core.openfeature.dev
        spec:
          group: core.openfeature.dev
          names: {kind: FeatureFlag, listKind: FeatureFlagList, plural: featureflags, singular: featureflag}
          scope: Namespaced
          versions:
            - name: v1beta1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      properties:
                        flagSpec:
                          type: object
                          properties:
                            flags:
                              type: object
                              x-kubernetes-preserve-unknown-fields: true
                          x-kubernetes-preserve-unknown-fields: true
        """;

    /// <summary>A FeatureFlag whose flag serves variant "on" by default, with "off" defined.</summary>
    public static string FeatureFlag() => $$$"""
        apiVersion: core.openfeature.dev/v1beta1
        kind: FeatureFlag
        metadata:
          name: {{{ResourceName}}}
        spec:
          flagSpec:
            flags:
              {{{Flag}}}:
                state: ENABLED
                variants: {"on": true, "off": false}
                defaultVariant: "on"
        """;

    /// <summary>The playbook's "disable the feature" through OpenFeature: defaultVariant "off" while the incident lasts.</summary>
    /// <param name="allowedFlags">The policy's allowedFlags.</param>
    /// <param name="selector">The policy's Deployment selector (YAML), when others share the namespace.</param>
    public static string RunbookAndPolicy(string allowedFlags, string selector = "{}") => $$$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata:
          name: {{{RunbookName}}}
        spec:
          title: Memory-hungry feature (OpenFeature)
          severity: SEV-3
          signals: [OOMKilled]
          steps:
            - name: {{{Step}}}
              when: {recentRollout: false}
              action:
                type: FeatureFlag
                featureFlag:
                  flag: {{{Flag}}}
                  value: "off"
                  provider: OpenFeature
                  openFeature: {name: {{{ResourceName}}} }
                  revertOnResolve: true
              verify: {window: 1s, timeout: 60s, checks: [Available, NoNewSignal]}
              onFailure: {action: Escalate}
          escalation:
            contacts: ["@oncall"]
        ---
        {{{ExhaustionManifests.OomPolicy(RunbookName, selector, $"allowedFlags: [{allowedFlags}]")}}}
        """;
}
