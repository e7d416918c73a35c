//! Pod templates wherever an object keeps them: every kind of the table of pod
//! locations, the shape rule for other kinds, objects with several pods
//! (messages, paths and positions that tell them apart), the Pod Security
//! evaluation, the cross-object checks and ignore annotations on such pods.

use kubeward::{DocumentStatus, Engine, Finding, PssLevel, PssVersion, Report, Source};

/// `containers:` with one container `name` that runs privileged, indented by `indent`.
fn containers(indent: usize, name: &str) -> String {
    let pad = " ".repeat(indent);
    format!(
        "{pad}containers:\n{pad}- name: {name}\n{pad}  image: registry.example.com/{name}:1.4\n{pad}  securityContext:\n{pad}    privileged: true\n"
    )
}

/// A single privileged container written as a mapping (not in a list), indented by `indent`.
fn container(indent: usize, name: &str) -> String {
    let pad = " ".repeat(indent);
    format!("{pad}image: registry.example.com/{name}:1.4\n{pad}securityContext:\n{pad}  privileged: true\n")
}

/// `template:` with a pod spec of one privileged container, indented by `indent`.
fn template(indent: usize, key: &str, name: &str) -> String {
    let pad = " ".repeat(indent);
    format!(
        "{pad}{key}:\n{pad}  metadata:\n{pad}    labels: {{app: {name}}}\n{pad}  spec:\n{}",
        containers(indent + 4, name)
    )
}

fn scan(manifest: &str) -> Report {
    let report = Engine::default().scan(&[Source::new("m.yaml", manifest.as_bytes())]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report
}

fn of<'r>(report: &'r Report, check: &str) -> Vec<&'r Finding> {
    let mut found: Vec<&Finding> = report.findings.iter().filter(|f| f.check == check).collect();
    found.sort_by_key(|f| (f.range.start.offset, f.path.clone()));
    found
}

/// The 1-based line and column (in characters) of a byte offset, counted here
/// independently of the engine.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Asserts that `check`'s findings sit exactly at `paths` (in document order),
/// each range starting at its field's key (`key: true`) at the right line and column.
fn assert_at<P: AsRef<str>>(manifest: &str, report: &Report, check: &str, paths: &[P]) {
    let paths: Vec<&str> = paths.iter().map(AsRef::as_ref).collect();
    let found = of(report, check);
    let got: Vec<&str> = found.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(got, paths, "{check} in\n{manifest}");
    for finding in found {
        let offset = finding.range.start.offset as usize;
        let key = finding.path.rsplit('/').next().unwrap();
        assert!(manifest[offset..].starts_with(&format!("{key}: true")), "{check} at {offset}: {finding:?}");
        let (line, column) = line_column(manifest, offset);
        assert_eq!((finding.range.start.line as usize, finding.range.start.column as usize), (line, column));
    }
}

/// A covered kind: its manifest, and the paths of every `privileged: true` and
/// host namespace (`hostPID`, `hostIPC`, `hostNetwork: true`) it holds, in document order.
struct Case {
    manifest: String,
    privileged: Vec<String>,
    host: Vec<String>,
}

fn case(manifest: String, privileged: &[&str]) -> Case {
    Case { manifest, privileged: privileged.iter().map(|p| p.to_string()).collect(), host: Vec::new() }
}

fn head(api_version: &str, kind: &str, name: &str) -> String {
    format!("apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: ml\n")
}

fn training_job(kind: &str, field: &str, first: &str, second: &str) -> Case {
    let mut text = head("kubeflow.org/v1", kind, "train");
    text.push_str(&format!("spec:\n  {field}:\n    {first}:\n      replicas: 1\n"));
    text.push_str(&template(6, "template", "trainer"));
    text.push_str(&format!("    {second}:\n      replicas: 3\n"));
    text.push_str(&template(6, "template", "trainer"));
    let paths: Vec<String> = [first, second]
        .iter()
        .map(|replica| format!("/spec/{field}/{replica}/template/spec/containers/0/securityContext/privileged"))
        .collect();
    Case { manifest: text, privileged: paths, host: Vec::new() }
}

