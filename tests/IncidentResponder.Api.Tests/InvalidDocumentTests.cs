using IncidentResponder.Api.Tests.Support;

namespace IncidentResponder.Api.Tests;

/// <summary>
/// Invalid resources are rejected by the generated schema or a CEL rule, and the message names the field and says
/// what is wrong in words a person understands (the apiserver's wording).
/// </summary>
public sealed class InvalidDocumentTests
{
    private const string Incident = """
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Incident
        metadata: {name: inc}
        spec:
        """;

    private const string Runbook = """
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata: {name: rb}
        spec:
          title: Bad rollout
          signals: [RolloutStuck]
        """;

    private const string Policy = """
        apiVersion: incidentresponder.dev/v1alpha1
        kind: RemediationPolicy
        metadata: {name: rp}
        spec:
          signals: [{signal: RolloutStuck, runbookRef: {name: rb}}]
        """;

    /// <summary>Name, YAML, and the substrings the error messages must contain.</summary>
    public static TheoryData<string, string, string[]> Cases => new()
    {
        // Incident
        {
            "unknown severity", Incident + """

              targetRef: {name: checkout}
              signal: {type: CrashLoop}
              severity: SEV-9
            """,
            ["spec.severity: Unsupported value: \"SEV-9\": supported values: \"SEV-1\", \"SEV-2\", \"SEV-3\", \"SEV-4\""]
        },
        {
            "target without a name", Incident + """

              targetRef: {kind: Deployment}
              signal: {type: CrashLoop}
              severity: SEV-2
            """,
            ["spec.targetRef.name: Required value"]
        },
        {
            "no signal", Incident + """

              targetRef: {name: checkout}
              severity: SEV-2
            """,
            ["spec.signal: Required value"]
        },
        {
            "target name that is no DNS name", Incident + """

              targetRef: {name: Checkout_API}
              signal: {type: CrashLoop}
              severity: SEV-2
            """,
            ["spec.targetRef.name: Invalid value: \"Checkout_API\": spec.targetRef.name in body should match '^[a-z0-9]"]
        },
        {
            "target of a kind no incident can be about", Incident + """

              targetRef: {name: db, kind: ReplicaSet}
              signal: {type: CrashLoop}
              severity: SEV-2
            """,
            ["spec.targetRef.kind: Invalid value: \"ReplicaSet\": spec.targetRef.kind in body should match '^(Deployment|StatefulSet|DaemonSet|CronJob)$'"]
        },
        {
            "unknown signal type", Incident + """

              targetRef: {name: checkout}
              signal: {type: Meltdown}
              severity: SEV-2
            """,
            ["spec.signal.type: Unsupported value: \"Meltdown\": supported values: \"RolloutStuck\", \"CrashLoop\""]
        },
        {
            "a resolution without a reason", Incident + """

              targetRef: {name: checkout}
              signal: {type: CrashLoop}
              severity: SEV-2
              resolution: {outcome: Resolved, by: alice, at: "2026-12-08T10:00:00Z"}
            """,
            ["spec.resolution.reason: Required value"]
        },
        {
            "a resolution with an empty reason", Incident + """

              targetRef: {name: checkout}
              signal: {type: CrashLoop}
              severity: SEV-2
              resolution: {outcome: Cancelled, reason: "", by: alice, at: "2026-12-08T10:00:00Z"}
            """,
            ["spec.resolution.reason: Invalid value: \"\": spec.resolution.reason in body should be at least 1 chars long"]
        },
        {
            "a hand-back without its time", Incident + """

              targetRef: {name: checkout}
              signal: {type: CrashLoop}
              severity: SEV-2
              handback: {by: alice}
            """,
            ["spec.handback.at: Required value: a hand-back needs 'at'"]
        },
        {
            "a reopen without its time", Incident + """

              targetRef: {name: checkout}
              signal: {type: CrashLoop}
              severity: SEV-2
              reopen: {by: alice, reason: still failing}
            """,
            ["spec.reopen.at: Required value: a reopen needs 'at'"]
        },
        {
            "an approval that names nobody", Incident + """

              targetRef: {name: checkout}
              signal: {type: CrashLoop}
              severity: SEV-2
              approvals: [{step: undo}]
            """,
            ["spec.approvals[0].by: Required value"]
        },
        {
            "the same step approved twice", Incident + """

              targetRef: {name: checkout}
              signal: {type: CrashLoop}
              severity: SEV-2
              approvals: [{step: undo, by: alice}, {step: undo, by: bob}]
            """,
            ["spec.approvals[1]: Duplicate value: map[string]interface {}{\"step\":\"undo\"}"]
        },
        {
            "summary longer than 1024 characters", Incident + $"""

              targetRef: {"{"}name: checkout{"}"}
              signal: {"{"}type: CrashLoop{"}"}
              severity: SEV-2
              summary: {new string('x', 1500)}
            """,
            ["spec.summary: Too long: may not be more than 1024 bytes"]
        },

        // Runbook
        {
            "unknown action type", Runbook + """

              steps: [{name: reboot, action: {type: Reboot}}]
            """,
            ["spec.steps[0].action.type: Unsupported value: \"Reboot\": supported values: \"RolloutUndo\", \"Scale\""]
        },
        {
            "onFailure.step naming no step", Runbook + """

              steps:
                - {name: undo, action: {type: RolloutUndo}, onFailure: {action: GoTo, step: nowhere}}
            """,
            ["spec.steps: Invalid value: \"array\": a step's onFailure.step must name another step of this runbook"]
        },
        {
            "onFailure.step naming the step itself", Runbook + """

              steps:
                - {name: undo, action: {type: RolloutUndo}, onFailure: {action: GoTo, step: undo}}
            """,
            ["spec.steps: Invalid value: \"array\": a step's onFailure.step must not name the step itself (that would loop)"]
        },
        {
            "GoTo without a step", Runbook + """

              steps:
                - {name: undo, action: {type: RolloutUndo}, onFailure: {action: GoTo}}
            """,
            ["spec.steps[0].onFailure: Invalid value: \"object\": onFailure.action GoTo needs 'step', the name of the step to go to"]
        },
        {
            "negative verification window", Runbook + """

              steps:
                - {name: undo, action: {type: RolloutUndo}, verify: {window: -5m}}
            """,
            ["spec.steps[0].verify.window: Invalid value: \"-5m\": spec.steps[0].verify.window in body should match '^([0-9]+"]
        },
        {
            "duration in words", Runbook + """

              steps:
                - {name: undo, action: {type: RolloutUndo}, verify: {timeout: five minutes}}
            """,
            ["spec.steps[0].verify.timeout: Invalid value: \"five minutes\": spec.steps[0].verify.timeout in body should match"]
        },
        {
            "verification window longer than its timeout", Runbook + """

              steps:
                - {name: undo, action: {type: RolloutUndo}, verify: {window: 10m, timeout: 5m}}
            """,
            ["spec.steps[0].verify: Invalid value: \"object\": verify.window must not be longer than verify.timeout"]
        },
        {
            "Scale with both delta and factor", Runbook + """

              steps:
                - {name: scale, action: {type: Scale, scale: {delta: 2, factor: 1.5}}}
            """,
            ["spec.steps[0].action.scale: Invalid value: \"object\": set exactly one of 'delta' (replicas to add) or 'factor' (multiply replicas)"]
        },
        {
            "Scale without settings", Runbook + """

              steps:
                - {name: scale, action: {type: Scale}}
            """,
            ["spec.steps[0].action: Invalid value: \"object\": a Scale action needs a 'scale' block (delta or factor)"]
        },
        {
            "scale settings on a RolloutUndo", Runbook + """

              steps:
                - {name: undo, action: {type: RolloutUndo, scale: {delta: 1}}}
            """,
            ["spec.steps[0].action: Invalid value: \"object\": 'scale' settings belong only to a Scale action"]
        },
        {
            "rolloutUndo settings on a Scale", Runbook + """

              steps:
                - {name: scale, action: {type: Scale, scale: {delta: 1}, rolloutUndo: {to: Previous}}}
            """,
            ["spec.steps[0].action: Invalid value: \"object\": 'rolloutUndo' settings belong only to a RolloutUndo action"]
        },
        {
            "scale factor out of range", Runbook + """

              steps:
                - {name: scale, action: {type: Scale, scale: {factor: 20}}}
            """,
            ["spec.steps[0].action.scale.factor: Invalid value: 20: spec.steps[0].action.scale.factor in body should be less than or equal to 10"]
        },
        {
            "Http flag provider without its block", Runbook + """

              steps:
                - {name: flag, action: {type: FeatureFlag, featureFlag: {flag: f, value: "off", provider: Http}}}
            """,
            ["spec.steps[0].action.featureFlag: Invalid value: \"object\": an Http flag provider needs an 'http' block with the endpoint"]
        },
        {
            "an http flag endpoint that may hold the operator for minutes", Runbook + """

              steps:
                - {name: flag, action: {type: FeatureFlag, featureFlag: {flag: f, value: "off", provider: Http, http: {url: "https://flags.example.com", timeout: 30s, retries: 5}}}}
            """,
            ["spec.steps[0].action.featureFlag.http.timeout: Invalid value: \"string\": timeout × (retries + 1) must be at most 60s"]
        },
        {
            "the default retries with a long timeout", Runbook + """

              steps:
                - {name: flag, action: {type: FeatureFlag, featureFlag: {flag: f, value: "off", provider: Http, http: {url: "https://flags.example.com", timeout: 1h}}}}
            """,
            ["spec.steps[0].action.featureFlag.http.timeout: Invalid value: \"string\": timeout × (retries + 1) must be at most 60s"]
        },
        {
            "no steps", Runbook + """

              steps: []
            """,
            ["spec.steps: Invalid value: 0: spec.steps in body should have at least 1 items"]
        },
        {
            "too many steps", Runbook + "\n  steps:\n" + string.Concat(Enumerable.Range(1, 25).Select(i => $"    - {{name: note-{i}, action: {{type: Note, note: n}}}}\n")),
            ["spec.steps: Too many: 25: must have at most 20 items"]
        },
        {
            "two steps with one name", Runbook + """

              steps:
                - {name: undo, action: {type: RolloutUndo}}
                - {name: undo, action: {type: RestartRollout}}
            """,
            ["spec.steps[1]: Duplicate value: map[string]interface {}{\"name\":\"undo\"}"]
        },
        {
            "step name with spaces", Runbook + """

              steps: [{name: Roll Back, action: {type: RolloutUndo}}]
            """,
            ["spec.steps[0].name: Invalid value: \"Roll Back\": spec.steps[0].name in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'"]
        },
        {
            "no title", """
            apiVersion: incidentresponder.dev/v1alpha1
            kind: Runbook
            metadata: {name: rb}
            spec:
              signals: [RolloutStuck]
              steps: [{name: undo, action: {type: RolloutUndo}}]
            """,
            ["spec.title: Required value"]
        },
        {
            "steps that are not a list", Runbook + """

              steps: undo
            """,
            ["spec.steps: Invalid value: \"string\": spec.steps in body must be of type array: \"string\""]
        },

        // RemediationPolicy
        {
            "replica cap of zero", Policy + """

              guardrails: {maxReplicas: 0}
            """,
            ["spec.guardrails.maxReplicas: Invalid value: 0: spec.guardrails.maxReplicas in body should be greater than or equal to 1"]
        },
        {
            "replica cap as a word", Policy + """

              guardrails: {maxReplicas: ten}
            """,
            ["spec.guardrails.maxReplicas: Invalid value: \"string\": spec.guardrails.maxReplicas in body must be of type integer: \"string\""]
        },
        {
            "circuit breaker out of range", Policy + """

              guardrails: {circuitBreakerThreshold: 50}
            """,
            ["spec.guardrails.circuitBreakerThreshold: Invalid value: 50: spec.guardrails.circuitBreakerThreshold in body should be less than or equal to 20"]
        },
        {
            "negative cooldown", Policy + """

              guardrails: {cooldownPerTarget: -10m}
            """,
            ["spec.guardrails.cooldownPerTarget: Invalid value: \"-10m\": spec.guardrails.cooldownPerTarget in body should match"]
        },
        {
            "memory cap that is no quantity", Policy + """

              guardrails: {maxMemory: lots}
            """,
            ["spec.guardrails.maxMemory: Invalid value: \"lots\": spec.guardrails.maxMemory in body should match"]
        },
        {
            "per-target budget above the namespace budget", Policy + """

              guardrails:
                maxActionsPerTarget: {count: 20, window: 1h}
                maxActionsPerNamespace: {count: 10, window: 1h}
            """,
            ["spec.guardrails: Invalid value: \"object\": maxActionsPerTarget.count cannot be larger than maxActionsPerNamespace.count"]
        },
        {
            "detection thresholds both zero", Policy + """

              detection: {minAffectedPods: 0, minAffectedPercent: 0}
            """,
            ["spec.detection: Invalid value: \"object\": minAffectedPods and minAffectedPercent cannot both be 0"]
        },
        {
            "unknown mode", Policy + """

              modes: {default: Yolo}
            """,
            ["spec.modes.default: Unsupported value: \"Yolo\": supported values: \"Automatic\", \"DryRun\", \"RequireApproval\""]
        },
        {
            "no signals", """
            apiVersion: incidentresponder.dev/v1alpha1
            kind: RemediationPolicy
            metadata: {name: rp}
            spec:
              paused: true
            """,
            ["spec.signals: Required value"]
        },
        {
            "one signal routed twice", """
            apiVersion: incidentresponder.dev/v1alpha1
            kind: RemediationPolicy
            metadata: {name: rp}
            spec:
              signals:
                - {signal: CrashLoop, runbookRef: {name: a}}
                - {signal: CrashLoop, runbookRef: {name: b}}
            """,
            ["spec.signals[1]: Duplicate value: map[string]interface {}{\"signal\":\"CrashLoop\"}"]
        },
        {
            "selector with an unknown operator", Policy + """

              selector:
                matchExpressions: [{key: tier, operator: Like, values: [api]}]
            """,
            ["spec.selector.matchExpressions[0].operator: Unsupported value: \"Like\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\""]
        },
        {
            "notification secret without a key", Policy + """

              notifications:
                targets: [{name: slack, type: Slack, secretRef: {name: slack-webhook}}]
            """,
            ["spec.notifications.targets[0].secretRef.key: Required value"]
        },
        {
            "buttons on a PagerDuty target", Policy + """

              notifications:
                targets:
                  - {name: pager, type: PagerDuty, secretRef: {name: pagerduty, key: routing-key}, interactivity: {signingSecretRef: {name: slack-app, key: signing-secret}}}
            """,
            ["spec.notifications.targets[0].interactivity: Invalid value: \"object\": interactivity is for Slack targets only: remove it, or set type: Slack"]
        },
        {
            "a Slack user named twice, or by a display name instead of a member ID", Policy + """

              notifications:
                targets:
                  - name: slack
                    type: Slack
                    secretRef: {name: slack-webhook, key: url}
                    interactivity:
                      signingSecretRef: {name: slack-app, key: signing-secret}
                      users: [{slackUserId: U024BE7LH, name: alice}, {slackUserId: U024BE7LH, name: bob}, {slackUserId: "@amy", name: amy}]
            """,
            ["spec.notifications.targets[0].interactivity.users[1]: Duplicate value", "spec.notifications.targets[0].interactivity.users[2].slackUserId: Invalid value: \"@amy\""]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Document_is_rejected_with_a_message_naming_the_field_and_the_problem(string name, string yaml, string[] expected)
    {
        var admission = GeneratedSchemas.Admit(YamlJson.Document(yaml));

        var messages = admission.Errors.Select(error => error.ToString()).ToList();
        Assert.False(admission.IsValid, $"{name}: the document was accepted");
        foreach (var substring in expected)
        {
            Assert.True(
                messages.Any(message => message.Contains(substring, StringComparison.Ordinal)),
                $"{name}: no error contains\n  {substring}\nErrors:\n  {string.Join("\n  ", messages)}");
        }

        Assert.Empty(admission.Warnings);
    }

    [Fact]
    public void There_are_at_least_twenty_cases_across_all_three_kinds()
    {
        var yamls = Cases.Select(row => row.Data.Item2).ToList();
        Assert.True(yamls.Count >= 20);
        Assert.Contains(yamls, yaml => yaml.Contains("kind: Incident", StringComparison.Ordinal));
        Assert.Contains(yamls, yaml => yaml.Contains("kind: Runbook", StringComparison.Ordinal));
        Assert.Contains(yamls, yaml => yaml.Contains("kind: RemediationPolicy", StringComparison.Ordinal));
    }
}
