//! Pod Security Standards behaviour that the conformance fixtures do not
//! exercise (section 5 of the corpus README), and the shape of the PSS report.

use std::collections::BTreeSet;

use kubeward::{Engine, PssLevel, PssObject, PssReport, PssVersion, Severity, Source};

const BASELINE: PssLevel = PssLevel::Baseline;
const RESTRICTED: PssLevel = PssLevel::Restricted;

fn v(minor: u32) -> PssVersion {
    PssVersion::v1(minor)
}

fn report(manifest: &str, level: PssLevel, version: PssVersion) -> PssReport {
    Engine::default().pss(&[Source::new("m.yaml", manifest.as_bytes())], level, version)
}

fn object(manifest: &str, level: PssLevel, version: PssVersion) -> PssObject {
    let report = report(manifest, level, version);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let [object] = report.objects.as_slice() else { panic!("expected one object: {:?}", report.objects) };
    assert!(object.applicable);
    assert_eq!(object.allowed, object.violations.is_empty());
    object.clone()
}

/// The set of violated controls.
fn controls(manifest: &str, level: PssLevel, version: PssVersion) -> BTreeSet<String> {
    object(manifest, level, version).violations.into_iter().map(|violation| violation.check).collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|id| id.to_string()).collect()
}

/// A pod with the given `metadata` extra lines and `spec` body (indented by two).
fn pod(metadata: &str, spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n{metadata}spec:\n{spec}")
}

/// A pod that passes restricted at every version, plus `extra` spec lines.
fn restricted_pod(extra: &str) -> String {
    pod(
        "",
        &format!(
            "  securityContext:\n    runAsNonRoot: true\n    seccompProfile: {{type: RuntimeDefault}}\n  containers:\n  - name: app\n    image: x\n    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities: {{drop: [ALL]}}\n{extra}"
        ),
    )
}

#[test]
fn the_restricted_base_pod_passes_everywhere() {
    for minor in 0..=40 {
        assert!(controls(&restricted_pod(""), RESTRICTED, v(minor)).is_empty(), "v1.{minor}");
    }
}

#[test]
fn ephemeral_containers_are_evaluated() {
    let manifest = restricted_pod(
        "  ephemeralContainers:\n  - name: debug\n    image: x\n    ports:\n    - containerPort: 80\n      hostPort: 8080\n",
    );
    assert_eq!(
        controls(&manifest, RESTRICTED, PssVersion::LATEST),
        set(&["allowPrivilegeEscalation", "capabilities_restricted", "hostPorts"])
    );
    let found = object(&manifest, BASELINE, PssVersion::LATEST);
    let [violation] = found.violations.as_slice() else { panic!("{:?}", found.violations) };
    assert_eq!(violation.path, "/spec/ephemeralContainers/0/ports/0/hostPort");
    assert_eq!(violation.container.as_deref(), Some("debug"));
    assert!(violation.reason.contains("ephemeral container \"debug\"") && violation.reason.contains("8080"));
}

#[test]
fn apparmor_fields_and_annotations() {
    let with_pod_profile = |profile: &str| {
        pod(
            "",
            &format!(
                "  securityContext:\n    appArmorProfile: {profile}\n  containers:\n  - name: app\n    image: x\n"
            ),
        )
    };
    assert!(controls(&with_pod_profile("{type: RuntimeDefault}"), BASELINE, v(0)).is_empty());
    assert!(controls(&with_pod_profile("{type: Localhost, localhostProfile: p}"), BASELINE, v(37)).is_empty());
    for bad in ["{type: Unconfined}", "{}", "{type: runtimedefault}"] {
        assert_eq!(controls(&with_pod_profile(bad), BASELINE, v(30)), set(&["appArmorProfile"]), "{bad}");
    }
    let container = pod(
        "",
        "  containers:\n  - name: app\n    image: x\n    securityContext:\n      appArmorProfile:\n        type: Unconfined\n",
    );
    let found = object(&container, BASELINE, PssVersion::LATEST);
    assert_eq!(found.violations[0].path, "/spec/containers/0/securityContext/appArmorProfile/type");
    let annotated = |value: &str| {
        pod(
            &format!("  annotations:\n    container.apparmor.security.beta.kubernetes.io/nobody: {value}\n"),
            "  containers:\n  - name: app\n    image: x\n",
        )
    };
    assert!(controls(&annotated("runtime/default"), BASELINE, v(10)).is_empty());
    assert!(controls(&annotated("localhost/custom"), BASELINE, v(10)).is_empty());
    assert!(controls(&annotated("\"\""), BASELINE, v(10)).is_empty());
    // Even a key naming no container is checked.
    assert_eq!(controls(&annotated("unconfined"), BASELINE, v(10)), set(&["appArmorProfile"]));
}

