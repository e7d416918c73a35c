//! RBAC and network checks: scoping across objects, every grant pattern, and
//! the position of every kind of finding.

use kubeward::{Engine, Finding, Source};

fn scan(text: &str) -> Vec<Finding> {
    let report = Engine::default().scan(&[Source::new("input.yaml", text.as_bytes())]);
    assert!(report.errors.is_empty(), "input does not load: {:?}", report.errors);
    report.findings
}

fn of<'f>(findings: &'f [Finding], check: &str) -> Vec<&'f Finding> {
    findings.iter().filter(|f| f.check == check).collect()
}

fn messages(findings: &[Finding], check: &str) -> Vec<String> {
    of(findings, check).into_iter().map(|f| f.message.clone()).collect()
}

/// Every kind of finding, on its check's failing example: (check, start line, start column,
/// end line, end column, JSON Pointer). Several rows for a check are its findings in order.
const POSITIONS: &[(&str, u32, u32, u32, u32, &str)] = &[
    ("cluster-admin-service-account", 10, 1, 12, 16, "/subjects/0"),
    ("cluster-role-binding-namespaced", 19, 1, 20, 19, "/subjects/0"),
    ("rbac-wildcard", 8, 11, 8, 14, "/rules/0/verbs/0"),
    ("rbac-secrets-read", 8, 15, 8, 22, "/rules/0/resources/0"),
    ("rbac-pod-exec", 8, 15, 8, 24, "/rules/0/resources/0"),
    ("rbac-escalation-verbs", 8, 11, 8, 22, "/rules/0/verbs/0"),
    ("rbac-create-bindings", 8, 15, 8, 27, "/rules/0/resources/0"),
    ("rbac-nodes-proxy", 7, 15, 7, 26, "/rules/0/resources/0"),
    ("rbac-serviceaccount-token", 8, 15, 8, 36, "/rules/0/resources/0"),
    ("rbac-csr-approval", 7, 15, 7, 50, "/rules/0/resources/0"),
    ("rbac-csr-approval", 10, 15, 10, 22, "/rules/1/resources/0"),
    ("automount-service-account-token", 1, 1, 5, 18, "/automountServiceAccountToken"),
    ("default-service-account", 8, 5, 11, 44, "/spec/template/spec/serviceAccountName"),
    ("deprecated-service-account-field", 6, 3, 6, 22, "/spec/serviceAccount"),
    ("aggregated-clusterrole-sensitive", 8, 1, 10, 21, "/rules/0"),
    ("binding-to-system-group", 10, 1, 12, 38, "/subjects/0"),
    ("workload-sensitive-permissions", 9, 7, 9, 30, "/spec/template/spec/serviceAccountName"),
    ("legacy-service-account-token", 8, 1, 8, 42, "/type"),
    ("binding-role-not-found", 6, 1, 9, 19, "/roleRef"),
    ("workload-in-shared-namespace", 5, 3, 5, 21, "/metadata/namespace"),
    ("namespace-default-deny", 4, 3, 4, 13, "/metadata/name"),
    ("netpol-allow-all-ingress", 11, 3, 12, 17, "/spec/ingress/0"),
    ("netpol-allow-all-egress", 11, 3, 11, 7, "/spec/egress/0"),
    ("netpol-dns-egress-unrestricted", 10, 3, 12, 32, "/spec/egress/0"),
    ("netpol-internet-egress", 12, 9, 12, 24, "/spec/egress/0/to/0/ipBlock/cidr"),
    ("workload-without-network-policy", 9, 7, 9, 25, "/spec/template/metadata/labels"),
    ("service-exposed", 7, 3, 7, 21, "/spec/type"),
    ("ingress-without-tls", 6, 1, 14, 51, "/spec/tls"),
    ("ingress-nginx-snippet", 7, 5, 9, 1, "/metadata/annotations/nginx.ingress.kubernetes.io~1configuration-snippet"),
    ("namespace-quotas", 4, 3, 4, 13, "/metadata/name"),
];