fn cases() -> Vec<(&'static str, Case)> {
    let p = "/spec/template/spec/containers/0/securityContext/privileged";
    let mut cases = vec![
        ("Deployment", case(format!("{}spec:\n{}", head("apps/v1", "Deployment", "web"), template(2, "template", "web")), &[p])),
        ("DeploymentConfig", case(format!("{}spec:\n{}", head("apps.openshift.io/v1", "DeploymentConfig", "web"), template(2, "template", "web")), &[p])),
        ("Rollout", case(format!("{}spec:\n  replicas: 2\n{}", head("argoproj.io/v1alpha1", "Rollout", "web"), template(2, "template", "web")), &[p])),
        ("Experiment", case(
            format!(
                "{}spec:\n  duration: 5m\n  templates:\n  - name: baseline\n    replicas: 1\n{}  - name: canary\n    replicas: 1\n{}",
                head("argoproj.io/v1alpha1", "Experiment", "try"),
                template(4, "template", "app"),
                template(4, "template", "app")
            ),
            &["/spec/templates/0/template/spec/containers/0/securityContext/privileged", "/spec/templates/1/template/spec/containers/0/securityContext/privileged"],
        )),
    ];
    for kind in ["AnalysisTemplate", "ClusterAnalysisTemplate", "AnalysisRun"] {
        cases.push((kind, case(
            format!(
                "{}spec:\n  metrics:\n  - name: smoke\n    provider:\n      job:\n        spec:\n          backoffLimit: 0\n{}  - name: web\n    provider:\n      web: {{url: \"http://example.com\"}}\n",
                head("argoproj.io/v1alpha1", kind, "checks"),
                template(10, "template", "probe")
            ),
            &["/spec/metrics/0/provider/job/spec/template/spec/containers/0/securityContext/privileged"],
        )));
    }
    for kind in ["Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate"] {
        let mut workflow = case(
            format!(
                "{}spec:\n  entrypoint: main\n  hostNetwork: true\n  templates:\n  - name: main\n    steps:\n    - - name: build\n        template: build\n  - name: build\n    container:\n{}  - name: test\n    script:\n      source: echo ok\n{}",
                head("argoproj.io/v1alpha1", kind, "ci"),
                container(6, "builder"),
                container(6, "tester")
            ),
            &["/spec/templates/1/container/securityContext/privileged", "/spec/templates/2/script/securityContext/privileged"],
        );
        // The workflow's hostNetwork applies to the pod of each template that runs one.
        workflow.host = vec!["/spec/hostNetwork".to_string(), "/spec/hostNetwork".to_string()];
        cases.push((kind, workflow));
    }
    cases.extend([
        ("CronWorkflow", case(
            format!(
                "{}spec:\n  schedule: \"0 * * * *\"\n  workflowSpec:\n    entrypoint: run\n    templates:\n    - name: run\n      container:\n{}",
                head("argoproj.io/v1alpha1", "CronWorkflow", "hourly"),
                container(8, "runner")
            ),
            &["/spec/workflowSpec/templates/0/container/securityContext/privileged"],
        )),
        ("Sensor", case(
            format!("{}spec:\n  template:\n    serviceAccountName: sensor\n    container:\n{}", head("argoproj.io/v1alpha1", "Sensor", "hook"), container(6, "sensor")),
            &["/spec/template/container/securityContext/privileged"],
        )),
        ("EventSource", case(
            format!("{}spec:\n  template:\n    container:\n{}", head("argoproj.io/v1alpha1", "EventSource", "hook"), container(6, "source")),
            &["/spec/template/container/securityContext/privileged"],
        )),
        ("Knative Service", case(format!("{}spec:\n{}", head("serving.knative.dev/v1", "Service", "hello"), template(2, "template", "hello")), &[p])),
        ("Knative Configuration", case(format!("{}spec:\n{}", head("serving.knative.dev/v1", "Configuration", "hello"), template(2, "template", "hello")), &[p])),
        ("Knative Revision", case(
            format!("{}spec:\n  containerConcurrency: 10\n{}", head("serving.knative.dev/v1", "Revision", "hello-00001"), containers(2, "hello")),
            &["/spec/containers/0/securityContext/privileged"],
        )),
        ("ContainerSource", case(format!("{}spec:\n{}", head("sources.knative.dev/v1", "ContainerSource", "heartbeat"), template(2, "template", "beat")), &[p])),
        ("MPIJob", training_job("MPIJob", "mpiReplicaSpecs", "Launcher", "Worker")),
        ("TFJob", training_job("TFJob", "tfReplicaSpecs", "PS", "Worker")),
        ("PyTorchJob", training_job("PyTorchJob", "pytorchReplicaSpecs", "Master", "Worker")),
        ("MXJob", training_job("MXJob", "mxReplicaSpecs", "Scheduler", "Server")),
        ("XGBoostJob", training_job("XGBoostJob", "xgbReplicaSpecs", "Master", "Worker")),
        ("PaddleJob", training_job("PaddleJob", "paddleReplicaSpecs", "Master", "Worker")),
        ("JAXJob", training_job("JAXJob", "jaxReplicaSpecs", "Coordinator", "Worker")),
        ("Notebook", case(format!("{}spec:\n{}", head("kubeflow.org/v1", "Notebook", "lab"), template(2, "template", "lab")), &[p])),
    ]);
    for kind in ["TrainingRuntime", "ClusterTrainingRuntime"] {
        cases.push((kind, case(
            format!(
                "{}spec:\n  template:\n    spec:\n      replicatedJobs:\n      - name: initializer\n        template:\n          spec:\n{}      - name: node\n        template:\n          spec:\n{}",
                head("trainer.kubeflow.org/v1alpha1", kind, "torch"),
                template(12, "template", "init"),
                template(12, "template", "node")
            ),
            &[
                "/spec/template/spec/replicatedJobs/0/template/spec/template/spec/containers/0/securityContext/privileged",
                "/spec/template/spec/replicatedJobs/1/template/spec/template/spec/containers/0/securityContext/privileged",
            ],
        )));
    }
    cases.extend([
        ("JobSet", case(
            format!(
                "{}spec:\n  replicatedJobs:\n  - name: leader\n    replicas: 1\n    template:\n      spec:\n{}  - name: workers\n    replicas: 4\n    template:\n      spec:\n{}",
                head("jobset.x-k8s.io/v1alpha2", "JobSet", "sim"),
                template(8, "template", "sim"),
                template(8, "template", "sim")
            ),
            &[
                "/spec/replicatedJobs/0/template/spec/template/spec/containers/0/securityContext/privileged",
                "/spec/replicatedJobs/1/template/spec/template/spec/containers/0/securityContext/privileged",
            ],
        )),
        ("LeaderWorkerSet", case(
            format!(
                "{}spec:\n  replicas: 2\n  leaderWorkerTemplate:\n    size: 4\n{}{}",
                head("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", "serve"),
                template(4, "leaderTemplate", "leader"),
                template(4, "workerTemplate", "worker")
            ),
            &[
                "/spec/leaderWorkerTemplate/leaderTemplate/spec/containers/0/securityContext/privileged",
                "/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0/securityContext/privileged",
            ],
        )),
        ("InferenceService", case(
            format!(
                "{}spec:\n  predictor:\n    minReplicas: 1\n    model:\n      modelFormat: {{name: sklearn}}\n      storageUri: s3://models/iris\n{}  transformer:\n{}",
                head("serving.kserve.io/v1beta1", "InferenceService", "iris"),
                container(6, "model"),
                containers(4, "transformer")
            ),
            &["/spec/predictor/model/securityContext/privileged", "/spec/transformer/containers/0/securityContext/privileged"],
        )),
        ("ServingRuntime", case(
            format!("{}spec:\n  supportedModelFormats:\n  - name: onnx\n{}", head("serving.kserve.io/v1alpha1", "ServingRuntime", "onnx"), containers(2, "server")),
            &["/spec/containers/0/securityContext/privileged"],
        )),
        ("ClusterServingRuntime", case(
            format!("{}spec:\n{}", head("serving.kserve.io/v1alpha1", "ClusterServingRuntime", "onnx"), containers(2, "server")),
            &["/spec/containers/0/securityContext/privileged"],
        )),
    ]);
    for kind in ["CloneSet", "StatefulSet", "DaemonSet", "BroadcastJob"] {
        cases.push((
            kind,
            case(
                format!("{}spec:\n{}", head("apps.kruise.io/v1alpha1", kind, "app"), template(2, "template", "app")),
                &[p],
            ),
        ));
    }
    cases.extend([
        ("AdvancedCronJob", case(
            format!(
                "{}spec:\n  schedule: \"*/5 * * * *\"\n  template:\n    jobTemplate:\n      spec:\n{}",
                head("apps.kruise.io/v1alpha1", "AdvancedCronJob", "tick"),
                template(8, "template", "tick")
            ),
            &["/spec/template/jobTemplate/spec/template/spec/containers/0/securityContext/privileged"],
        )),
        ("UnitedDeployment", case(
            format!(
                "{}spec:\n  template:\n    cloneSetTemplate:\n      spec:\n{}  topology:\n    subsets:\n    - name: zone-a\n",
                head("apps.kruise.io/v1alpha1", "UnitedDeployment", "spread"),
                template(8, "template", "spread")
            ),
            &["/spec/template/cloneSetTemplate/spec/template/spec/containers/0/securityContext/privileged"],
        )),
        ("Elasticsearch", case(
            format!(
                "{}spec:\n  version: 8.15.0\n  nodeSets:\n  - name: masters\n    count: 3\n{}  - name: data\n    count: 2\n{}",
                head("elasticsearch.k8s.elastic.co/v1", "Elasticsearch", "logs"),
                template(4, "podTemplate", "elasticsearch"),
                template(4, "podTemplate", "elasticsearch")
            ),
            &["/spec/nodeSets/0/podTemplate/spec/containers/0/securityContext/privileged", "/spec/nodeSets/1/podTemplate/spec/containers/0/securityContext/privileged"],
        )),
    ]);
    for (api_version, kind) in [
        ("kibana.k8s.elastic.co/v1", "Kibana"),
        ("apm.k8s.elastic.co/v1", "ApmServer"),
        ("enterprisesearch.k8s.elastic.co/v1", "EnterpriseSearch"),
        ("maps.k8s.elastic.co/v1alpha1", "ElasticMapsServer"),
        ("logstash.k8s.elastic.co/v1alpha1", "Logstash"),
    ] {
        cases.push((
            kind,
            case(
                format!(
                    "{}spec:\n  version: 8.15.0\n{}",
                    head(api_version, kind, "stack"),
                    template(2, "podTemplate", "stack")
                ),
                &["/spec/podTemplate/spec/containers/0/securityContext/privileged"],
            ),
        ));
    }
    cases.extend([
        (
            "Beat",
            case(
                format!(
                    "{}spec:\n  type: filebeat\n  daemonSet:\n{}",
                    head("beat.k8s.elastic.co/v1beta1", "Beat", "logs"),
                    template(4, "podTemplate", "filebeat")
                ),
                &["/spec/daemonSet/podTemplate/spec/containers/0/securityContext/privileged"],
            ),
        ),
        (
            "Agent",
            case(
                format!(
                    "{}spec:\n  mode: fleet\n  deployment:\n{}",
                    head("agent.k8s.elastic.co/v1alpha1", "Agent", "fleet"),
                    template(4, "podTemplate", "agent")
                ),
                &["/spec/deployment/podTemplate/spec/containers/0/securityContext/privileged"],
            ),
        ),
    ]);
    let mut spark = case(
        format!(
            "{}spec:\n  type: Scala\n  image: registry.example.com/spark:3.5\n  driver:\n    cores: 1\n{}  executor:\n    instances: 2\n    hostNetwork: true\n    sidecars:\n    - name: shipper\n{}",
            head("sparkoperator.k8s.io/v1beta2", "SparkApplication", "pi"),
            container(4, "spark"),
            container(6, "shipper")
        ),
        &["/spec/driver/securityContext/privileged", "/spec/executor/sidecars/0/securityContext/privileged"],
    );
    spark.host = vec!["/spec/executor/hostNetwork".to_string()];
    cases.push(("SparkApplication", spark));
    cases.extend([
        ("ScheduledSparkApplication", case(
            format!(
                "{}spec:\n  schedule: \"@daily\"\n  template:\n    type: Python\n    driver:\n{}",
                head("sparkoperator.k8s.io/v1beta2", "ScheduledSparkApplication", "nightly"),
                container(6, "spark")
            ),
            &["/spec/template/driver/securityContext/privileged"],
        )),
        ("Volcano Job", case(
            format!(
                "{}spec:\n  minAvailable: 3\n  tasks:\n  - name: ps\n    replicas: 1\n{}  - name: worker\n    replicas: 2\n{}",
                head("batch.volcano.sh/v1alpha1", "Job", "tf"),
                template(4, "template", "ps"),
                template(4, "template", "worker")
            ),
            &["/spec/tasks/0/template/spec/containers/0/securityContext/privileged", "/spec/tasks/1/template/spec/containers/0/securityContext/privileged"],
        )),
        ("Volcano JobTemplate", case(
            format!("{}spec:\n  tasks:\n  - name: step\n{}", head("flow.volcano.sh/v1alpha1", "JobTemplate", "step"), template(4, "template", "step")),
            &["/spec/tasks/0/template/spec/containers/0/securityContext/privileged"],
        )),
        ("ScaledJob", case(
            format!("{}spec:\n  jobTargetRef:\n    parallelism: 1\n{}  triggers: []\n", head("keda.sh/v1alpha1", "ScaledJob", "drain"), template(4, "template", "drain")),
            &["/spec/jobTargetRef/template/spec/containers/0/securityContext/privileged"],
        )),
        ("RayCluster", case(
            format!(
                "{}spec:\n  headGroupSpec:\n    rayStartParams: {{}}\n{}  workerGroupSpecs:\n  - groupName: gpu\n    replicas: 2\n{}",
                head("ray.io/v1", "RayCluster", "ray"),
                template(4, "template", "ray-head"),
                template(4, "template", "ray-worker")
            ),
            &["/spec/headGroupSpec/template/spec/containers/0/securityContext/privileged", "/spec/workerGroupSpecs/0/template/spec/containers/0/securityContext/privileged"],
        )),
        ("RayJob", case(
            format!(
                "{}spec:\n  entrypoint: python job.py\n  rayClusterSpec:\n    headGroupSpec:\n{}{}",
                head("ray.io/v1", "RayJob", "job"),
                template(6, "template", "ray-head"),
                template(2, "submitterPodTemplate", "submitter")
            ),
            &["/spec/rayClusterSpec/headGroupSpec/template/spec/containers/0/securityContext/privileged", "/spec/submitterPodTemplate/spec/containers/0/securityContext/privileged"],
        )),
        ("RayService", case(
            format!("{}spec:\n  rayClusterConfig:\n    headGroupSpec:\n{}", head("ray.io/v1", "RayService", "serve"), template(6, "template", "ray-head")),
            &["/spec/rayClusterConfig/headGroupSpec/template/spec/containers/0/securityContext/privileged"],
        )),
        ("FlinkDeployment", case(
            format!(
                "{}spec:\n  flinkVersion: v1_20\n  jobManager:\n    resource: {{memory: 2048m, cpu: 1}}\n{}  taskManager:\n{}",
                head("flink.apache.org/v1beta1", "FlinkDeployment", "stream"),
                template(4, "podTemplate", "flink-main-container"),
                template(4, "podTemplate", "flink-main-container")
            ),
            &["/spec/jobManager/podTemplate/spec/containers/0/securityContext/privileged", "/spec/taskManager/podTemplate/spec/containers/0/securityContext/privileged"],
        )),
        ("shape rule", case(
            format!(
                "{}spec:\n  schedule: hourly\n  runner:\n{}",
                head("jobs.example.com/v1", "Crawler", "crawl"),
                template(4, "template", "crawler")
            ),
            &["/spec/runner/template/spec/containers/0/securityContext/privileged"],
        )),
    ]);
    cases
}