#[test]
fn seccomp_annotations_until_1_18_and_fields_from_1_19() {
    let annotated = |key: &str, value: &str| {
        pod(&format!("  annotations:\n    {key}: {value}\n"), "  containers:\n  - name: app\n    image: x\n")
    };
    let pod_key = "seccomp.security.alpha.kubernetes.io/pod";
    let app_key = "container.seccomp.security.alpha.kubernetes.io/app";
    assert!(controls(&annotated(pod_key, "docker/default"), BASELINE, v(18)).is_empty());
    assert!(controls(&annotated(app_key, "runtime/default"), BASELINE, v(18)).is_empty());
    assert!(controls(&annotated(app_key, "localhost/profile.json"), BASELINE, v(18)).is_empty());
    // The empty value is denied (unlike AppArmor).
    assert_eq!(controls(&annotated(pod_key, "\"\""), BASELINE, v(18)), set(&["seccompProfile_baseline"]));
    assert_eq!(controls(&annotated(app_key, "unconfined"), BASELINE, v(0)), set(&["seccompProfile_baseline"]));
    // A key naming a container that does not exist is ignored.
    let other = "container.seccomp.security.alpha.kubernetes.io/other";
    assert!(controls(&annotated(other, "unconfined"), BASELINE, v(18)).is_empty());
    // From v1.19 annotations are ignored ...
    assert!(controls(&annotated(pod_key, "unconfined"), BASELINE, v(19)).is_empty());
    // ... and fields are read; before, fields are ignored.
    let field = pod(
        "",
        "  securityContext:\n    seccompProfile:\n      type: Unconfined\n  containers:\n  - name: app\n    image: x\n",
    );
    assert!(controls(&field, BASELINE, v(18)).is_empty());
    assert_eq!(controls(&field, BASELINE, v(19)), set(&["seccompProfile_baseline"]));
    // Restricted before v1.19 only has baseline's annotation rule.
    assert!(controls(
        &restricted_pod("").replace("    seccompProfile: {type: RuntimeDefault}\n", ""),
        RESTRICTED,
        v(18)
    )
    .is_empty());
}

#[test]
fn selinux_container_engine_type_from_1_31() {
    let manifest = pod(
        "",
        "  containers:\n  - name: app\n    image: x\n    securityContext:\n      seLinuxOptions:\n        type: container_engine_t\n        level: s0:c1,c2\n",
    );
    assert_eq!(controls(&manifest, BASELINE, v(30)), set(&["seLinuxOptions"]));
    assert!(controls(&manifest, BASELINE, v(31)).is_empty());
    let user = pod("", "  securityContext:\n    seLinuxOptions: {user: system_u, role: \"\"}\n  containers:\n  - name: app\n    image: x\n");
    let found = object(&user, BASELINE, PssVersion::LATEST);
    assert_eq!(found.violations.len(), 1);
    assert_eq!(found.violations[0].path, "/spec/securityContext/seLinuxOptions/user");
}

