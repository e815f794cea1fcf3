using IncidentResponder.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests;

/// <summary>Least privilege, checked on what is installed (config/rbac via kustomize) and on the chart's rule blocks.</summary>
public sealed class RbacTests
{
    private const string SystemNamespace = "incident-responder-system";
    private static readonly string[] Kinds = ["incidents", "runbooks", "remediationpolicies"];

    private static async Task<IReadOnlyList<YamlMappingNode>> RolesAsync() =>
        (await Installed.ObjectsAsync()).Where(o => o.Kind() is "Role" or "ClusterRole").ToList();

    private static async Task<YamlMappingNode> RoleAsync(string kind, string name) =>
        (await RolesAsync()).Single(r => r.Kind() == kind && r.Name() == name);

    /// <summary>Every rule list anyone installs: the rendered Roles and ClusterRoles, and the chart's blocks.</summary>
    private static async Task<IReadOnlyList<(string Source, RbacRule Rule)>> AllRulesAsync() =>
    [
        .. (await RolesAsync()).SelectMany(r => RbacRule.Of(r).Select(rule => (r.Describe(), rule))),
        .. Chart.RuleBlocks().SelectMany(b => b.Value.Select(rule => ($"chart rules.{b.Key}", rule))),
    ];

    [Fact]
    public async Task No_rule_uses_a_wildcard()
    {
        var rules = await AllRulesAsync();

        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.DoesNotContain(r.Rule.AllStrings, s => s.Contains('*', StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Every_rule_names_api_groups_resources_and_verbs()
    {
        var rules = await AllRulesAsync();

        Assert.All(rules, r =>
        {
            Assert.True(r.Rule.ApiGroups.Count > 0 && r.Rule.Resources.Count > 0 && r.Rule.Verbs.Count > 0, $"{r.Source} has an incomplete rule");
            Assert.Empty(r.Rule.NonResourceUrls);
        });
    }

    [Fact]
    public async Task Secrets_can_never_be_listed_or_watched()
    {
        var rules = await AllRulesAsync();

        var secretGrants = rules.SelectMany(r => r.Rule.Grants.Where(g => g is { ApiGroup: "", Resource: "secrets" }).Select(g => (r.Source, g)));
        Assert.All(secretGrants, s => Assert.True(s.g.Verb == "get", $"{s.Source} grants {s.g}; only get by name is allowed"));
    }

    [Fact]
    public async Task No_role_that_can_read_secrets_is_bound_cluster_wide()
    {
        var objects = await Installed.ObjectsAsync();
        var readsSecrets = objects
            .Where(o => o.Kind() == "ClusterRole" && RbacRule.GrantsOf(RbacRule.Of(o)).Any(g => g.Resource == "secrets"))
            .Select(o => o.Name())
            .ToHashSet();

        Assert.All(objects.Where(o => o.Kind() == "ClusterRoleBinding"),
            b => Assert.DoesNotContain(b.Str("roleRef.name") ?? string.Empty, readsSecrets));
        Assert.All(objects.Where(o => o.Kind() == "RoleBinding" && readsSecrets.Contains(o.Str("roleRef.name")!)),
            b => Assert.False(string.IsNullOrEmpty(b.Namespace())));
    }

    [Fact]
    public async Task The_manager_role_grants_nothing_beyond_what_an_incident_responder_needs()
    {
        var grants = RbacRule.GrantsOf(RbacRule.Of(await RoleAsync("ClusterRole", "incident-responder-manager")));

        // Each of these would let a bug, or whoever controls the operator, do far more than remediate.
        Grant[] forbidden =
        [
            new("", "secrets", "get"), new("", "secrets", "list"), new("", "secrets", "watch"),
            new("apps", "deployments", "create"), new("apps", "deployments", "delete"),
            // replicasets patch is granted: RBAC cannot narrow it to the last-known-good evidence annotation the operator
            // writes (incidentresponder.dev/available-since); the audit-log RBAC test proves nothing else is patched.
            new("apps", "replicasets", "delete"),
            // pods delete is granted: a runbook's rolloutUndo.forceRecreateStuckPods deletes a StatefulSet pod stuck on a
            // reverted revision, each delete conditional on the pod's uid. Deleting workloads or their history is not.
            new("apps", "statefulsets", "delete"), new("apps", "daemonsets", "delete"), new("apps", "controllerrevisions", "delete"),
            new("apps", "controllerrevisions", "patch"), new("", "pods/exec", "create"), new("", "pods/eviction", "create"),
            new("", "nodes", "get"), new("", "nodes", "patch"), new("", "namespaces", "delete"),
            new("", "serviceaccounts/token", "create"), new("", "configmaps", "delete"), new("", "configmaps", "update"),
            new("apiextensions.k8s.io", "customresourcedefinitions", "create"),
            new("incidentresponder.dev", "runbooks", "update"), new("incidentresponder.dev", "remediationpolicies", "update"),
        ];
        Assert.All(forbidden, f => Assert.DoesNotContain(f, grants));
        Assert.DoesNotContain(grants, g => g.ApiGroup == "rbac.authorization.k8s.io");
        Assert.DoesNotContain(grants, g => g.Verb is "escalate" or "bind" or "impersonate" or "deletecollection");
        Assert.DoesNotContain(grants, g => g.Resource == "leases");
    }

    [Fact]
    public async Task The_manager_role_covers_detection_actions_and_records()
    {
        var grants = RbacRule.GrantsOf(RbacRule.Of(await RoleAsync("ClusterRole", "incident-responder-manager")));

        // The features built today; the operator's RBAC coverage test checks the full list against what it calls.
        Grant[] needed =
        [
            new("apps", "deployments", "watch"), new("apps", "deployments", "get"), new("apps", "deployments", "patch"),
            new("apps", "replicasets", "list"), new("apps", "replicasets", "get"), new("", "pods", "watch"),
            new("events.k8s.io", "events", "create"), new("events.k8s.io", "events", "patch"),
            new("incidentresponder.dev", "incidents", "create"), new("incidentresponder.dev", "incidents/status", "patch"),
            new("incidentresponder.dev", "runbooks/status", "patch"), new("incidentresponder.dev", "remediationpolicies/status", "patch"),
        ];
        Assert.All(needed, n => Assert.Contains(n, grants));
        Assert.All(Kinds, kind => Assert.Contains(new Grant("incidentresponder.dev", kind, "watch"), grants));
    }

    [Fact]
    public async Task Leader_election_is_granted_only_in_the_system_namespace()
    {
        var role = await RoleAsync("Role", "incident-responder-leader-election");

        Assert.Equal(SystemNamespace, role.Namespace());
        var grants = RbacRule.GrantsOf(RbacRule.Of(role));
        Assert.Equal(
            new HashSet<string> { "get", "create", "update" },
            grants.Where(g => g is { ApiGroup: "coordination.k8s.io", Resource: "leases" }).Select(g => g.Verb).ToHashSet());
        Assert.All(grants, g => Assert.Equal(new Grant("coordination.k8s.io", "leases", g.Verb), g));
        Assert.DoesNotContain((await RolesAsync()).Where(r => r.Kind() == "ClusterRole"),
            r => RbacRule.GrantsOf(RbacRule.Of(r)).Any(g => g.Resource == "leases"));
    }

    [Fact]
    public async Task Aggregated_view_role_lets_viewers_read_all_three_kinds()
    {
        var view = await RoleAsync("ClusterRole", "incident-responder-view");

        Assert.Equal("true", view.Label("rbac.authorization.k8s.io/aggregate-to-view"));
        var grants = RbacRule.GrantsOf(RbacRule.Of(view));
        Assert.All(Kinds, kind => Assert.All(new[] { "get", "list", "watch" },
            verb => Assert.Contains(new Grant("incidentresponder.dev", kind, verb), grants)));
        Assert.All(grants, g => Assert.Contains(g.Verb, new[] { "get", "list", "watch" }));
    }

    [Fact]
    public async Task Aggregated_edit_role_lets_editors_and_admins_write_all_three_kinds_but_not_status()
    {
        var edit = await RoleAsync("ClusterRole", "incident-responder-edit");

        Assert.Equal("true", edit.Label("rbac.authorization.k8s.io/aggregate-to-edit"));
        Assert.Equal("true", edit.Label("rbac.authorization.k8s.io/aggregate-to-admin"));
        var grants = RbacRule.GrantsOf(RbacRule.Of(edit));
        Assert.All(Kinds, kind => Assert.All(new[] { "create", "update", "patch", "delete" },
            verb => Assert.Contains(new Grant("incidentresponder.dev", kind, verb), grants)));
        Assert.DoesNotContain(grants, g => g.Resource.EndsWith("/status", StringComparison.Ordinal) && g.Verb is not ("get" or "list" or "watch"));
    }

    [Fact]
    public async Task The_on_call_role_lets_people_run_incidents_with_kubectl_but_not_write_status_or_delete()
    {
        var onCall = await RoleAsync("ClusterRole", "incident-responder-on-call");

        var grants = RbacRule.GrantsOf(RbacRule.Of(onCall)).ToHashSet();
        Assert.Equal(
            new HashSet<Grant>
            {
                new("incidentresponder.dev", "incidents", "get"), new("incidentresponder.dev", "incidents", "list"),
                new("incidentresponder.dev", "incidents", "watch"), new("incidentresponder.dev", "incidents", "create"),
                new("incidentresponder.dev", "incidents", "patch"), new("incidentresponder.dev", "runbooks", "get"),
                new("authentication.k8s.io", "selfsubjectreviews", "create"),
            },
            grants);
    }

    [Fact]
    public async Task Only_the_on_call_role_lets_anyone_ask_who_they_are()
    {
        // The operator never needs to know who it is; a grant of selfsubjectreviews to it would be one nobody uses.
        var askers = (await RolesAsync()).Where(r => RbacRule.GrantsOf(RbacRule.Of(r)).Any(g => g.Resource == "selfsubjectreviews")).Select(r => r.Name());

        Assert.Equal(["incident-responder-on-call"], askers);
        Assert.DoesNotContain(Chart.RuleBlocks().Where(b => b.Key != "onCall"), b => b.Value.Any(rule => RbacRule.GrantsOf([rule]).Any(g => g.Resource == "selfsubjectreviews")));
    }

    [Theory]
    [InlineData("config/rbac/role.yaml")]
    [InlineData("config/rbac/leader_election_role.yaml")]
    [InlineData("config/rbac/aggregate_view_role.yaml")]
    [InlineData("config/rbac/aggregate_edit_role.yaml")]
    [InlineData("config/rbac/on_call_role.yaml")]
    public void Every_rule_is_preceded_by_a_comment_naming_the_feature_that_needs_it(string file)
    {
        var lines = RepositoryRoot.ReadText(file).Split('\n');

        var ruleStarts = Enumerable.Range(0, lines.Length).Where(i => lines[i].TrimStart().StartsWith("- apiGroups:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(ruleStarts);
        Assert.All(ruleStarts, i => Assert.True(i > 0 && lines[i - 1].TrimStart().StartsWith('#'),
            $"{file}:{i + 1}: a rule without a comment saying which feature needs it"));
    }
}