#[test]
fn every_covered_kind_is_checked_at_every_pod_it_holds() {
    for (name, case) in cases() {
        let report = scan(&case.manifest);
        assert_eq!(report.documents.len(), 1, "{name}");
        assert_eq!(report.documents[0].status, DocumentStatus::Evaluated, "{name}: {:?}", report.documents[0].reason);
        assert_at(&case.manifest, &report, "no-privileged", &case.privileged);
        assert_at(&case.manifest, &report, "no-host-namespaces", &case.host);
        // The Pod Security evaluation judges every pod: denied, with each violation where it is.
        let pss = Engine::default().pss(
            &[Source::new("m.yaml", case.manifest.as_bytes())],
            PssLevel::Baseline,
            PssVersion::LATEST,
        );
        let object = &pss.objects[0];
        assert!(object.applicable && !object.allowed, "{name}: {object:?}");
        let privileged: Vec<&str> =
            object.violations.iter().filter(|v| v.check == "privileged").map(|v| v.path.as_str()).collect();
        assert_eq!(privileged, case.privileged.iter().map(String::as_str).collect::<Vec<_>>(), "{name}");
        let host: Vec<&str> =
            object.violations.iter().filter(|v| v.check == "hostNamespaces").map(|v| v.path.as_str()).collect();
        assert_eq!(host, case.host.iter().map(String::as_str).collect::<Vec<_>>(), "{name}");
    }
}