#[test]
fn startup_probe_and_pre_stop_hosts_from_1_34() {
    for handler in [
        "    startupProbe:\n      httpGet: {host: 10.0.0.1, port: 80}\n",
        "    lifecycle:\n      preStop:\n        tcpSocket: {host: ::1, port: 80}\n",
        "    lifecycle:\n      postStart:\n        tcpSocket: {host: localhost, port: 80}\n",
    ] {
        let manifest = pod("", &format!("  containers:\n  - name: app\n    image: x\n{handler}"));
        assert!(controls(&manifest, BASELINE, v(33)).is_empty(), "{handler}");
        assert_eq!(controls(&manifest, BASELINE, v(34)), set(&["hostProbesAndHostLifecycle"]), "{handler}");
    }
    let empty = pod(
        "",
        "  containers:\n  - name: app\n    image: x\n    readinessProbe:\n      httpGet: {host: \"\", port: 80}\n",
    );
    assert!(controls(&empty, BASELINE, PssVersion::LATEST).is_empty());
}

#[test]
fn user_namespaces_relax_run_as_rules_from_1_35() {
    let manifest = pod(
        "",
        "  hostUsers: false\n  securityContext:\n    runAsUser: 0\n    seccompProfile: {type: RuntimeDefault}\n  containers:\n  - name: app\n    image: x\n    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities: {drop: [ALL]}\n      procMount: Unmasked\n",
    );
    assert_eq!(controls(&manifest, RESTRICTED, v(34)), set(&["procMount", "runAsNonRoot", "runAsUser"]));
    // procMount_restricted ignores hostUsers.
    assert_eq!(controls(&manifest, RESTRICTED, v(35)), set(&["procMount_restricted"]));
    assert!(controls(&manifest, BASELINE, v(35)).is_empty());
    assert_eq!(controls(&manifest, BASELINE, v(34)), set(&["procMount"]));
}

#[test]
fn windows_exemptions_from_1_25() {
    let windows = pod(
        "",
        "  os: {name: windows}\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: app\n    image: x\n",
    );
    assert_eq!(
        controls(&windows, RESTRICTED, v(24)),
        set(&["allowPrivilegeEscalation", "capabilities_restricted", "seccompProfile_restricted"])
    );
    for minor in 25..=28 {
        assert!(controls(&windows, RESTRICTED, v(minor)).is_empty(), "v1.{minor}");
    }
    // Allowed at restricted, denied at baseline: no capability or seccomp rule remains for Windows pods.
    let net_raw = pod(
        "",
        "  os: {name: windows}\n  securityContext:\n    runAsNonRoot: true\n    seccompProfile: {type: Unconfined}\n  containers:\n  - name: app\n    image: x\n    securityContext:\n      capabilities: {add: [NET_RAW]}\n",
    );
    assert!(controls(&net_raw, RESTRICTED, v(25)).is_empty());
    assert_eq!(controls(&net_raw, BASELINE, v(25)), set(&["capabilities_baseline", "seccompProfile_baseline"]));
    // Only exactly `windows` counts.
    assert!(!controls(&windows.replace("windows", "Windows"), RESTRICTED, v(25)).is_empty());
}

#[test]
fn restricted_volume_sources() {
    let photon = restricted_pod("  volumes:\n  - name: disk\n    photonPersistentDisk: {pdID: x}\n");
    let found = object(&photon, RESTRICTED, v(0));
    assert_eq!(found.violations.len(), 1);
    assert_eq!(found.violations[0].check, "restrictedVolumes");
    assert_eq!(found.violations[0].path, "/spec/volumes/0/photonPersistentDisk");
    // Two sources: the forbidden one is named; an allowed one does not excuse it.
    let two = restricted_pod("  volumes:\n  - name: both\n    emptyDir: {}\n    nfs: {server: s, path: /}\n");
    let found = object(&two, RESTRICTED, PssVersion::LATEST);
    assert_eq!(found.violations.len(), 1);
    assert!(found.violations[0].reason.contains("nfs"));
    // An unknown key is treated as an unknown source; null sources are absent.
    let unknown = restricted_pod("  volumes:\n  - name: u\n    fancyDisk: {}\n  - name: n\n    nfs: null\n");
    let found = object(&unknown, RESTRICTED, PssVersion::LATEST);
    assert_eq!(found.violations.len(), 1);
    assert!(found.violations[0].reason.contains("unknown volume type \"fancyDisk\""));
    // csi, ephemeral and image are accepted even at v1.0; hostPath goes through restrictedVolumes.
    let new = restricted_pod("  volumes:\n  - name: a\n    csi: {driver: d}\n  - name: b\n    image: {reference: r}\n  - name: c\n    ephemeral: {}\n");
    assert!(controls(&new, RESTRICTED, v(0)).is_empty());
    let host = restricted_pod("  volumes:\n  - name: h\n    hostPath: {path: /data}\n");
    assert_eq!(controls(&host, RESTRICTED, v(10)), set(&["restrictedVolumes"]));
    assert_eq!(controls(&host, BASELINE, v(10)), set(&["hostPathVolumes"]));
}