#[test]
fn every_kind_of_finding_is_positioned() {
    let checks = kubeward::checks();
    // Every RBAC check, and every network check of this suite (item 3.6's mesh check has its own tests).
    let ours: Vec<_> = checks
        .iter()
        .filter(|c| c.section == "rbac" || (c.section == "network" && POSITIONS.iter().any(|row| row.0 == c.id)))
        .collect();
    assert!(ours.len() >= POSITIONS.iter().map(|row| row.0).collect::<std::collections::BTreeSet<_>>().len());
    for check in &ours {
        let expected: Vec<_> = POSITIONS.iter().filter(|row| row.0 == check.id).collect();
        assert!(!expected.is_empty(), "{}: no position row", check.id);
        let findings = scan(&check.fail_example);
        let found: Vec<_> = of(&findings, &check.id)
            .into_iter()
            .map(|f| (f.range.start.line, f.range.start.column, f.range.end.line, f.range.end.column, f.path.as_str()))
            .collect();
        let expected: Vec<_> = expected.iter().map(|row| (row.1, row.2, row.3, row.4, row.5)).collect();
        assert_eq!(found, expected, "{}", check.id);
    }
}

const DEPLOYMENT_SHOP: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: web, tier: front}\n    spec:\n      serviceAccountName: web\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n";

fn policy(namespace: &str, selector: &str) -> String {
    format!(
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: {namespace}\nspec:\n  podSelector: {selector}\n  policyTypes: [Ingress, Egress]\n"
    )
}

#[test]
fn policies_select_by_labels_within_their_own_namespace_only() {
    let unselected =
        |extra: &str| !of(&scan(&format!("{DEPLOYMENT_SHOP}{extra}")), "workload-without-network-policy").is_empty();
    assert!(unselected(""), "no policy at all");
    assert!(unselected(&policy("other", "{}")), "a policy in another namespace does not apply");
    assert!(!unselected(&policy("shop", "{}")), "empty selector selects every pod");
    assert!(!unselected(&policy("shop", "{matchLabels: {app: web}}")));
    assert!(unselected(&policy("shop", "{matchLabels: {app: web, tier: back}}")));
    assert!(!unselected(&policy("shop", "{matchExpressions: [{key: tier, operator: In, values: [front, back]}]}")));
    assert!(unselected(&policy("shop", "{matchExpressions: [{key: tier, operator: NotIn, values: [front]}]}")));
    assert!(!unselected(&policy("shop", "{matchExpressions: [{key: app, operator: Exists}]}")));
    assert!(unselected(&policy("shop", "{matchExpressions: [{key: app, operator: DoesNotExist}]}")));
    // The default-deny of another namespace does not cover this one either.
    let findings = scan(&format!("{DEPLOYMENT_SHOP}{}", policy("other", "{}")));
    let deny = messages(&findings, "namespace-default-deny");
    assert_eq!(deny.len(), 1, "{deny:?}");
    assert!(
        deny[0].starts_with("namespace \"shop\" has no default-deny NetworkPolicy for ingress and egress"),
        "{deny:?}"
    );
    assert!(deny[0].contains("reported on its first object, Deployment \"web\""), "{deny:?}");
    // It attaches to that object's metadata.namespace.
    let anchored = of(&findings, "namespace-default-deny");
    let at = (
        anchored[0].object.kind.as_str(),
        anchored[0].path.as_str(),
        anchored[0].range.start.line,
        anchored[0].range.start.column,
    );
    assert_eq!(at, ("Deployment", "/metadata/namespace", 5, 3));
    // With no namespace written at all, the object is in its directory's unnamed namespace,
    // which namespace-level checks cannot judge...
    let unnamed = scan(&DEPLOYMENT_SHOP.replace("  namespace: shop\n", ""));
    assert!(of(&unnamed, "namespace-quotas").is_empty() && of(&unnamed, "namespace-default-deny").is_empty());
    // ...unless the configuration names the namespace such objects go to, as `kubectl -n` does;
    // the finding then attaches to metadata and says the object names none.
    let text = DEPLOYMENT_SHOP.replace("  namespace: shop\n", "");
    let engine = Engine::from_config_text("defaultNamespace: default\n").unwrap();
    let unnamed = engine.scan(&[Source::new("input.yaml", text.as_bytes())]).findings;
    let quotas = of(&unnamed, "namespace-quotas");
    assert_eq!(quotas.len(), 1);
    assert_eq!(
        (quotas[0].path.as_str(), quotas[0].range.start.line, quotas[0].range.start.column),
        ("/metadata", 3, 1)
    );
    assert!(quotas[0].message.starts_with("namespace \"default\" has no LimitRange and no ResourceQuota (no Namespace object in the input; reported on its first object, Deployment \"web\", which names no namespace)"), "{}", quotas[0].message);
}