#[test]
fn the_pods_of_one_object_are_told_apart() {
    // An MPIJob whose Launcher and Worker both run a container named "app", the
    // Launcher with the node's process and IPC namespaces.
    let manifest = "apiVersion: kubeflow.org/v2beta1\nkind: MPIJob\nmetadata:\n  name: pi\n  namespace: hpc\nspec:\n  mpiReplicaSpecs:\n    Launcher:\n      template:\n        spec:\n          hostPID: true\n          hostIPC: true\n          containers:\n          - name: app\n            image: registry.example.com/pi:1.0\n            securityContext:\n              privileged: true\n    Worker:\n      replicas: 2\n      template:\n        spec:\n          containers:\n          - name: app\n            image: registry.example.com/pi:1.0\n            securityContext:\n              privileged: true\n";
    let report = scan(manifest);
    let privileged = of(&report, "no-privileged");
    let messages: Vec<&str> = privileged.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "container \"app\" of pod template \"Launcher\" runs privileged",
            "container \"app\" of pod template \"Worker\" runs privileged"
        ]
    );
    assert!(privileged.iter().all(|f| f.container.as_deref() == Some("app")));
    assert_eq!((privileged[0].range.start.line, privileged[0].range.start.column), (17, 15));
    assert_eq!((privileged[1].range.start.line, privileged[1].range.start.column), (26, 15));
    let host: Vec<(&str, &str)> =
        of(&report, "no-host-namespaces").iter().map(|f| (f.path.as_str(), f.message.as_str())).collect();
    assert_eq!(
        host,
        [
            (
                "/spec/mpiReplicaSpecs/Launcher/template/spec/hostPID",
                "pod template \"Launcher\" of MPIJob \"pi\" shares the node's process namespace (hostPID: true)"
            ),
            (
                "/spec/mpiReplicaSpecs/Launcher/template/spec/hostIPC",
                "pod template \"Launcher\" of MPIJob \"pi\" shares the node's IPC namespace (hostIPC: true)"
            ),
        ]
    );
    // Each pod gets its own missing-setting findings, at its own template.
    let limits: Vec<&str> = of(&report, "resource-limits").iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        limits,
        [
            "/spec/mpiReplicaSpecs/Launcher/template/spec/containers/0/resources/limits",
            "/spec/mpiReplicaSpecs/Worker/template/spec/containers/0/resources/limits",
        ]
    );
    // The Pod Security evaluation lists both pods' violations, each naming its pod.
    let pss =
        Engine::default().pss(&[Source::new("m.yaml", manifest.as_bytes())], PssLevel::Baseline, PssVersion::LATEST);
    let reasons: Vec<&str> = pss.objects[0].violations.iter().map(|v| v.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "pod template \"Launcher\" must not share a host namespace (hostPID=true)",
            "pod template \"Launcher\" must not share a host namespace (hostIPC=true)",
            "container \"app\" of pod template \"Launcher\" must not set securityContext.privileged=true",
            "container \"app\" of pod template \"Worker\" must not set securityContext.privileged=true",
        ]
    );
}

