//! A deterministic generator of realistic manifest corpora for the benchmarks.
//!
//! The corpus imitates an application platform's GitOps repository: per
//! namespace a Namespace, a default-deny NetworkPolicy, a Role and its
//! RoleBinding; per application a ServiceAccount, a ConfigMap, a workload
//! (Deployment, StatefulSet, DaemonSet or CronJob) with one to three containers
//! of varying hardening, a Service, and for some a Secret or an ingress
//! NetworkPolicy; every fourth namespace a ClusterRole and ClusterRoleBinding.
//! Same seed, same bytes.

/// A small xorshift generator: deterministic on every platform, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One generated file.
pub struct File {
    /// Path-like name.
    pub name: String,
    /// YAML text.
    pub text: String,
}

fn container(rng: &mut Rng, name: &str, posture: u64) -> String {
    let image = match rng.below(4) {
        0 => format!("registry.example.com/team/{name}:1.{}.{}", rng.below(20), rng.below(10)),
        1 => format!("{name}:latest"),
        2 => format!("registry.example.com/team/{name}@sha256:{:064x}", rng.next() as u128 * 7919),
        _ => format!("docker.io/library/{name}"),
    };
    let mut text = format!(
        "      - name: {name}\n        image: {image}\n        ports:\n        - containerPort: {}\n          protocol: TCP\n        env:\n        - name: LOG_LEVEL\n          value: info\n        - name: REGION\n          value: eu-west-{}\n",
        8000 + rng.below(1000),
        rng.below(3)
    );
    match posture {
        0 => text.push_str(
            "        securityContext:\n          runAsNonRoot: true\n          runAsUser: 10001\n          allowPrivilegeEscalation: false\n          readOnlyRootFilesystem: true\n          capabilities:\n            drop: [\"ALL\"]\n          seccompProfile:\n            type: RuntimeDefault\n        resources:\n          requests: {cpu: 100m, memory: 128Mi}\n          limits: {cpu: 500m, memory: 256Mi}\n        livenessProbe:\n          httpGet: {path: /healthz, port: 8080}\n        readinessProbe:\n          httpGet: {path: /ready, port: 8080}\n",
        ),
        1 => text.push_str(
            "        securityContext:\n          allowPrivilegeEscalation: false\n        resources:\n          requests: {cpu: 50m, memory: 64Mi}\n",
        ),
        _ => text.push_str(
            "        - name: DB_PASSWORD\n          value: s3cr3t-Pa55w0rd-x9\n        securityContext:\n          privileged: true\n          runAsUser: 0\n          capabilities:\n            add: [\"SYS_ADMIN\", \"NET_ADMIN\"]\n        volumeMounts:\n        - name: docker\n          mountPath: /var/run/docker.sock\n",
        ),
    }
    text
}

fn workload(rng: &mut Rng, namespace: &str, app: &str) -> String {
    let posture = rng.below(3);
    let containers: String = (0..1 + rng.below(3))
        .map(|i| container(rng, &if i == 0 { app.to_string() } else { format!("{app}-sidecar{i}") }, posture))
        .collect();
    let host = if posture == 2 { "      hostNetwork: true\n      hostPID: true\n" } else { "" };
    let pod = format!(
        "    metadata:\n      labels:\n        app: {app}\n      annotations:\n        team: platform # comment\n    spec:\n      serviceAccountName: {app}\n{host}      containers:\n{containers}      volumes:\n      - name: docker\n        hostPath:\n          path: /var/run/docker.sock\n"
    );
    let (kind, api, body) = match rng.below(6) {
        0..=2 => (
            "Deployment",
            "apps/v1",
            format!("  replicas: 2\n  selector:\n    matchLabels:\n      app: {app}\n  template:\n{pod}"),
        ),
        3 => (
            "StatefulSet",
            "apps/v1",
            format!("  serviceName: {app}\n  selector:\n    matchLabels:\n      app: {app}\n  template:\n{pod}"),
        ),
        4 => ("DaemonSet", "apps/v1", format!("  selector:\n    matchLabels:\n      app: {app}\n  template:\n{pod}")),
        _ => {
            let nested = pod.lines().map(|l| format!("        {l}\n")).collect::<String>();
            (
                "CronJob",
                "batch/v1",
                format!("  schedule: \"*/5 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n{nested}"),
            )
        }
    };
    format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {app}\n  namespace: {namespace}\n  labels:\n    app: {app}\nspec:\n{body}")
}