#[test]
fn default_deny_needs_both_directions_and_only_in_production() {
    let ingress_only = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: shop\nspec:\n  podSelector: {}\n  egress: []\n";
    let findings = scan(&format!("{DEPLOYMENT_SHOP}---\n{ingress_only}"));
    // Without policyTypes, an empty egress list does not make the policy restrict egress.
    let deny = messages(&findings, "namespace-default-deny");
    assert!(deny.len() == 1 && deny[0].contains("for egress"), "{deny:?}");
    let system = DEPLOYMENT_SHOP.replace("namespace: shop", "namespace: kube-system");
    assert!(of(&scan(&system), "namespace-default-deny").is_empty(), "kube-system is not production by default");
    let engine = Engine::from_config_text("production:\n  namespaces: [prod-*]\n").expect("valid config");
    let report = engine.scan(&[Source::new("input.yaml", DEPLOYMENT_SHOP.as_bytes())]);
    assert!(report.findings.iter().all(|f| f.check != "namespace-default-deny"), "shop is not production here");
    assert!(report.findings.iter().any(|f| f.check == "namespace-quotas"), "quotas apply to every namespace");
}

const ROLE_SECRETS: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: secret-reader\nrules:\n- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [list]\n";

fn role_binding(namespace: &str, role_kind: &str, role: &str, subject_namespace: Option<&str>) -> String {
    let subject_namespace = subject_namespace.map_or_else(String::new, |ns| format!("\n  namespace: {ns}"));
    format!(
        "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: web\n  namespace: {namespace}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: {role_kind}\n  name: {role}\nsubjects:\n- kind: ServiceAccount\n  name: web{subject_namespace}\n"
    )
}

#[test]
fn role_binding_to_a_cluster_role_grants_in_its_namespace() {
    let findings = scan(&format!(
        "{DEPLOYMENT_SHOP}---\n{ROLE_SECRETS}{}",
        role_binding("shop", "ClusterRole", "secret-reader", None)
    ));
    let joined = messages(&findings, "workload-sensitive-permissions");
    assert_eq!(joined.len(), 1, "{joined:?}");
    assert!(joined[0].contains("ServiceAccount \"shop/web\", which can read secrets in namespace \"shop\" through RoleBinding \"shop/web\" (ClusterRole \"secret-reader\" at /rules/0)"), "{joined:?}");
    let binding = of(&findings, "workload-sensitive-permissions")[0];
    assert_eq!((binding.range.start.line, binding.range.start.column), (11, 7));
}

#[test]
fn subjects_in_other_namespaces_are_joined_to_their_own_namespace() {
    // A RoleBinding in "vault" naming the service account shop/web: shop's workload can read vault's secrets.
    let text = format!(
        "{DEPLOYMENT_SHOP}---\n{ROLE_SECRETS}{}",
        role_binding("vault", "ClusterRole", "secret-reader", Some("shop"))
    );
    let joined = messages(&scan(&text), "workload-sensitive-permissions");
    assert!(joined.len() == 1 && joined[0].contains("read secrets in namespace \"vault\""), "{joined:?}");
    // Without a namespace on the subject, it is the binding's namespace: shop/web is not named.
    let text =
        format!("{DEPLOYMENT_SHOP}---\n{ROLE_SECRETS}{}", role_binding("vault", "ClusterRole", "secret-reader", None));
    assert!(of(&scan(&text), "workload-sensitive-permissions").is_empty());
}