#[test]
fn an_object_with_one_pod_is_named_as_before() {
    // An Elastic Agent whose only pod template runs as UID 0: messages name the object.
    let manifest = "apiVersion: agent.k8s.elastic.co/v1alpha1\nkind: Agent\nmetadata:\n  name: elastic-agent\n  namespace: observability\nspec:\n  version: 8.15.0\n  daemonSet:\n    podTemplate:\n      spec:\n        securityContext:\n          runAsUser: 0\n        containers:\n        - name: agent\n          image: registry.example.com/elastic-agent:8.15.0\n";
    let report = scan(manifest);
    let root: Vec<(&str, &str)> =
        of(&report, "run-as-non-root").iter().map(|f| (f.path.as_str(), f.message.as_str())).collect();
    assert_eq!(
        root,
        [(
            "/spec/daemonSet/podTemplate/spec/securityContext/runAsUser",
            "Agent \"elastic-agent\" sets runAsUser: 0 (root) for the whole pod"
        )]
    );
    let finding = of(&report, "run-as-non-root")[0];
    assert_eq!((finding.range.start.line, finding.range.start.column), (12, 11));
    assert!(of(&report, "resource-limits").iter().all(|f| f.message.starts_with("container \"agent\" has no")));
    // Restricted forbids UID 0; baseline does not.
    let sources = [Source::new("agent.yaml", manifest.as_bytes())];
    let restricted = Engine::default().pss(&sources, PssLevel::Restricted, PssVersion::LATEST);
    assert!(restricted.objects[0].violations.iter().any(|v| v.check == "runAsUser"
        && v.path == "/spec/daemonSet/podTemplate/spec/securityContext/runAsUser"
        && v.reason == "pod must not set securityContext.runAsUser=0"));
    let baseline = Engine::default().pss(&sources, PssLevel::Baseline, PssVersion::LATEST);
    assert!(baseline.objects[0].applicable && baseline.objects[0].allowed);
}

#[test]
fn a_custom_resource_definition_is_not_a_pod() {
    // Its schema describes containers; it runs none.
    let manifest = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: crawlers.jobs.example.com\nspec:\n  group: jobs.example.com\n  names: {kind: Crawler, plural: crawlers}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n              containers:\n                type: array\n                items:\n                  type: object\n                  properties:\n                    name: {type: string}\n                    image: {type: string}\n              example:\n                default:\n                  containers:\n                  - name: sample\n                    image: registry.example.com/sample:1.0\n";
    let report = scan(manifest);
    assert_eq!(report.documents[0].status, DocumentStatus::Skipped);
    assert_eq!(
        report.documents[0].reason.as_deref(),
        Some("kind CustomResourceDefinition (apiextensions.k8s.io/v1) is not one kubeward checks")
    );
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    let pss = Engine::default().pss(
        &[Source::new("crd.yaml", manifest.as_bytes())],
        PssLevel::Restricted,
        PssVersion::LATEST,
    );
    assert!(!pss.objects[0].applicable && pss.objects[0].allowed);
}

#[test]
fn a_skipped_object_that_holds_something_pod_like_says_so() {
    let skipped = |manifest: &str| {
        let report = scan(manifest);
        assert_eq!(report.documents[0].status, DocumentStatus::Skipped, "{manifest}");
        assert!(report.findings.is_empty());
        report.documents[0].reason.clone().unwrap_or_default()
    };
    // Only init containers: not a pod spec, and the reason names where they are.
    let reason = skipped("apiVersion: jobs.example.com/v1\nkind: Setup\nmetadata:\n  name: s\nspec:\n  stage:\n    initContainers:\n    - name: migrate\n      image: registry.example.com/migrate:1.0\n");
    assert_eq!(
        reason,
        "kind Setup (jobs.example.com/v1) is not one kubeward checks; it holds a container list at /spec/stage/initContainers \
         but no `containers` beside it, so nothing in it was checked as a pod"
    );
    // Containers without an image (patches a controller merges): named, not guessed at.
    let reason = skipped("apiVersion: jobs.example.com/v1\nkind: Tuning\nmetadata:\n  name: t\nspec:\n  containers:\n  - name: main\n    resources: {limits: {cpu: \"1\"}}\n");
    assert!(reason.ends_with(
        "it holds a `containers` list at /spec/containers whose items are not all containers with a name and an image, \
         so nothing in it was checked as a pod"
    ));
    // A pod spec deeper than the search goes.
    let mut manifest = String::from("apiVersion: jobs.example.com/v1\nkind: Deep\nmetadata:\n  name: d\nspec:\n");
    let mut pad = String::from("  ");
    for level in 0..16 {
        manifest.push_str(&format!("{pad}level{level}:\n"));
        pad.push_str("  ");
    }
    manifest.push_str(&containers(pad.len(), "deep"));
    let reason = skipped(&manifest);
    assert!(
        reason.contains("it holds a pod spec at /spec/level0/level1/") && reason.contains("deeper than the 16 levels")
    );
    // In a List, the place is the item's.
    let reason = skipped("apiVersion: v1\nkind: List\nitems:\n- apiVersion: jobs.example.com/v1\n  kind: Setup\n  metadata: {name: s}\n  spec:\n    initContainers:\n    - {name: migrate, image: registry.example.com/migrate:1.0}\n");
    assert!(reason.contains("at /items/0/spec/initContainers"), "{reason}");
    // Injected sidecars are not a pod of their own, and the reason says why.
    let reason = skipped("apiVersion: apps.kruise.io/v1alpha1\nkind: SidecarSet\nmetadata:\n  name: logs\nspec:\n  containers:\n  - name: shipper\n    image: registry.example.com/shipper:1.0\n");
    assert!(reason.contains("its containers are injected into the pods it selects"), "{reason}");
    // A Kubernetes kind without pods of its own that holds a copy of one is named, not checked.
    let reason = skipped("apiVersion: apps/v1\nkind: ControllerRevision\nmetadata:\n  name: web-7f9c\nrevision: 3\ndata:\n  spec:\n    template:\n      spec:\n        containers:\n        - {name: web, image: registry.example.com/web:1.0}\n");
    assert_eq!(
        reason,
        "kind ControllerRevision (apps/v1) is not one kubeward checks; it holds a pod spec at /data/spec/template/spec, \
         which kubeward does not check in this kind"
    );
    // A kind with nothing pod-like keeps the plain reason.
    let reason = skipped("apiVersion: jobs.example.com/v1\nkind: Quota\nmetadata:\n  name: q\nspec:\n  max: 3\n");
    assert_eq!(reason, "kind Quota (jobs.example.com/v1) is not one kubeward checks");
}

