//! Configuration and assessment semantics of the secrets, image and cluster checks.

use kubeward::{Assessment, Config, Engine, Finding, Severity, Source};

fn scan_with(engine: &Engine, manifest: &str) -> kubeward::Report {
    let report = engine.scan(&[Source::new("m.yaml", manifest.as_bytes())]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report
}

fn findings(engine: &Engine, manifest: &str, check: &str) -> Vec<Finding> {
    scan_with(engine, manifest).findings.into_iter().filter(|f| f.check == check).collect()
}

fn engine(config: &str) -> Engine {
    Engine::new(Config::from_text(config).unwrap()).unwrap()
}

const APP: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: ghcr.io/example/web:1.0\n      - name: proxy\n        image: registry.example.com:5000/proxy:2.1\n";

#[test]
fn application_input_leaves_cluster_items_not_assessed() {
    let report = scan_with(&Engine::default(), APP);
    assert!(!report.inventory.cluster_level);
    for item in ["3.6", "5.4", "6.1", "8.4", "8.7"] {
        let evidence = report.inventory.items.iter().find(|i| i.item == item).unwrap();
        assert_eq!(evidence.assessment, Assessment::NotAssessed, "{item}");
    }
    for check in
        ["runtime-detection", "policy-engine", "network-policy-cni", "service-mesh-mtls", "image-signature-policy"]
    {
        assert!(report.findings.iter().all(|f| f.check != check), "{check} fired on application input");
    }
}

#[test]
fn kube_system_add_ons_make_input_cluster_level_and_other_objects_there_do_not() {
    let coredns_config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n  Corefile: \".:53 {}\"\n";
    let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: dev-token\n  namespace: kube-system\n";
    // A ConfigMap or a Secret in kube-system says nothing about the cluster.
    let report = scan_with(&Engine::default(), &format!("{APP}---\n{coredns_config}---\n{secret}"));
    assert!(!report.inventory.cluster_level, "{:?}", report.inventory.cluster_level_reason);
    assert!(report.findings.iter().all(|f| f.check != "runtime-detection"));
    // An add-on workload in kube-system does.
    let calico = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: calico-node\n  namespace: kube-system\nspec:\n  template:\n    spec:\n      containers:\n      - name: calico-node\n        image: quay.io/calico/node:v3.30.3\n";
    let input = format!("{APP}---\n{coredns_config}---\n{calico}");
    let report = scan_with(&Engine::default(), &input);
    assert!(report.inventory.cluster_level);
    assert_eq!(report.inventory.cluster_level_reason.as_deref(), Some("DaemonSet \"calico-node\" (Calico workload)"));
    let cni = report.inventory.items.iter().find(|i| i.item == "8.7").unwrap();
    assert_eq!((cni.assessment, cni.evidence.clone()), (Assessment::Present, vec!["Calico".to_string()]));
    let runtime = report.findings.iter().find(|f| f.check == "runtime-detection").expect("runtime-detection");
    assert_eq!(runtime.object.name.as_deref(), Some("calico-node"));
    assert!(report.findings.iter().all(|f| f.check != "network-policy-cni"));
    // The configuration decides either way.
    let application = scan_with(&engine("scope: application\n"), &input);
    assert!(!application.inventory.cluster_level);
    assert!(application.findings.iter().all(|f| f.check != "runtime-detection"));
    let cluster = scan_with(&engine("scope: cluster\n"), APP);
    assert!(cluster.inventory.cluster_level);
    assert!(cluster.findings.iter().any(|f| f.check == "runtime-detection"));
    // An object read from a live cluster (`kubectl get -A -o yaml`) in kube-system does.
    let live = secret.replace(
        "  namespace: kube-system\n",
        "  namespace: kube-system\n  resourceVersion: \"4711\"\n  uid: 0b5c0c6e-1\n",
    );
    let report = scan_with(&Engine::default(), &format!("{APP}---\n{live}"));
    assert!(report.inventory.cluster_level);
}

#[test]
fn allowed_registries_come_from_the_configuration() {
    // Default: everything but Docker Hub.
    assert!(findings(&Engine::default(), APP, "image-registry").is_empty());
    let hub = APP.replace("ghcr.io/example/web:1.0", "docker.io/library/nginx:1.27");
    assert_eq!(findings(&Engine::default(), &hub, "image-registry").len(), 1);
    // Configured: only the allowlist.
    let strict = engine("images:\n  allowedRegistries: [\"registry.example.com:5000\"]\n");
    let flagged = findings(&strict, APP, "image-registry");
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0].container.as_deref(), Some("app"));
    assert_eq!(flagged[0].path, "/spec/template/spec/containers/0/image");
}