#[test]
fn missing_roles_are_reported_not_guessed() {
    let findings = scan(&format!("{DEPLOYMENT_SHOP}{}", role_binding("shop", "Role", "secret-reader", None)));
    assert!(of(&findings, "workload-sensitive-permissions").is_empty());
    let missing = messages(&findings, "binding-role-not-found");
    assert_eq!(missing, ["RoleBinding \"shop/web\" refers to Role \"shop/secret-reader\" in namespace \"shop\", which is not in the input: its permissions were not evaluated"]);
    // A Role of the same name in another namespace is not the one referred to.
    let elsewhere = ROLE_SECRETS
        .replace("kind: ClusterRole", "kind: Role")
        .replace("name: secret-reader", "name: secret-reader\n  namespace: other");
    let findings =
        scan(&format!("{DEPLOYMENT_SHOP}---\n{elsewhere}{}", role_binding("shop", "Role", "secret-reader", None)));
    assert_eq!(of(&findings, "binding-role-not-found").len(), 1);
    // cluster-admin is built in and known.
    let findings = scan(&format!("{DEPLOYMENT_SHOP}{}", role_binding("shop", "ClusterRole", "cluster-admin", None)));
    assert!(of(&findings, "binding-role-not-found").is_empty());
    assert_eq!(of(&findings, "cluster-admin-service-account").len(), 1);
    let admin = of(&findings, "workload-sensitive-permissions");
    assert!(admin.len() == 1 && admin[0].severity == kubeward::Severity::Critical, "{admin:?}");
}

#[test]
fn a_role_equivalent_to_cluster_admin_is_cluster_admin() {
    let role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: all\n  namespace: shop\nrules:\n- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]\n";
    let findings = scan(&format!("{role}{}", role_binding("shop", "Role", "all", None)));
    let admin = messages(&findings, "cluster-admin-service-account");
    assert_eq!(admin, ["RoleBinding \"shop/web\" binds ServiceAccount \"shop/web\" to Role \"shop/all\", which grants `*` verbs on `*` resources in `*` groups like cluster-admin in namespace \"shop\""]);
}

fn role_with(rule: &str) -> String {
    format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules:\n{rule}")
}

#[test]
fn every_sensitive_grant_pattern() {
    let cases: &[(&str, &str, bool)] = &[
        ("rbac-secrets-read", "- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [get]\n", true),
        ("rbac-secrets-read", "- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [watch]\n", true),
        ("rbac-secrets-read", "- apiGroups: [\"*\"]\n  resources: [secrets]\n  verbs: [\"*\"]\n", true),
        ("rbac-secrets-read", "- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [create, delete]\n", false),
        ("rbac-secrets-read", "- apiGroups: [apps]\n  resources: [secrets]\n  verbs: [get]\n", false),
        ("rbac-pod-exec", "- apiGroups: [\"\"]\n  resources: [pods/attach]\n  verbs: [create]\n", true),
        ("rbac-pod-exec", "- apiGroups: [\"\"]\n  resources: [pods/exec]\n  verbs: [get]\n", true),
        ("rbac-pod-exec", "- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [create]\n", false),
        ("rbac-escalation-verbs", "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterroles]\n  verbs: [bind]\n", true),
        ("rbac-escalation-verbs", "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [roles]\n  verbs: [escalate]\n", true),
        ("rbac-escalation-verbs", "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [roles]\n  verbs: [get, create]\n", false),
        ("rbac-create-bindings", "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterrolebindings]\n  verbs: [create]\n", true),
        ("rbac-create-bindings", "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [rolebindings]\n  verbs: [patch]\n", true),
        ("rbac-create-bindings", "- apiGroups: [\"\"]\n  resources: [rolebindings]\n  verbs: [create]\n", false),
        ("rbac-nodes-proxy", "- apiGroups: [\"\"]\n  resources: [nodes/proxy]\n  verbs: [create]\n", true),
        ("rbac-nodes-proxy", "- apiGroups: [\"\"]\n  resources: [nodes, nodes/metrics]\n  verbs: [get]\n", false),
        ("rbac-serviceaccount-token", "- apiGroups: [\"\"]\n  resources: [serviceaccounts/token]\n  verbs: [\"*\"]\n", true),
        ("rbac-serviceaccount-token", "- apiGroups: [\"\"]\n  resources: [serviceaccounts/token]\n  verbs: [get]\n", false),
        ("rbac-csr-approval", "- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests/approval]\n  verbs: [patch]\n", true),
        ("rbac-csr-approval", "- apiGroups: [certificates.k8s.io]\n  resources: [signers]\n  verbs: [approve]\n", true),
        ("rbac-csr-approval", "- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests]\n  verbs: [create]\n", false),
        ("rbac-wildcard", "- apiGroups: [\"*\"]\n  resources: [deployments]\n  verbs: [get]\n", true),
        ("rbac-wildcard", "- apiGroups: [apps]\n  resources: [\"*\"]\n  verbs: [get]\n", true),
        ("rbac-wildcard", "- apiGroups: [apps]\n  resources: [deployments]\n  verbs: [\"*\"]\n", true),
        ("rbac-wildcard", "- apiGroups: [apps]\n  resources: [deployments]\n  verbs: [get]\n", false),
    ];
    for (check, rule, flagged) in cases {
        let found = of(&scan(&role_with(rule)), check).len();
        assert_eq!(found > 0, *flagged, "{check} on {rule:?}");
    }
    // A resource wildcard is rbac-wildcard's finding, and it names what it includes.
    let findings = scan(&role_with("- apiGroups: [\"\"]\n  resources: [\"*\"]\n  verbs: [get]\n"));
    assert!(of(&findings, "rbac-secrets-read").is_empty());
    let wildcard = messages(&findings, "rbac-wildcard");
    assert_eq!(
        wildcard,
        ["ClusterRole \"r\" uses `*` in resources (rule 0), which includes get on secrets, get on pods/exec"]
    );
    // resourceNames lowers the severity.
    let named = scan(&role_with(
        "- apiGroups: [\"\"]\n  resources: [secrets]\n  resourceNames: [app-config]\n  verbs: [get]\n",
    ));
    let named = of(&named, "rbac-secrets-read");
    assert!(named.len() == 1 && named[0].severity == kubeward::Severity::Medium, "{named:?}");
    // Full wildcards are critical.
    let full = scan(&role_with("- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]\n"));
    let full = of(&full, "rbac-wildcard");
    assert!(full.len() == 1 && full[0].severity == kubeward::Severity::Critical, "{full:?}");
}