#[test]
fn every_workload_kind_is_evaluated_through_its_template() {
    let spec = "containers:\n- name: app\n  image: x\n  securityContext: {privileged: true}\n";
    let indent = |text: &str, n: usize| text.lines().map(|l| format!("{}{l}\n", " ".repeat(n))).collect::<String>();
    let template = |n: usize| format!("{}{}", " ".repeat(n).to_string() + "spec:\n", indent(spec, n + 2));
    let cases = [
        ("v1", "PodTemplate", format!("template:\n{}", template(2)), "/template/spec/containers/0"),
        (
            "v1",
            "ReplicationController",
            format!("spec:\n  template:\n{}", template(4)),
            "/spec/template/spec/containers/0",
        ),
        ("apps/v1", "ReplicaSet", format!("spec:\n  template:\n{}", template(4)), "/spec/template/spec/containers/0"),
        ("apps/v1", "Deployment", format!("spec:\n  template:\n{}", template(4)), "/spec/template/spec/containers/0"),
        ("apps/v1", "DaemonSet", format!("spec:\n  template:\n{}", template(4)), "/spec/template/spec/containers/0"),
        ("apps/v1", "StatefulSet", format!("spec:\n  template:\n{}", template(4)), "/spec/template/spec/containers/0"),
        ("batch/v1", "Job", format!("spec:\n  template:\n{}", template(4)), "/spec/template/spec/containers/0"),
        (
            "batch/v1",
            "CronJob",
            format!("spec:\n  schedule: \"@daily\"\n  jobTemplate:\n    spec:\n      template:\n{}", template(8)),
            "/spec/jobTemplate/spec/template/spec/containers/0",
        ),
    ];
    for (api_version, kind, body, container) in cases {
        let manifest = format!("apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: w\n{body}");
        let found = object(&manifest, BASELINE, PssVersion::LATEST);
        assert_eq!(found.object.kind, kind);
        let [violation] = found.violations.as_slice() else { panic!("{kind}: {:?}", found.violations) };
        assert_eq!(violation.check, "privileged");
        assert_eq!(violation.path, format!("{container}/securityContext/privileged"), "{kind}");
    }
    // Annotations come from the pod template, not from the workload's own metadata.
    let deployment = |outer: &str, inner: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\n{outer}spec:\n  template:\n    metadata:\n{inner}    spec:\n      containers:\n      - name: app\n        image: x\n")
    };
    let annotation = "seccomp.security.alpha.kubernetes.io/pod: unconfined";
    let on_workload = deployment(&format!("  annotations:\n    {annotation}\n"), "      labels: {app: w}\n");
    assert!(controls(&on_workload, BASELINE, v(18)).is_empty());
    let on_template = deployment("", &format!("      annotations:\n        {annotation}\n"));
    assert_eq!(controls(&on_template, BASELINE, v(18)), set(&["seccompProfile_baseline"]));
}

#[test]
fn other_kinds_are_not_applicable_and_bad_documents_are_errors() {
    let input = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n---\nkey: [unclosed\n";
    let report = report(input, RESTRICTED, PssVersion::LATEST);
    assert_eq!(report.objects.len(), 2);
    assert!(report.objects.iter().all(|object| !object.applicable && object.allowed && object.violations.is_empty()));
    assert_eq!(report.errors.len(), 1);
    assert!(!report.allowed(), "input errors make the report not allowed");
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["level"], "restricted");
    assert_eq!(json["version"], "latest");
    assert_eq!(json["effectiveVersion"], "v1.37");
    assert_eq!(json["objects"][1]["object"]["kind"], "Widget");
    assert_eq!(json["objects"][0]["applicable"], false);
}