#[test]
fn the_shape_rule_reads_templates_inline_specs_and_lists_of_them() {
    // Two templates in a list (named by their items), one pod spec inline.
    let manifest = "apiVersion: pipelines.example.com/v1\nkind: Pipeline\nmetadata:\n  name: etl\n  namespace: data\nspec:\n  stages:\n  - name: extract\n    template:\n      metadata:\n        labels: {stage: extract}\n      spec:\n        hostNetwork: true\n        containers:\n        - name: worker\n          image: registry.example.com/extract:2.0\n  - name: load\n    template:\n      spec:\n        containers:\n        - name: worker\n          image: registry.example.com/load:2.0\n          securityContext:\n            privileged: true\n  monitor:\n    labels: {role: monitor}\n    containers:\n    - name: watcher\n      image: registry.example.com/watch:2.0\n      securityContext:\n        privileged: true\n";
    let report = scan(manifest);
    assert_eq!(report.documents[0].status, DocumentStatus::Evaluated);
    assert_at(
        manifest,
        &report,
        "no-privileged",
        &[
            "/spec/stages/1/template/spec/containers/0/securityContext/privileged",
            "/spec/monitor/containers/0/securityContext/privileged",
        ],
    );
    assert_at(manifest, &report, "no-host-namespaces", &["/spec/stages/0/template/spec/hostNetwork"]);
    let messages: Vec<&str> = of(&report, "no-privileged").iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "container \"worker\" of pod template \"load\" runs privileged",
            "container \"watcher\" of pod template \"/spec/monitor\" runs privileged"
        ]
    );
    assert_eq!(
        of(&report, "no-host-namespaces")[0].message,
        "pod template \"extract\" of Pipeline \"etl\" shares the node's network namespace (hostNetwork: true)"
    );
}

#[test]
fn argo_templates_take_the_workflows_pod_settings_and_volumes() {
    let manifest = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: ci\n  namespace: build\nspec:\n  entrypoint: build\n  serviceAccountName: builder\n  securityContext:\n    runAsUser: 0\n  volumes:\n  - name: docker\n    hostPath: {path: /var/run/docker.sock}\n  templates:\n  - name: build\n    securityContext:\n      runAsNonRoot: true\n      runAsUser: 1000\n    container:\n      image: registry.example.com/builder:1.0\n  - name: lint\n    volumes:\n    - name: cache\n      emptyDir: {}\n    script:\n      image: registry.example.com/lint:1.0\n      source: lint .\n";
    let report = scan(manifest);
    // The workflow's UID 0 applies to the template that does not set its own pod securityContext.
    let root: Vec<(&str, &str)> =
        of(&report, "run-as-non-root").iter().map(|f| (f.path.as_str(), f.message.as_str())).collect();
    assert_eq!(
        root,
        [(
            "/spec/securityContext/runAsUser",
            "pod template \"lint\" of Workflow \"ci\" sets runAsUser: 0 (root) for the whole pod"
        )]
    );
    // The workflow's hostPath volume is mounted in both pods; the template's own volume adds to it.
    let host_paths: Vec<(&str, &str)> =
        of(&report, "host-path-volume").iter().map(|f| (f.path.as_str(), f.message.as_str())).collect();
    assert_eq!(host_paths.len(), 2, "{host_paths:?}");
    assert!(host_paths.iter().all(|(path, _)| *path == "/spec/volumes/0/hostPath"));
    assert!(host_paths[0]
        .1
        .starts_with("volume \"docker\" of pod template \"build\" mounts host path \"/var/run/docker.sock\""));
    assert!(host_paths[1].1.starts_with("volume \"docker\" of pod template \"lint\" mounts host path"));
    // The containers are named as Argo names them.
    assert!(of(&report, "resource-limits").iter().all(|f| f.container.as_deref() == Some("main")));
    // The service account is the workflow's, not the default one.
    assert!(of(&report, "default-service-account").is_empty());
}

#[test]
fn spark_pods_are_read_with_sparks_spelling() {
    let manifest = "apiVersion: sparkoperator.k8s.io/v1beta2\nkind: SparkApplication\nmetadata:\n  name: pi\n  namespace: spark\nspec:\n  type: Scala\n  mode: cluster\n  volumes:\n  - name: scratch\n    hostPath: {path: /mnt/scratch}\n  driver:\n    serviceAccount: spark\n    podSecurityContext:\n      runAsUser: 0\n    image: registry.example.com/spark:3.5.1\n    volumeMounts:\n    - {name: scratch, mountPath: /tmp/scratch}\n  executor:\n    serviceAccount: spark\n    image: registry.example.com/spark:3.5.1\n    securityContext:\n      runAsNonRoot: true\n      runAsUser: 185\n      allowPrivilegeEscalation: false\n";
    let report = scan(manifest);
    // podSecurityContext is the pod's securityContext.
    let root: Vec<(&str, &str)> =
        of(&report, "run-as-non-root").iter().map(|f| (f.path.as_str(), f.message.as_str())).collect();
    assert_eq!(
        root,
        [(
            "/spec/driver/podSecurityContext/runAsUser",
            "pod template \"driver\" of SparkApplication \"pi\" sets runAsUser: 0 (root) for the whole pod"
        )]
    );
    // serviceAccount is Spark's name for serviceAccountName, not the deprecated field.
    assert!(of(&report, "deprecated-service-account-field").is_empty());
    assert!(of(&report, "default-service-account").is_empty());
    // The application's volumes are each pod's.
    let host_paths: Vec<&str> = of(&report, "host-path-volume").iter().map(|f| f.path.as_str()).collect();
    assert_eq!(host_paths, ["/spec/volumes/0/hostPath", "/spec/volumes/0/hostPath"]);
    // The main containers are named as Spark names them.
    let escalation: Vec<Option<&str>> =
        of(&report, "no-privilege-escalation").iter().map(|f| f.container.as_deref()).collect();
    assert_eq!(escalation, [Some("spark-kubernetes-driver")]);
}

#[test]
fn a_rollout_that_refers_to_a_deployment_holds_no_pod() {
    let manifest = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  workloadRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n";
    let report = scan(manifest);
    assert_eq!(report.documents[0].status, DocumentStatus::Evaluated);
    assert!(report.findings.iter().all(|f| !f.path.starts_with("/spec")), "{:?}", report.findings);
    let pss =
        Engine::default().pss(&[Source::new("r.yaml", manifest.as_bytes())], PssLevel::Restricted, PssVersion::LATEST);
    assert!(!pss.objects[0].applicable);
}

