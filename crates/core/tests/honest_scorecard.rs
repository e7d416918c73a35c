//! The scorecard says only what the input can show: an item passes only when
//! the input could have shown it failing, findings count against the items
//! their words name (and copies count once), and the checklist's band is given
//! only when the items not assessed could not change it.

use kubeward::{Band, Engine, ItemStatus, Report, Source};

fn scan(files: &[(&str, &str)]) -> Report {
    let sources: Vec<Source<'_>> = files.iter().map(|(name, text)| Source::new(name, text.as_bytes())).collect();
    Engine::default().scan(&sources)
}

fn status(report: &Report, item: &str) -> ItemStatus {
    report.scorecard.items.iter().find(|i| i.id == item).unwrap().status
}

fn item_findings(report: &Report, item: &str) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none() && f.items.iter().any(|i| i == item))
        .map(|f| f.check.clone())
        .collect()
}

const HARDENED_POD: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      automountServiceAccountToken: false\n      serviceAccountName: web\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n        seccompProfile: {type: RuntimeDefault}\n      containers:\n      - name: app\n        image: registry.example.com/web:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n        securityContext:\n          allowPrivilegeEscalation: false\n          readOnlyRootFilesystem: true\n          capabilities: {drop: [ALL]}\n          appArmorProfile: {type: RuntimeDefault}\n        resources:\n          limits: {cpu: 500m, memory: 256Mi}\n";

#[test]
fn a_clean_application_is_never_called_high_risk() {
    let manifests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/manifests/hardened");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&manifests).unwrap() {
        let path = entry.unwrap().path();
        files.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let report = scan(&files);
    let card = &report.scorecard;
    assert!(report.findings.iter().all(|f| f.suppressed.is_some()), "the hardened example has no finding");
    assert_eq!(card.score, card.assessed, "every assessed item passes");
    assert_eq!(card.assessed + card.not_assessed, 50);
    // The items an application's manifests cannot show could put it in any band from its score up.
    assert_eq!(card.band, Band::Undetermined);
    assert_ne!(card.band, Band::HighRisk);
}

#[test]
fn the_band_is_given_only_when_the_unassessed_items_cannot_change_it() {
    assert_eq!(Band::within(45, 5), Band::EnterpriseReady);
    assert_eq!(Band::within(23, 27), Band::Undetermined);
    assert_eq!(Band::within(5, 10), Band::NotProductionReady);
    assert_eq!(Band::within(5, 15), Band::Undetermined);
    assert_eq!(Band::within(31, 8), Band::SignificantGaps);
}

#[test]
fn an_item_passes_only_when_the_input_could_show_it_failing() {
    let role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n  namespace: shop\nrules:\n- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [get]\n";
    let report = scan(&[("app/deploy.yaml", HARDENED_POD), ("app/role.yaml", role)]);
    // A Role alone cannot show a service account bound to cluster-admin (2.1) or a
    // ClusterRoleBinding where a RoleBinding would do (2.2); it can show a wildcard (2.3).
    assert_eq!(status(&report, "2.1"), ItemStatus::NotAssessed);
    assert_eq!(status(&report, "2.2"), ItemStatus::NotAssessed);
    assert_eq!(status(&report, "2.3"), ItemStatus::Pass);
    // No aggregated ClusterRole: 2.8 cannot fail.
    assert_eq!(status(&report, "2.8"), ItemStatus::NotAssessed);
    // No egress policy: where DNS may go (3.4) is not shown.
    assert_eq!(status(&report, "3.4"), ItemStatus::NotAssessed);
    // Application manifests without removed APIs say nothing of the cluster's version (7.5).
    assert_eq!(status(&report, "7.5"), ItemStatus::NotAssessed);
    // Workloads are there: the pod items pass.
    assert_eq!(status(&report, "1.2"), ItemStatus::Pass);
}

