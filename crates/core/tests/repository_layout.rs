//! A repository holds more than manifests: kustomize files and patches, Helm
//! charts, other tools' YAML. None of it is an input error; what kustomize says
//! about namespaces is followed; namespace-less objects of different
//! directories are never taken to share a namespace.

use kubeward::{DocumentStatus, Engine, Report, Source};

fn scan_with(engine: &Engine, files: &[(&str, &str)]) -> Report {
    let sources: Vec<Source<'_>> = files.iter().map(|(name, text)| Source::new(name, text.as_bytes())).collect();
    engine.scan(&sources)
}

fn scan(files: &[(&str, &str)]) -> Report {
    scan_with(&Engine::default(), files)
}

fn status_of<'r>(report: &'r Report, file: &str) -> Vec<(DocumentStatus, &'r str)> {
    report.documents.iter().filter(|d| d.file == file).map(|d| (d.status, d.reason.as_deref().unwrap_or(""))).collect()
}

fn checks_on<'r>(report: &'r Report, file: &str) -> Vec<&'r str> {
    report.findings.iter().filter(|f| &*f.file == file).map(|f| f.check.as_str()).collect()
}

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/web:1.0\n";

#[test]
fn a_helm_chart_is_skipped_with_reasons_and_no_error() {
    let report = scan(&[
        ("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.2.3\n"),
        ("chart/values.yaml", "replicaCount: 1\nimage:\n  repository: nginx\n"),
        ("chart/ci/small-values.yaml", "replicaCount: 2\n"),
        (
            "chart/templates/deployment.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"web.fullname\" . }}\n  labels:\n    {{- include \"web.labels\" . | nindent 4 }}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        securityContext:\n          privileged: true\n---\n# a second document of the same template, with no action of its own\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n",
        ),
        ("chart/templates/plain.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n"),
    ]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(status_of(&report, "chart/Chart.yaml")[0].0, DocumentStatus::Skipped);
    assert!(status_of(&report, "chart/Chart.yaml")[0].1.starts_with("Helm chart metadata"));
    assert!(status_of(&report, "chart/values.yaml")[0].1.starts_with("Helm values file"));
    assert!(status_of(&report, "chart/ci/small-values.yaml")[0].1.starts_with("Helm values file"));
    let template = status_of(&report, "chart/templates/deployment.yaml");
    assert_eq!(template.len(), 2);
    for (status, reason) in template {
        assert_eq!(status, DocumentStatus::Skipped);
        assert!(reason.contains("helm template CHART | kubeward scan -"), "{reason}");
    }
    assert!(checks_on(&report, "chart/templates/deployment.yaml").is_empty());
    // A file under templates/ with no action is plain YAML, and is checked.
    assert_eq!(status_of(&report, "chart/templates/plain.yaml")[0].0, DocumentStatus::Evaluated);
}

#[test]
fn template_actions_outside_a_chart_are_told_from_strings() {
    let report = scan(&[
        ("k8s/templated.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n"),
        (
            "k8s/rules.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts\ndata:\n  summary: \"{{ $labels.pod }} is down\"\n  body: |\n    {{ $value }} restarts\n",
        ),
        ("k8s/broken.yaml", "{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\n{{- end }}\n"),
    ]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(status_of(&report, "k8s/templated.yaml")[0].0, DocumentStatus::Skipped);
    assert_eq!(status_of(&report, "k8s/broken.yaml")[0].0, DocumentStatus::Skipped);
    assert_eq!(status_of(&report, "k8s/rules.yaml")[0].0, DocumentStatus::Evaluated);
}

#[test]
fn kustomize_files_and_patches_are_skipped_and_namespaces_followed() {
    let report = scan(&[
        (
            "app/base/kustomization.yaml",
            "resources:\n- deployment.yaml\npatches:\n- path: replicas.yaml\nconfigMapGenerator:\n- name: conf\n  files: [settings.yaml]\n",
        ),
        ("app/base/deployment.yaml", DEPLOYMENT),
        (
            "app/base/replicas.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n",
        ),
        ("app/base/settings.yaml", "logLevel: debug\n"),
        ("app/prod/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n- ../base\n"),
        ("app/prod/ops.yaml", "- op: replace\n  path: /spec/replicas\n  value: 3\n"),
    ]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    for kustomization in ["app/base/kustomization.yaml", "app/prod/kustomization.yaml"] {
        let status = status_of(&report, kustomization);
        assert_eq!(status[0].0, DocumentStatus::Skipped);
        assert!(status[0].1.contains("kubectl kustomize DIR | kubeward scan -"), "{}", status[0].1);
    }
    let patch = status_of(&report, "app/base/replicas.yaml");
    assert_eq!(patch[0].0, DocumentStatus::Skipped);
    assert!(patch[0].1.starts_with("a patch listed by app/base/kustomization.yaml"), "{}", patch[0].1);
    assert!(checks_on(&report, "app/base/replicas.yaml").is_empty(), "a patch is not judged as a whole object");
    assert!(status_of(&report, "app/base/settings.yaml")[0].1.contains("generator's source"));
    assert!(status_of(&report, "app/prod/ops.yaml")[0].1.starts_with("JSON patch operations"));
    // The base's Deployment takes the namespace the overlay gives it.
    let deployment = report.documents.iter().find(|d| d.file == "app/base/deployment.yaml").unwrap();
    assert_eq!(deployment.namespace.as_deref(), Some("shop"));
    let findings: Vec<_> = report.findings.iter().filter(|f| &*f.file == "app/base/deployment.yaml").collect();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f.object.namespace.as_deref() == Some("shop")));
}

#[test]
fn namespace_less_objects_of_different_directories_never_share_a_namespace() {
    let allow_all_egress = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-egress\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - {}\n";
    let report = scan(&[("one/policy.yaml", allow_all_egress), ("two/deployment.yaml", DEPLOYMENT)]);
    // The policy of `one/` selects nothing in `two/`: its workload is selected by no policy.
    assert!(checks_on(&report, "two/deployment.yaml").contains(&"workload-without-network-policy"));
    // Namespace-level checks cannot judge an unnamed namespace.
    assert!(!report.findings.iter().any(|f| f.check == "namespace-default-deny" || f.check == "namespace-quotas"));
    // In the same directory, the policy selects the workload.
    let report = scan(&[("one/policy.yaml", allow_all_egress), ("one/deployment.yaml", DEPLOYMENT)]);
    assert!(!checks_on(&report, "one/deployment.yaml").contains(&"workload-without-network-policy"));
    // Two namespace-less Deployments "web" of two directories are not copies of one object.
    let report =
        scan(&[("one/deployment.yaml", DEPLOYMENT), ("two/deployment.yaml", &DEPLOYMENT.replace("1.0", "2.0"))]);
    assert!(!report.findings.iter().any(|f| f.check == "duplicate-object"));
}

#[test]
fn a_default_namespace_is_what_kubectl_n_gives() {
    let engine = Engine::from_config_text("defaultNamespace: shop\n").unwrap();
    let report = scan_with(&engine, &[("one/deployment.yaml", DEPLOYMENT)]);
    assert_eq!(report.documents[0].namespace.as_deref(), Some("shop"));
    let quotas: Vec<_> = report.findings.iter().filter(|f| f.check == "namespace-quotas").collect();
    assert_eq!(quotas.len(), 1);
    assert!(quotas[0].message.starts_with("namespace \"shop\""), "{}", quotas[0].message);
}

#[test]
fn objects_meant_as_objects_stay_errors_and_strict_makes_every_non_object_one() {
    let report = scan(&[("x.yaml", "kind: Deployment\nmetadata:\n  name: half\n---\nreplicas: 3\n")]);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].message, "object has kind Deployment but no apiVersion");
    assert_eq!((report.errors[0].range.start.line, report.errors[0].range.start.column), (1, 1));
    assert_eq!(status_of(&report, "x.yaml")[1].0, DocumentStatus::Skipped);

    let strict = Engine::from_config_text("strict: true\n").unwrap();
    let report = scan_with(
        &strict,
        &[
            ("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.2.3\n"),
            ("chart/templates/a.yaml", "kind: {{ .Values.kind }}\n"),
            ("k/kustomization.yaml", "resources: []\n"),
        ],
    );
    assert_eq!(report.errors.len(), 3, "{:?}", report.errors);
    assert!(report.documents.iter().all(|d| d.status == DocumentStatus::Error));
}