#[test]
fn deprecations_follow_the_target_version() {
    let pdb =
        "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n";
    let old = findings(&engine("kubernetesVersion: \"1.22\"\n"), pdb, "deprecated-api-version");
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].severity, Severity::Low);
    assert!(old[0].message.contains("policy/v1"));
    let removed = findings(&Engine::default(), pdb, "deprecated-api-version");
    assert_eq!(removed[0].severity, Severity::High);
    assert_eq!(removed[0].path, "/apiVersion");
    assert!(findings(&engine("kubernetesVersion: \"1.20\"\n"), pdb, "deprecated-api-version").is_empty());
    let apiserver = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.32.0\n    command: [kube-apiserver]\n";
    assert_eq!(findings(&Engine::default(), apiserver, "control-plane-version").len(), 1);
    assert!(findings(&engine("kubernetesVersion: \"1.33\"\n"), apiserver, "control-plane-version").is_empty());
}

#[test]
fn literal_credentials_are_masked_and_references_are_not_flagged() {
    let token = ["ghp_", "Zx8kQ2mN4pR6tV8xB0dF2hJ4lN6pR8tV0xZ2"].concat();
    let pod = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: registry.example.com/c:1\n    env:\n    - name: GH\n      value: {token}\n    - name: DB_PASSWORD\n      value: ${{DB_PASSWORD}}\n    - name: PASSWORD_FILE\n      value: /run/secrets/db\n    args: [\"--token\", \"q8Zr2LmX7pVt\", \"--password-file=/run/pw\"]\n");
    let found = findings(&Engine::default(), &pod, "hardcoded-credential");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|f| !f.message.contains(&token) && !f.message.contains("q8Zr2LmX7pVt")));
    assert!(found.iter().any(|f| f.message.contains("GitHub token") && f.path.ends_with("/env/0/value")));
    assert!(found.iter().any(|f| f.path.ends_with("/args/1")));
    let sealed = "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n    password: AgBy8hCi8Lx2\n";
    let report = scan_with(&Engine::default(), sealed);
    assert!(report.findings.iter().all(|f| f.check != "plain-secret"));
    let sealed_item = report.inventory.items.iter().find(|i| i.item == "4.7").unwrap();
    assert_eq!(sealed_item.assessment, Assessment::Present);
}

#[test]
fn signature_policies_must_enforce_for_production_namespaces() {
    let input = "apiVersion: policy.sigstore.dev/v1beta1\nkind: ClusterImagePolicy\nmetadata:\n  name: signed\nspec:\n  images:\n  - glob: \"registry.example.com/**\"\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments\n  labels:\n    policy.sigstore.dev/include: \"true\"\n";
    let found = findings(&Engine::default(), input, "image-signature-policy");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].object.name.as_deref(), Some("shop"));
    let kyverno_rule_level = "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: verify\nspec:\n  validationFailureAction: Enforce\n  rules:\n  - name: signed\n    verifyImages:\n    - imageReferences: [\"*\"]\n      failureAction: Audit\n";
    let found = findings(&Engine::default(), kyverno_rule_level, "image-signature-policy");
    assert_eq!(found.len(), 1);
    assert!(found[0].path.ends_with("/verifyImages/0/failureAction"));
}

#[test]
fn cluster_checks_report_missing_components_once_each() {
    let apiserver = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command: [kube-apiserver]\n";
    let report = scan_with(&Engine::default(), apiserver);
    for check in
        ["runtime-detection", "policy-engine", "network-policy-cni", "service-mesh-mtls", "image-signature-policy"]
    {
        assert_eq!(report.findings.iter().filter(|f| f.check == check).count(), 1, "{check}");
    }
    // An application's RoleBinding in kube-system does not describe the cluster.
    let binding = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: adapter-auth-reader\n  namespace: kube-system\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: extension-apiserver-authentication-reader\nsubjects:\n- kind: ServiceAccount\n  name: adapter\n  namespace: monitoring\n";
    assert!(!scan_with(&Engine::default(), binding).inventory.cluster_level);
}