#[test]
fn automount_is_one_finding_where_it_is_fixed() {
    let sa = |value: &str| {
        format!("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n{value}---\n")
    };
    let pod = |value: &str| {
        DEPLOYMENT_SHOP.replace("      serviceAccountName: web\n", &format!("      serviceAccountName: web\n{value}"))
    };
    // (kind of the object the finding is on, severity) for each finding.
    let flagged = |text: String| {
        of(&scan(&text), "automount-service-account-token")
            .iter()
            .map(|f| (f.object.kind.clone(), f.severity, f.message.clone()))
            .collect::<Vec<_>>()
    };
    // The ServiceAccount leaves the default: one finding, on it, naming the workload it gives a token.
    let found = flagged(format!("{}{}", sa(""), pod("")));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1), ("ServiceAccount", kubeward::Severity::Medium));
    assert!(found[0].2.ends_with("get an API token: pod template of Deployment \"web\""), "{}", found[0].2);
    assert!(flagged(format!("{}{}", sa("automountServiceAccountToken: false\n"), pod(""))).is_empty());
    assert!(
        flagged(format!("{}{}", sa("automountServiceAccountToken: true\n"), pod(""))).is_empty(),
        "an explicit true on the ServiceAccount is a declared need"
    );
    assert!(
        flagged(format!(
            "{}{}",
            sa("automountServiceAccountToken: false\n"),
            pod("      automountServiceAccountToken: true\n")
        ))
        .is_empty(),
        "explicit true on the pod is a declared need"
    );
    // The pod says no, but other pods of the ServiceAccount would get a token: a weaker finding.
    let found = flagged(format!("{}{}", sa(""), pod("      automountServiceAccountToken: false\n")));
    assert_eq!(
        found.iter().map(|f| (f.0.as_str(), f.1)).collect::<Vec<_>>(),
        [("ServiceAccount", kubeward::Severity::Low)]
    );
    // Without the ServiceAccount in the input, the pod is where the fix goes.
    let found = flagged(pod(""));
    assert_eq!(
        found.iter().map(|f| (f.0.as_str(), f.1)).collect::<Vec<_>>(),
        [("Deployment", kubeward::Severity::Medium)]
    );
    assert!(found[0].2.contains("ServiceAccount \"web\" is not in the input"), "{}", found[0].2);
}