#[test]
fn findings_count_against_the_items_their_words_name() {
    // A hostPort is not a host namespace (1.7).
    let host_port = HARDENED_POD.replace(
        "        resources:\n",
        "        ports:\n        - {containerPort: 8080, hostPort: 8080}\n        resources:\n",
    );
    let report = scan(&[("a.yaml", &host_port)]);
    assert!(report.findings.iter().any(|f| f.check == "no-host-ports"));
    assert_eq!(status(&report, "1.7"), ItemStatus::Pass);

    // Reading secrets through a namespaced Role is not cluster-admin (2.1).
    let secrets = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: secrets\n  namespace: shop\nrules:\n- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [get, list]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: secrets\n  namespace: shop\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secrets}\nsubjects:\n- {kind: ServiceAccount, name: web, namespace: shop}\n";
    let report = scan(&[("a.yaml", HARDENED_POD), ("rbac.yaml", secrets)]);
    assert!(report.findings.iter().any(|f| f.check == "rbac-secrets-read"));
    assert_eq!(status(&report, "2.1"), ItemStatus::Pass, "{:?}", item_findings(&report, "2.1"));

    // runAsUser: 0 is a numeric user id, but root's (8.5).
    let root = HARDENED_POD.replace("runAsUser: 10001", "runAsUser: 0");
    let report = scan(&[("a.yaml", &root)]);
    assert_eq!(status(&report, "8.5"), ItemStatus::Fail);
    assert!(item_findings(&report, "8.5").contains(&"run-as-non-root".to_string()));

    // An allow-all egress policy lets pods reach the whole internet (3.5).
    let egress = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: out\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - {}\n";
    let report = scan(&[("a.yaml", HARDENED_POD), ("np.yaml", egress)]);
    assert!(item_findings(&report, "3.5").contains(&"netpol-allow-all-egress".to_string()));
    assert_eq!(status(&report, "3.5"), ItemStatus::Fail);

    // A production workload reading a Secret from its environment does not use the CSI store
    // (4.6); a non-production one counts only against 4.3.
    let env = HARDENED_POD.replace(
        "        resources:\n",
        "        env:\n        - name: TOKEN\n          valueFrom:\n            secretKeyRef: {name: api, key: token}\n        resources:\n",
    );
    let report = scan(&[("a.yaml", &env)]);
    assert!(item_findings(&report, "4.6").contains(&"secret-in-env".to_string()));
    let system = env.replace("namespace: shop", "namespace: kube-system");
    let report = scan(&[("a.yaml", &system)]);
    let finding = report.findings.iter().find(|f| f.check == "secret-in-env").unwrap();
    assert_eq!(&*finding.items, ["4.3".to_string(), "7.2".to_string()]);

    // A control-plane failure the CIS benchmark names fails 7.2.
    let etcd = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\n  namespace: kube-system\nspec:\n  containers:\n  - name: etcd\n    image: registry.k8s.io/etcd:3.5.21-0\n    command: [etcd, --listen-client-urls=http://0.0.0.0:2379]\n";
    let report = scan(&[("etcd.yaml", etcd)]);
    assert!(item_findings(&report, "7.2").contains(&"etcd-tls".to_string()));
    assert_eq!(status(&report, "7.2"), ItemStatus::Fail);
}

#[test]
fn identical_copies_count_once() {
    let privileged = HARDENED_POD.replace("allowPrivilegeEscalation: false", "privileged: true");
    let report = scan(&[("a/web.yaml", &privileged), ("b/web.yaml", &privileged), ("c/all.yaml", &privileged)]);
    let item = report.scorecard.items.iter().find(|i| i.id == "1.9").unwrap();
    assert_eq!(item.findings, 1);
}

#[test]
fn the_misses_a_new_user_found_by_hand() {
    // cluster-admin bound to every service account of a namespace, through its group.
    let group = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci-admin\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects:\n- kind: Group\n  name: system:serviceaccounts:ci\n  apiGroup: rbac.authorization.k8s.io\n";
    let report = scan(&[("rbac.yaml", group)]);
    let admin: Vec<_> = report.findings.iter().filter(|f| f.check == "cluster-admin-service-account").collect();
    assert_eq!(admin.len(), 1);
    assert!(admin[0].message.contains("every service account of namespace \"ci\""), "{}", admin[0].message);
    assert_eq!((admin[0].range.start.line, admin[0].path.as_str()), (7, "/subjects/0"));
    assert_eq!(status(&report, "2.1"), ItemStatus::Fail);

    // DNS egress to a public resolver by ipBlock.
    let dns = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: dns\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock: {cidr: 8.8.8.8/32}\n    ports:\n    - {port: 53, protocol: UDP}\n";
    let report = scan(&[("np.yaml", dns)]);
    let found: Vec<_> = report.findings.iter().filter(|f| f.check == "netpol-dns-egress-unrestricted").collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path, "/spec/egress/0/to/0");
    // ...while the node-local cache's private address is the cluster's resolver.
    let report = scan(&[("np.yaml", &dns.replace("8.8.8.8/32", "169.254.20.10/32"))]);
    assert!(!report.findings.iter().any(|f| f.check == "netpol-dns-egress-unrestricted"));

    // A PodSecurityPolicy written with policy/v1, a pair that never existed.
    let psp = "apiVersion: policy/v1\nkind: PodSecurityPolicy\nmetadata:\n  name: open\nspec:\n  privileged: true\n";
    let report = scan(&[("psp.yaml", psp)]);
    let never: Vec<_> = report.findings.iter().filter(|f| f.check == "deprecated-api-version").collect();
    assert_eq!(never.len(), 1);
    assert!(never[0].message.starts_with("policy/v1 never served PodSecurityPolicy"), "{}", never[0].message);
    assert_eq!((never[0].range.start.line, never[0].range.start.column), (1, 1));

    // A ClusterRole folded by a custom aggregation rule into another, adding secrets access.
    let aggregation = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: platform-reader\naggregationRule:\n  clusterRoleSelectors:\n  - matchExpressions:\n    - {key: example.com/part-of, operator: In, values: [platform-reader]}\nrules: []\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: platform-secrets\n  labels:\n    example.com/part-of: platform-reader\nrules:\n- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [get]\n";
    let report = scan(&[("rbac.yaml", aggregation)]);
    assert!(item_findings(&report, "2.8").contains(&"aggregated-clusterrole-sensitive".to_string()));
    assert_eq!(status(&report, "2.8"), ItemStatus::Fail);
}