#[test]
fn an_ignore_annotation_on_one_pod_template_covers_that_pod_only() {
    let manifest = "apiVersion: kubeflow.org/v2beta1\nkind: MPIJob\nmetadata:\n  name: pi\n  namespace: hpc\nspec:\n  mpiReplicaSpecs:\n    Launcher:\n      template:\n        spec:\n          containers:\n          - name: app\n            image: registry.example.com/pi:1.0\n            securityContext:\n              privileged: true\n    Worker:\n      template:\n        metadata:\n          annotations:\n            kubeward.io/ignore: no-privileged\n            kubeward.io/ignore-reason: workers need the GPU devices\n        spec:\n          containers:\n          - name: app\n            image: registry.example.com/pi:1.0\n            securityContext:\n              privileged: true\n";
    let report = scan(manifest);
    let privileged = of(&report, "no-privileged");
    assert_eq!(privileged.len(), 2);
    assert!(privileged[0].path.contains("/Launcher/") && privileged[0].suppressed.is_none());
    assert!(privileged[1].path.contains("/Worker/"));
    let suppressed = privileged[1].suppressed.as_ref().expect("the Worker's finding is suppressed");
    assert_eq!((suppressed.by.as_str(), suppressed.reason.as_str()), ("annotation", "workers need the GPU devices"));
    // On the object's own metadata, an ignore covers every pod.
    let on_object = manifest.replace(
        "  namespace: hpc\n",
        "  namespace: hpc\n  annotations:\n    kubeward.io/ignore: no-privileged:app\n    kubeward.io/ignore-reason: lab cluster\n",
    );
    let report = scan(&on_object);
    assert!(of(&report, "no-privileged").iter().all(|f| f.suppressed.is_some()));
    // On the only pod template of an object, it covers the whole object, as for a Deployment.
    let single = "apiVersion: ray.io/v1\nkind: RayCluster\nmetadata:\n  name: ray\n  namespace: ml\nspec:\n  headGroupSpec:\n    template:\n      metadata:\n        annotations:\n          kubeward.io/ignore: no-privileged\n          kubeward.io/ignore-reason: head needs devices\n      spec:\n        containers:\n        - name: head\n          image: registry.example.com/ray:2.9\n          securityContext:\n            privileged: true\n";
    let report = scan(single);
    assert!(of(&report, "no-privileged")[0].suppressed.is_some());
}

#[test]
fn the_cross_object_checks_see_every_pod() {
    // A NetworkPolicy that selects the Worker pods only; the Launcher's stay unselected.
    let manifest = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: hpc\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: workers\n  namespace: hpc\nspec:\n  podSelector:\n    matchLabels: {role: worker}\n  policyTypes: [Ingress]\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: launcher\n  namespace: hpc\nautomountServiceAccountToken: false\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: exec\n  namespace: hpc\nrules:\n- apiGroups: [\"\"]\n  resources: [pods/exec]\n  verbs: [create]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: launcher-exec\n  namespace: hpc\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: exec}\nsubjects:\n- {kind: ServiceAccount, name: launcher}\n---\napiVersion: kubeflow.org/v2beta1\nkind: MPIJob\nmetadata:\n  name: pi\n  namespace: hpc\nspec:\n  mpiReplicaSpecs:\n    Launcher:\n      template:\n        metadata:\n          labels: {role: launcher}\n        spec:\n          serviceAccountName: launcher\n          hostPID: true\n          containers:\n          - name: app\n            image: registry.example.com/pi:1.0\n    Worker:\n      template:\n        metadata:\n          labels: {role: worker}\n        spec:\n          containers:\n          - name: app\n            image: registry.example.com/pi:1.0\n            securityContext:\n              privileged: true\n";
    let report = scan(manifest);
    let unselected: Vec<(&str, &str)> =
        of(&report, "workload-without-network-policy").iter().map(|f| (f.path.as_str(), f.message.as_str())).collect();
    assert_eq!(
        unselected,
        [(
            "/spec/mpiReplicaSpecs/Launcher/template/metadata/labels",
            "no NetworkPolicy in namespace \"hpc\" selects the pods of pod template \"Launcher\" of MPIJob \"pi\": all their traffic is allowed"
        )]
    );
    // The Launcher's service account can exec into pods; the Worker runs as the default account.
    let permissions: Vec<&str> =
        of(&report, "workload-sensitive-permissions").iter().map(|f| f.path.as_str()).collect();
    assert_eq!(permissions, ["/spec/mpiReplicaSpecs/Launcher/template/spec/serviceAccountName"]);
    assert!(of(&report, "workload-sensitive-permissions")[0]
        .message
        .starts_with("pod template \"Launcher\" of MPIJob \"pi\" runs as ServiceAccount \"hpc/launcher\""));
    let tokens: Vec<&str> = of(&report, "automount-service-account-token").iter().map(|f| f.path.as_str()).collect();
    assert_eq!(tokens, ["/spec/mpiReplicaSpecs/Worker/template/spec/automountServiceAccountToken"]);
    // The namespace enforces baseline: admission would reject each pod, each named.
    let enforcement: Vec<(&str, &str)> =
        of(&report, "pss-namespace-enforcement").iter().map(|f| (f.path.as_str(), f.message.as_str())).collect();
    assert_eq!(
        enforcement,
        [
            (
                "/spec/mpiReplicaSpecs/Launcher/template/spec/hostPID",
                "namespace \"hpc\" enforces Pod Security baseline/latest; admission would reject the pods of pod template \"Launcher\" of MPIJob \"pi\": hostNamespaces: pod template \"Launcher\" must not share a host namespace (hostPID=true)"
            ),
            (
                "/spec/mpiReplicaSpecs/Worker/template/spec/containers/0/securityContext/privileged",
                "namespace \"hpc\" enforces Pod Security baseline/latest; admission would reject the pods of pod template \"Worker\" of MPIJob \"pi\": privileged: container \"app\" of pod template \"Worker\" must not set securityContext.privileged=true"
            ),
        ]
    );
    // The same verdicts when the namespace's level is not foreseen (its label key
    // written with a JSON escape, which the foresight does not see, in a file read
    // after the workloads'): the pods are read again and judged the same.
    let (_, rest) = manifest.split_once("---\n").unwrap();
    let escaped = r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "hpc", "labels": {"pod-security.kubernetes.io\/enforce": "baseline"}}}"#;
    let later = Engine::default()
        .scan(&[Source::new("a-workloads.yaml", rest.as_bytes()), Source::new("z-namespace.json", escaped.as_bytes())]);
    let again: Vec<(&str, &str)> =
        of(&later, "pss-namespace-enforcement").iter().map(|f| (f.path.as_str(), f.message.as_str())).collect();
    assert_eq!(again, enforcement);
}

/// The shared corpora (`../shared/corpora`, read in place), or `None` with a
/// message when they are missing outside CI.
fn corpus(name: &str) -> Option<Report> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora").join(name);
    if !dir.is_dir() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "the shared corpora are missing at {}",
            dir.display()
        );
        eprintln!("SKIPPED: the shared corpora are not at {}", dir.display());
        return None;
    }
    let mut files = Vec::new();
    let mut pending = vec![dir];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
                files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    let sources: Vec<Source<'_>> = files.iter().map(|(name, bytes)| Source::new(name, bytes)).collect();
    Some(Engine::default().scan(&sources))
}