#[test]
fn aggregation_rules_pull_in_sensitive_roles() {
    let text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: monitoring\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels:\n      example.com/aggregate-to-monitoring: \"true\"\nrules: []\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: monitoring-secrets\n  labels:\n    example.com/aggregate-to-monitoring: \"true\"\nrules:\n- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [watch]\n";
    let findings = scan(text);
    let aggregated = of(&findings, "aggregated-clusterrole-sensitive");
    assert_eq!(aggregated.len(), 1);
    assert_eq!(aggregated[0].message, "ClusterRole \"monitoring\" aggregates ClusterRole \"monitoring-secrets\", whose rule 0 grants watch on secrets");
    assert_eq!((aggregated[0].range.start.line, aggregated[0].path.as_str()), (5, "/aggregationRule"));
}

#[test]
fn bindings_to_anonymous_and_all_users() {
    let binding = |group: &str| {
        format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n- kind: Group\n  name: {group}\n")
    };
    for (group, severity) in [
        ("system:anonymous", kubeward::Severity::Critical),
        ("system:unauthenticated", kubeward::Severity::Critical),
        ("system:authenticated", kubeward::Severity::High),
        ("system:masters", kubeward::Severity::Medium),
    ] {
        let findings = scan(&binding(group));
        let found = of(&findings, "binding-to-system-group");
        assert!(found.len() == 1 && found[0].severity == severity, "{group}: {found:?}");
    }
    assert!(of(&scan(&binding("sre")), "binding-to-system-group").is_empty());
}

fn egress_policy(rule: &str) -> String {
    format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  podSelector: {{}}\n  policyTypes: [Egress]\n  egress:\n{rule}")
}

#[test]
fn ipv6_and_ipv4_everything_blocks() {
    for cidr in ["0.0.0.0/0", "::/0"] {
        let findings = scan(&egress_policy(&format!(
            "  - to:\n    - ipBlock:\n        cidr: \"{cidr}\"\n        except: [\"fd00::/8\"]\n"
        )));
        let internet = messages(&findings, "netpol-internet-egress");
        assert_eq!(internet.len(), 1, "{cidr}");
        assert!(internet[0].contains(if cidr.contains(':') { "every IPv6 address" } else { "every IPv4 address" }));
        assert!(internet[0].ends_with("its except list does not make it restricted"));
        assert_eq!(of(&findings, "netpol-allow-all-egress").len(), 1, "{cidr}");
    }
    let findings = scan(&egress_policy("  - to:\n    - ipBlock:\n        cidr: 2001:db8::/32\n"));
    assert!(of(&findings, "netpol-internet-egress").is_empty());
    let ingress = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: ::/0\n";
    assert_eq!(of(&scan(ingress), "netpol-allow-all-ingress").len(), 1);
}