#[test]
fn privileged_allows_everything_and_newer_minors_clamp() {
    let manifest = pod(
        "",
        "  hostPID: true\n  containers:\n  - name: app\n    image: x\n    securityContext: {privileged: true}\n",
    );
    assert!(controls(&manifest, PssLevel::Privileged, PssVersion::LATEST).is_empty());
    let latest = object(&manifest, RESTRICTED, PssVersion::LATEST);
    let future = object(&manifest, RESTRICTED, v(99));
    assert_eq!(latest.violations, future.violations);
    assert_eq!(report(&manifest, RESTRICTED, v(99)).effective_version, v(37));
}

#[test]
fn yaml_scalars_resolve_as_kubernetes_reads_them() {
    // YAML 1.1: `yes` is true.
    let yes = pod("", "  hostNetwork: yes\n  containers:\n  - name: app\n    image: x\n");
    assert_eq!(controls(&yes, BASELINE, PssVersion::LATEST), set(&["hostNamespaces"]));
    // A quoted "true" is a string, not a boolean; a quoted "0" is not UID 0.
    let quoted = restricted_pod("").replace("runAsNonRoot: true", "runAsNonRoot: true\n    runAsUser: \"0\"");
    assert!(controls(&quoted, RESTRICTED, PssVersion::LATEST).is_empty());
    // Strings are compared exactly: `all` is not `ALL`, `CAP_CHOWN` is not `CHOWN`.
    let lower = restricted_pod("").replace("drop: [ALL]", "drop: [all]");
    assert_eq!(controls(&lower, RESTRICTED, PssVersion::LATEST), set(&["capabilities_restricted"]));
}

#[test]
fn missing_fields_point_at_their_nearest_ancestor() {
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsNonRoot: true\n    seccompProfile: {type: RuntimeDefault}\n  containers:\n  - name: app\n    image: x\n";
    let found = object(manifest, RESTRICTED, PssVersion::LATEST);
    let escalation = found.violations.iter().find(|v| v.check == "allowPrivilegeEscalation").unwrap();
    assert_eq!(escalation.path, "/spec/containers/0/securityContext/allowPrivilegeEscalation");
    // The container item `- name: app` (line 10, column 3) is the nearest existing ancestor.
    assert_eq!((escalation.range.start.line, escalation.range.start.column), (10, 3));
}

#[test]
fn versions_and_levels_parse_strictly() {
    assert_eq!("v1.0".parse::<PssVersion>().unwrap(), v(0));
    assert_eq!("v1.37".parse::<PssVersion>().unwrap().to_string(), "v1.37");
    for bad in ["v1.05", "1.25", "v2.0", "v1.", "v1.x", "Latest", ""] {
        let error = bad.parse::<PssVersion>().unwrap_err();
        assert!(error.to_string().contains(&format!("`{bad}`")), "{error}");
    }
    assert_eq!("baseline".parse::<PssLevel>().unwrap(), BASELINE);
    assert!("Restricted".parse::<PssLevel>().is_err());
}