#[test]
fn byte_identical_copies_are_checked_once_and_listed() {
    let privileged = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  namespace: ops\nspec:\n  containers:\n  - name: shell\n    image: registry.example.com/shell:1.0\n    securityContext:\n      privileged: true\n";
    // The same object alone in one file, and third in a bundle (after two other documents).
    let bundle = format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ops\n---\n# the debug pod, again\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: ops\n---\n{privileged}"
    );
    let report = scan(&[("a/pod.yaml", privileged), ("b/bundle.yaml", &bundle)]);
    let findings: Vec<_> = report.findings.iter().filter(|f| f.check == "no-privileged").collect();
    assert_eq!(findings.len(), 1, "checked once");
    let finding = findings[0];
    assert_eq!(&*finding.file, "a/pod.yaml");
    assert_eq!((finding.range.start.line, finding.range.start.column), (11, 7));
    assert_eq!(finding.copies.len(), 1);
    let copy = &finding.copies[0];
    assert_eq!((&*copy.file, copy.document), ("b/bundle.yaml", 2));
    // The copy's range is the same field in the other file, to the byte.
    let start = copy.range.start.offset as usize;
    let end = copy.range.end.offset as usize;
    assert_eq!(&bundle[start..end], "privileged: true");
    assert_eq!((copy.range.start.line, copy.range.start.column), (23, 7));
    let copy_document = report.documents.iter().find(|d| &*d.file == "b/bundle.yaml" && d.index == 2).unwrap();
    assert_eq!(copy_document.status, DocumentStatus::Skipped);
    assert!(copy_document.reason.as_deref().unwrap().starts_with("byte-identical copy of Pod \"debug\" in a/pod.yaml"));
    assert!(!report.findings.iter().any(|f| f.check == "duplicate-object"));

    // A copy that differs is another object, and the difference is reported.
    let weaker = privileged.replace("image: registry.example.com/shell:1.0", "image: shell");
    let report = scan(&[("a/pod.yaml", privileged), ("b/pod.yaml", &weaker)]);
    assert_eq!(report.findings.iter().filter(|f| f.check == "no-privileged").count(), 2);
    let duplicate: Vec<_> = report.findings.iter().filter(|f| f.check == "duplicate-object").collect();
    assert_eq!(duplicate.len(), 1);
    assert!(duplicate[0].message.contains("differently from a/pod.yaml"), "{}", duplicate[0].message);
}