/// The distinct pods that a check found something in, per kind: the pointer
/// of each finding up to `marker` (the pod's template), with its file and document.
fn pods_with(
    report: &Report,
    kind: &str,
    check: &str,
    marker: &str,
) -> std::collections::BTreeSet<(String, usize, String)> {
    report
        .findings
        .iter()
        .filter(|f| f.object.kind == kind && f.check == check)
        .map(|f| {
            let end = f.path.find(marker).map_or(f.path.len(), |at| at + marker.len());
            (f.file.to_string(), f.document, f.path[..end].to_string())
        })
        .collect()
}

#[test]
fn argo_rollouts_custom_resources_are_checked_at_their_pods() {
    let Some(report) = corpus("argoproj-argo-rollouts") else { return };
    for kind in ["AnalysisTemplate", "ClusterAnalysisTemplate", "Experiment", "Rollout"] {
        let documents: Vec<_> = report.documents.iter().filter(|d| d.kind.as_deref() == Some(kind)).collect();
        assert!(!documents.is_empty(), "{kind}");
        assert!(documents.iter().all(|d| d.status == DocumentStatus::Evaluated), "{kind}: {documents:?}");
    }
    // Every container of the analysis jobs and of the experiment's two templates is read (the
    // analysis template of rollout-linkerd.yaml holds a `{{ }}` action: an unrendered template, skipped).
    let analysis = pods_with(&report, "AnalysisTemplate", "run-as-non-root", "/template/spec");
    assert_eq!(analysis.len(), 3, "{analysis:?}");
    assert!(analysis
        .iter()
        .all(|(_, _, pod)| pod.starts_with("/spec/metrics/") && pod.contains("/provider/job/spec/template/spec")));
    let experiment = pods_with(&report, "Experiment", "run-as-non-root", "/template/spec");
    let experiment: Vec<&str> = experiment.iter().map(|(_, _, pod)| pod.as_str()).collect();
    assert_eq!(experiment, ["/spec/templates/0/template/spec", "/spec/templates/1/template/spec"]);
    // The two Rollouts that refer to a Deployment hold no pod of their own.
    let references: Vec<_> = report
        .documents
        .iter()
        .filter(|d| {
            d.kind.as_deref() == Some("Rollout")
                && (d.file.ends_with("workload-ref.yaml") || d.file.ends_with("rollout-template-ref.yaml"))
        })
        .collect();
    assert_eq!(references.len(), 2);
    for document in references {
        assert!(
            !report.findings.iter().any(|f| *f.file == *document.file
                && f.document == document.index
                && f.object.kind == "Rollout"
                && f.path.starts_with("/spec")),
            "{}",
            document.file
        );
    }
}

#[test]
fn kubeflow_training_runtimes_are_checked_at_every_replicated_job() {
    let Some(report) = corpus("kubeflow-trainer") else { return };
    for kind in ["ClusterTrainingRuntime", "TrainingRuntime"] {
        let documents: Vec<_> = report.documents.iter().filter(|d| d.kind.as_deref() == Some(kind)).collect();
        assert!(!documents.is_empty(), "{kind}");
        assert!(documents.iter().all(|d| d.status == DocumentStatus::Evaluated), "{kind}");
        // Each runtime's pods sit in its JobSet template's replicated jobs.
        let pods = pods_with(&report, kind, "no-privilege-escalation", "/template/spec/template/spec");
        let runtimes: std::collections::BTreeSet<(&str, usize)> =
            pods.iter().map(|(file, document, _)| (file.as_str(), *document)).collect();
        assert_eq!(runtimes.len(), documents.len(), "{kind}: every runtime holds a pod");
        assert!(pods.iter().all(|(_, _, pod)| pod.starts_with("/spec/template/spec/replicatedJobs/")), "{pods:?}");
    }
    // Two runtimes run several replicated jobs; their containers are named with their pod.
    assert!(report
        .findings
        .iter()
        .any(|f| f.object.kind == "ClusterTrainingRuntime" && f.message.contains(" of pod template \"")));
    // A TrainJob names its runtime and writes no pod spec: it stays skipped, with the plain reason.
    let train_jobs: Vec<_> = report.documents.iter().filter(|d| d.kind.as_deref() == Some("TrainJob")).collect();
    assert!(!train_jobs.is_empty());
    assert!(train_jobs.iter().all(|d| d.status == DocumentStatus::Skipped
        && d.reason.as_deref() == Some("kind TrainJob (trainer.kubeflow.org/v1alpha1) is not one kubeward checks")));
}

#[test]
fn pods_that_share_a_name_are_named_by_where_they_are() {
    let manifest = format!(
        "{}spec:\n  replicatedJobs:\n  - name: workers\n    template:\n      spec:\n{}  - name: workers\n    template:\n      spec:\n{}",
        head("jobset.x-k8s.io/v1alpha2", "JobSet", "twins"),
        template(8, "template", "app"),
        template(8, "template", "app")
    );
    let report = scan(&manifest);
    let messages: Vec<&str> = of(&report, "no-privileged").iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "container \"app\" of pod template \"/spec/replicatedJobs/0/template/spec/template\" runs privileged",
            "container \"app\" of pod template \"/spec/replicatedJobs/1/template/spec/template\" runs privileged"
        ]
    );
}

#[test]
fn the_pods_of_a_cluster_wide_template_run_in_no_namespace_of_their_own() {
    // A ClusterWorkflowTemplate's pods run where the workflows that use it run: its
    // pods are checked, but no namespace is judged for them.
    let manifest = "apiVersion: argoproj.io/v1alpha1\nkind: ClusterWorkflowTemplate\nmetadata:\n  name: shared\nspec:\n  templates:\n  - name: run\n    container:\n      image: registry.example.com/run:1.0\n      securityContext:\n        privileged: true\n";
    let report = scan(manifest);
    assert_eq!(of(&report, "no-privileged").len(), 1);
    for check in [
        "workload-without-network-policy",
        "automount-service-account-token",
        "namespace-default-deny",
        "namespace-quotas",
    ] {
        assert!(of(&report, check).is_empty(), "{check}: {:?}", of(&report, check));
    }
}