#[test]
fn dns_egress_only_to_kube_dns() {
    let dns = |to: &str| egress_policy(&format!("  - to:\n{to}    ports:\n    - {{port: 53, protocol: UDP}}\n"));
    let flagged = |text: String| !of(&scan(&text), "netpol-dns-egress-unrestricted").is_empty();
    let kube_dns = "    - namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: kube-system}\n      podSelector:\n        matchLabels: {k8s-app: kube-dns}\n";
    assert!(!flagged(dns(kube_dns)));
    assert!(
        flagged(dns("    - namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: kube-system}\n")),
        "every pod of kube-system"
    );
    assert!(
        flagged(dns("    - namespaceSelector: {}\n      podSelector:\n        matchLabels: {k8s-app: kube-dns}\n")),
        "kube-dns-labelled pods of any namespace"
    );
    assert!(
        flagged(dns("    - podSelector:\n        matchLabels: {k8s-app: kube-dns}\n")),
        "pods of the policy's own namespace"
    );
    assert!(!flagged(dns("    - ipBlock:\n        cidr: 169.254.20.10/32\n")), "node-local DNS cache");
    assert!(flagged(dns("    - ipBlock:\n        cidr: 8.8.8.0/24\n")));
    let named = egress_policy("  - ports:\n    - {port: dns, protocol: UDP}\n");
    assert!(flagged(named.clone()), "named port, no `to`");
    assert!(of(&scan(&named), "netpol-allow-all-egress").is_empty(), "a DNS-only rule is the DNS check's");
    // A port range through `endPort` that covers 53 opens DNS, and more than DNS.
    let range = |ports: &str| egress_policy(&format!("  - ports:\n    - {{{ports}, protocol: UDP}}\n"));
    for (covering, phrase) in [
        ("port: 1, endPort: 65535", "on port 1-65535/UDP"),
        ("port: 53, endPort: 60", "on port 53-60/UDP"),
        ("port: 40, endPort: 53", "on port 40-53/UDP"),
    ] {
        let findings = scan(&range(covering));
        assert_eq!(of(&findings, "netpol-dns-egress-unrestricted").len(), 1, "{covering}");
        let all = messages(&findings, "netpol-allow-all-egress");
        assert_eq!(all.len(), 1, "{covering}: more than DNS");
        assert!(all[0].contains(phrase), "{}", all[0]);
    }
    for missing in ["port: 54, endPort: 100", "port: 1, endPort: 52"] {
        let findings = scan(&range(missing));
        assert!(of(&findings, "netpol-dns-egress-unrestricted").is_empty(), "{missing}");
        assert_eq!(of(&findings, "netpol-allow-all-egress").len(), 1, "{missing}");
    }
    // A port is a number or a name, both valid; anything else is an invalid field.
    let ports = scan(&egress_policy(
        "  - ports:\n    - {port: 443, protocol: TCP}\n    - {port: https, protocol: TCP}\n    - {port: dns}\n",
    ));
    assert!(of(&ports, "invalid-field").is_empty(), "{:?}", messages(&ports, "invalid-field"));
    let listed = scan(&egress_policy("  - ports:\n    - {port: [53], protocol: UDP}\n"));
    assert_eq!(
        messages(&listed, "invalid-field"),
        ["field \"port\" is a list where Kubernetes expects an integer or string"]
    );
    let only_53 = scan(&range("port: 53, endPort: 53"));
    assert_eq!(of(&only_53, "netpol-dns-egress-unrestricted").len(), 1);
    assert!(of(&only_53, "netpol-allow-all-egress").is_empty(), "53 to 53 is DNS alone");
}

#[test]
fn exposure_ingress_and_tokens() {
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: NodePort\n  externalIPs: [203.0.113.7]\n  ports:\n  - port: 80\n";
    let found: Vec<_> = of(&scan(service), "service-exposed").iter().map(|f| (f.severity, f.path.clone())).collect();
    assert_eq!(
        found,
        [
            (kubeward::Severity::Low, "/spec/type".to_string()),
            (kubeward::Severity::Medium, "/spec/externalIPs".to_string())
        ]
    );
    let ingress = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  tls:\n  - hosts: [\"*.example.com\"]\n  rules:\n  - host: shop.example.com\n  - host: example.org\n";
    let tls = messages(&scan(ingress), "ingress-without-tls");
    assert_eq!(tls, ["Ingress \"i\" serves host \"example.org\", which no tls entry covers"]);
    let control_plane = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\n  labels: {component: kube-apiserver, tier: control-plane}\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.31.0\n";
    assert!(of(&scan(control_plane), "workload-in-shared-namespace").is_empty());
    let user = control_plane.replace("  labels: {component: kube-apiserver, tier: control-plane}\n", "");
    assert_eq!(of(&scan(&user), "workload-in-shared-namespace").len(), 1);
}

#[test]
fn cluster_role_bindings_that_need_cluster_scope_are_not_flagged() {
    let role = |resources: &str| {
        format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules:\n- apiGroups: [\"\"]\n  resources: [{resources}]\n  verbs: [get, list]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: r\nsubjects:\n- kind: ServiceAccount\n  name: agent\n  namespace: ops\n")
    };
    assert_eq!(of(&scan(&role("pods, services")), "cluster-role-binding-namespaced").len(), 1);
    assert!(of(&scan(&role("pods, nodes")), "cluster-role-binding-namespaced").is_empty());
    assert!(
        of(&scan(&role("widgets")), "cluster-role-binding-namespaced").is_empty(),
        "unknown resources may be cluster-scoped"
    );
}