fn namespace_documents(rng: &mut Rng, namespace: &str) -> Vec<String> {
    let verbs = if rng.below(3) == 0 { "[\"*\"]" } else { "[\"get\", \"list\", \"watch\"]" };
    vec![
        format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {namespace}\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n"),
        format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: {namespace}\nspec:\n  podSelector: {{}}\n  policyTypes:\n  - Ingress\n  - Egress\n"),
        format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n  namespace: {namespace}\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\", \"configmaps\", \"secrets\"]\n  verbs: {verbs}\n"),
        format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: reader\n  namespace: {namespace}\nsubjects:\n- kind: ServiceAccount\n  name: app0\n  namespace: {namespace}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: reader\n"),
    ]
}

fn cluster_documents(namespace: &str) -> Vec<String> {
    vec![
        format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: {namespace}-admin\nrules:\n- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]\n- apiGroups: [\"rbac.authorization.k8s.io\"]\n  resources: [\"clusterroles\"]\n  verbs: [\"escalate\", \"bind\"]\n"),
        format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: {namespace}-admin\nsubjects:\n- kind: ServiceAccount\n  name: app1\n  namespace: {namespace}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: {namespace}-admin\n"),
    ]
}

fn app_documents(rng: &mut Rng, namespace: &str, app: &str, app_index: usize) -> Vec<String> {
    let mut documents = vec![
        format!("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {app}\n  namespace: {namespace}\nautomountServiceAccountToken: false\n"),
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {app}-config\n  namespace: {namespace}\ndata:\n  config.yaml: |\n    listen: :8080\n    feature_flags: [a, b, c]\n    greeting: \"caf\u{e9} \u{65e5}\u{672c}\"\n"),
        workload(rng, namespace, app),
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {app}\n  namespace: {namespace}\nspec:\n  selector:\n    app: {app}\n  ports:\n  - port: 80\n    targetPort: 8080\n"),
    ];
    if app_index % 2 == 0 {
        documents.push(format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: {app}-credentials\n  namespace: {namespace}\ntype: Opaque\ndata:\n  username: YWRtaW4=\n  password: {:016x}\n", rng.next()));
    } else {
        documents.push(format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {app}-ingress\n  namespace: {namespace}\nspec:\n  podSelector:\n    matchLabels:\n      app: {app}\n  ingress:\n  - from:\n    - podSelector: {{}}\n    ports:\n    - port: 8080\n"));
    }
    documents
}

/// Generates about `objects` objects spread over files of one to eight documents.
pub fn corpus(objects: usize, seed: u64) -> Vec<File> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut files = Vec::new();
    let mut count = 0;
    let mut namespace_index = 0;
    let file = |name: String, documents: Vec<String>| File {
        name,
        text: format!("# Source: chart/templates/generated.yaml\n---\n{}", documents.join("---\n")),
    };
    while count < objects {
        let namespace = format!("team-{namespace_index}");
        let documents = namespace_documents(&mut rng, &namespace);
        count += documents.len();
        files.push(file(format!("{namespace}/namespace.yaml"), documents));
        if namespace_index % 4 == 0 && count < objects {
            let documents = cluster_documents(&namespace);
            count += documents.len();
            files.push(file(format!("cluster/{namespace}.yaml"), documents));
        }
        for app_index in 0..8 {
            if count >= objects {
                break;
            }
            let app = format!("app{app_index}");
            let documents = app_documents(&mut rng, &namespace, &app, app_index);
            count += documents.len();
            files.push(file(format!("{namespace}/{app}.yaml"), documents));
        }
        namespace_index += 1;
    }
    files
}

/// Counts the raw parser events of `text` (saphyr-parser alone, no tree): the
/// floor under any YAML loading built on that parser.
pub fn parser_events(text: &str) -> usize {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut events = 0;
    while let Some(Ok(_)) = parser.next_event() {
        events += 1;
    }
    events
}

#[cfg(test)]
mod tests {
    #[test]
    fn corpus_is_deterministic_and_loads_cleanly() {
        let a = super::corpus(500, 1);
        let b = super::corpus(500, 1);
        assert_eq!(a.iter().map(|f| &f.text).collect::<Vec<_>>(), b.iter().map(|f| &f.text).collect::<Vec<_>>());
        let sources: Vec<kubeward::Source<'_>> =
            a.iter().map(|f| kubeward::Source::new(&f.name, f.text.as_bytes())).collect();
        let report = kubeward::Engine::default().scan(&sources);
        assert!(report.errors.is_empty(), "{:?}", report.errors.first());
        assert!(report.documents.len() >= 500);
        assert!(report.findings.iter().any(|f| f.check == "no-privileged"));
    }
}