fn scan(manifest: &str) -> Vec<kubeward::Finding> {
    let report = Engine::default().scan(&[Source::new("m.yaml", manifest.as_bytes())]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report.findings
}

#[test]
fn namespace_labels_and_enforcement() {
    let namespace = |name: &str, labels: &str| {
        format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n  labels:\n    team: a\n{labels}")
    };
    let all = "    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/audit: restricted\n    pod-security.kubernetes.io/warn: restricted\n";
    // kube-system is not production: no label findings there.
    let findings = scan(&namespace("kube-system", ""));
    assert!(!findings.iter().any(|f| f.check == "pss-namespace-labels"));
    let findings = scan(&namespace("shop", ""));
    assert_eq!(findings.iter().filter(|f| f.check == "pss-namespace-labels").count(), 3);
    // A pinned old version is a finding of lower severity.
    let pinned = format!("{all}    pod-security.kubernetes.io/enforce-version: v1.24\n");
    let findings = scan(&namespace("shop", &pinned));
    let labels: Vec<_> = findings.iter().filter(|f| f.check == "pss-namespace-labels").collect();
    assert_eq!(labels.len(), 1);
    assert_eq!(labels[0].severity, Severity::Low);
    assert_eq!(labels[0].path, "/metadata/labels/pod-security.kubernetes.io~1enforce-version");
    // Invalid values and unknown keys.
    let invalid = "    pod-security.kubernetes.io/enforce: strict\n    pod-security.kubernetes.io/warn-version: v1.05\n    pod-security.kubernetes.io/enforced: restricted\n";
    let findings = scan(&namespace("shop", invalid));
    let values: Vec<_> = findings.iter().filter(|f| f.check == "pss-namespace-label-values").collect();
    assert_eq!(values.len(), 3, "{values:?}");
    assert!(values.iter().any(|f| f.message.contains("falls back to restricted")));
    // An invalid enforce level fails closed: a root pod in that namespace is rejected.
    let workload = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: x\n";
    let findings = scan(&format!("{}---\n{workload}", namespace("shop", invalid)));
    let enforcement: Vec<_> = findings.iter().filter(|f| f.check == "pss-namespace-enforcement").collect();
    assert_eq!(enforcement.len(), 1);
    assert!(enforcement[0].message.contains("restricted/latest") && enforcement[0].message.contains("runAsNonRoot"));
    assert_eq!(enforcement[0].object.kind, "Deployment");
    // Without an enforce label the cluster default (privileged) applies: no finding.
    let findings = scan(&format!("{}---\n{workload}", namespace("shop", "")));
    assert!(!findings.iter().any(|f| f.check == "pss-namespace-enforcement"));
    // A workload in another namespace is not held to this one.
    let elsewhere = workload.replace("namespace: shop", "namespace: other");
    let findings = scan(&format!("{}---\n{elsewhere}", namespace("shop", all)));
    assert!(!findings.iter().any(|f| f.check == "pss-namespace-enforcement"));
}

#[test]
fn standalone_checks_grade_their_instances() {
    let host_path = |path: &str, read_only: &str| {
        pod(
            "",
            &format!("  containers:\n  - name: app\n    image: x\n    volumeMounts:\n    - name: h\n      mountPath: /h\n{read_only}  volumes:\n  - name: h\n    hostPath:\n      path: {path}\n"),
        )
    };
    let finding = |manifest: &str, check: &str| scan(manifest).into_iter().find(|f| f.check == check).unwrap();
    let socket = finding(&host_path("/run/containerd/containerd.sock", ""), "host-path-volume");
    assert_eq!(socket.severity, Severity::Critical);
    assert!(
        socket.message.contains("container-runtime socket") && socket.message.contains("writable by container \"app\"")
    );
    let data = finding(&host_path("/data", "      readOnly: true\n"), "host-path-volume");
    assert_eq!(data.severity, Severity::High);
    assert!(!data.message.contains("writable"));
    assert_eq!(finding(&host_path("/etc", ""), "host-path-volume").severity, Severity::Critical);
    // hostPath is reported once, by host-path-volume, not again by restricted-volume-types.
    assert!(!scan(&host_path("/data", "")).iter().any(|f| f.check == "restricted-volume-types"));
    let caps = |cap: &str| {
        pod("", &format!("  containers:\n  - name: app\n    image: x\n    securityContext:\n      capabilities:\n        add: [{cap}]\n"))
    };
    assert_eq!(finding(&caps("SYS_ADMIN"), "dangerous-capabilities").severity, Severity::Critical);
    assert_eq!(finding(&caps("NET_RAW"), "dangerous-capabilities").severity, Severity::High);
    assert!(!scan(&caps("CHOWN")).iter().any(|f| f.check == "dangerous-capabilities"));
    let groups = pod("", "  securityContext:\n    fsGroup: 0\n    supplementalGroups: [10, 0]\n  containers:\n  - name: app\n    image: x\n    securityContext:\n      runAsGroup: 0\n");
    assert_eq!(scan(&groups).iter().filter(|f| f.check == "root-group").count(), 3);
}
