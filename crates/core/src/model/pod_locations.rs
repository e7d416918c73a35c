//! Where each workload kind keeps its pods: one line per kind, each path named
//! after the field of the project's API types (or reference documentation)
//! that defines it.
//!
//! A path is keys from the object root, separated by dots. `key[]` stands for
//! every item of the list `key`, named by the item's `name` (`key[field]`: by
//! its `field`); `key{}` for every value of the mapping `key`, named by its key.
//! Kinds that are not here and not known to hold no pod are searched for
//! anything shaped like a pod spec instead (see [`super::pod_shape`]).

use super::pod::Layout;

/// One place in an object that holds a pod.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Location {
    /// Where the pod is (see the module's documentation for the syntax).
    pub path: &'static str,
    /// How the pod is written there.
    pub layout: Layout,
    /// How messages name this pod when its object holds several and the path
    /// gives it no name of its own (`leader`, `driver`).
    pub label: &'static str,
    /// Does every object of the kind hold this pod, written or not? A built-in
    /// workload without a template still runs pods (its findings then sit at
    /// the nearest field that is written); a custom resource holds the pods it writes.
    pub always: bool,
}

/// The pods of one kind, in every version of its API groups.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kind {
    pub groups: &'static [&'static str],
    pub kind: &'static str,
    pub pods: &'static [Location],
}

const fn kind(groups: &'static [&'static str], kind: &'static str, pods: &'static [Location]) -> Kind {
    Kind { groups, kind, pods }
}

/// A pod template (`metadata` and a pod `spec`) that the kind always runs.
const fn always(path: &'static str) -> Location {
    Location { path, layout: Layout::Template, label: "", always: true }
}

/// A pod template (`metadata` and a pod `spec`), when written.
const fn template(path: &'static str, label: &'static str) -> Location {
    Location { path, layout: Layout::Template, label, always: false }
}

/// A pod written with some other layout, when written.
const fn at(path: &'static str, layout: Layout, label: &'static str) -> Location {
    Location { path, layout, label, always: false }
}

/// The model and framework fields of a KServe predictor, each one more
/// container (KServe `PredictorSpec`: `PredictorExtensionSpec` inlines a `Container`).
const KSERVE_PREDICTOR_CONTAINERS: &[&str] = &[
    "model",
    "sklearn",
    "xgboost",
    "tensorflow",
    "pytorch",
    "triton",
    "onnx",
    "huggingface",
    "pmml",
    "lightgbm",
    "paddle",
];

/// A KServe component: a pod spec inlined beside `labels` and `annotations`
/// (`ComponentExtensionSpec`), plus one container per named field.
const fn kserve(extra: &'static [&'static str]) -> Layout {
    Layout::Inline { extra, extra_name: "kserve-container" }
}

/// Every kind kubeward knows the pods of, built-in kinds first.
#[rustfmt::skip]
pub(crate) static KINDS: &[Kind] = &[
    // Kubernetes API reference: Pod.spec, PodTemplate.template, the controllers' spec.template.
    kind(&[""], "Pod", &[Location { path: "spec", layout: Layout::Spec, label: "", always: true }]),
    kind(&["", "apps", "extensions"], "Deployment", &[always("spec.template")]),
    kind(&["", "apps", "extensions"], "ReplicaSet", &[always("spec.template")]),
    kind(&["", "apps", "extensions"], "DaemonSet", &[always("spec.template")]),
    kind(&["", "apps", "extensions"], "ReplicationController", &[always("spec.template")]),
    kind(&["apps"], "StatefulSet", &[always("spec.template")]),
    kind(&["batch"], "Job", &[always("spec.template")]),
    kind(&["batch"], "CronJob", &[always("spec.jobTemplate.spec.template")]),
    kind(&[""], "PodTemplate", &[always("template")]),
    // OpenShift apps/v1 DeploymentConfigSpec.template.
    kind(&["apps.openshift.io"], "DeploymentConfig", &[template("spec.template", "")]),
    // Argo Rollouts: RolloutSpec.template (absent when spec.workloadRef names a Deployment),
    // ExperimentSpec.templates[].template, AnalysisTemplateSpec.metrics[].provider.job (a batch JobSpec).
    kind(&["argoproj.io"], "Rollout", &[template("spec.template", "")]),
    kind(&["argoproj.io"], "Experiment", &[template("spec.templates[].template", "template")]),
    kind(&["argoproj.io"], "AnalysisTemplate", &[template("spec.metrics[].provider.job.spec.template", "metric")]),
    kind(&["argoproj.io"], "ClusterAnalysisTemplate", &[template("spec.metrics[].provider.job.spec.template", "metric")]),
    kind(&["argoproj.io"], "AnalysisRun", &[template("spec.metrics[].provider.job.spec.template", "metric")]),
    // Argo Workflows: WorkflowSpec.templates[] (Template: container, script, containerSet,
    // initContainers, sidecars), CronWorkflowSpec.workflowSpec; pod fields default to the WorkflowSpec's.
    kind(&["argoproj.io"], "Workflow", &[at("spec.templates[]", Layout::Argo { defaults: Some("spec") }, "template")]),
    kind(&["argoproj.io"], "WorkflowTemplate", &[at("spec.templates[]", Layout::Argo { defaults: Some("spec") }, "template")]),
    kind(&["argoproj.io"], "ClusterWorkflowTemplate", &[at("spec.templates[]", Layout::Argo { defaults: Some("spec") }, "template")]),
    kind(&["argoproj.io"], "CronWorkflow", &[at("spec.workflowSpec.templates[]", Layout::Argo { defaults: Some("spec.workflowSpec") }, "template")]),
    // Argo Events: SensorSpec.template and EventSourceSpec.template (Template: container, volumes, securityContext).
    kind(&["argoproj.io"], "Sensor", &[at("spec.template", Layout::Argo { defaults: None }, "")]),
    kind(&["argoproj.io"], "EventSource", &[at("spec.template", Layout::Argo { defaults: None }, "")]),
    // Knative Serving: ServiceSpec and ConfigurationSpec .template (RevisionTemplateSpec), RevisionSpec
    // (inlines a PodSpec); Knative Eventing: ContainerSourceSpec.template.
    kind(&["serving.knative.dev"], "Service", &[template("spec.template", "")]),
    kind(&["serving.knative.dev"], "Configuration", &[template("spec.template", "")]),
    kind(&["serving.knative.dev"], "Revision", &[at("spec", Layout::Spec, "")]),
    kind(&["sources.knative.dev"], "ContainerSource", &[template("spec.template", "")]),
    // Kubeflow Training Operator: <framework>ReplicaSpecs maps a replica type (Launcher, Worker, ...)
    // to a ReplicaSpec whose template is a PodTemplateSpec; Kubeflow Notebooks: NotebookSpec.template.
    kind(&["kubeflow.org"], "MPIJob", &[template("spec.mpiReplicaSpecs{}.template", "")]),
    kind(&["kubeflow.org"], "TFJob", &[template("spec.tfReplicaSpecs{}.template", "")]),
    kind(&["kubeflow.org"], "PyTorchJob", &[template("spec.pytorchReplicaSpecs{}.template", "")]),
    kind(&["kubeflow.org"], "MXJob", &[template("spec.mxReplicaSpecs{}.template", "")]),
    kind(&["kubeflow.org"], "XGBoostJob", &[template("spec.xgbReplicaSpecs{}.template", "")]),
    kind(&["kubeflow.org"], "PaddleJob", &[template("spec.paddleReplicaSpecs{}.template", "")]),
    kind(&["kubeflow.org"], "JAXJob", &[template("spec.jaxReplicaSpecs{}.template", "")]),
    kind(&["kubeflow.org"], "Notebook", &[template("spec.template", "")]),
    // Kubeflow Trainer: TrainingRuntimeSpec.template is a JobSetTemplateSpec.
    kind(&["trainer.kubeflow.org"], "TrainingRuntime", &[template("spec.template.spec.replicatedJobs[].template.spec.template", "job")]),
    kind(&["trainer.kubeflow.org"], "ClusterTrainingRuntime", &[template("spec.template.spec.replicatedJobs[].template.spec.template", "job")]),
    // JobSet: JobSetSpec.replicatedJobs[].template (a JobTemplateSpec).
    kind(&["jobset.x-k8s.io"], "JobSet", &[template("spec.replicatedJobs[].template.spec.template", "job")]),
    // LeaderWorkerSet: LeaderWorkerTemplate.leaderTemplate (optional) and .workerTemplate.
    kind(&["leaderworkerset.x-k8s.io"], "LeaderWorkerSet", &[
        template("spec.leaderWorkerTemplate.leaderTemplate", "leader"),
        template("spec.leaderWorkerTemplate.workerTemplate", "worker"),
    ]),
    // KServe v1beta1: PredictorSpec, TransformerSpec and ExplainerSpec inline a PodSpec and
    // ComponentExtensionSpec (labels, annotations); PredictorSpec.workerSpec inlines a PodSpec;
    // ExplainerSpec.art inlines a Container. v1alpha1 ServingRuntimeSpec inlines ServingRuntimePodSpec.
    kind(&["serving.kserve.io"], "InferenceService", &[
        at("spec.predictor", kserve(KSERVE_PREDICTOR_CONTAINERS), "predictor"),
        at("spec.predictor.workerSpec", kserve(&[]), "predictor worker"),
        at("spec.transformer", kserve(&[]), "transformer"),
        at("spec.explainer", kserve(&["art"]), "explainer"),
    ]),
    kind(&["serving.kserve.io"], "ServingRuntime", &[
        at("spec", kserve(&[]), "runtime"),
        at("spec.workerSpec", kserve(&[]), "worker"),
    ]),
    kind(&["serving.kserve.io"], "ClusterServingRuntime", &[
        at("spec", kserve(&[]), "runtime"),
        at("spec.workerSpec", kserve(&[]), "worker"),
    ]),
    // OpenKruise apps: CloneSet, Advanced StatefulSet and DaemonSet, BroadcastJob .spec.template;
    // AdvancedCronJobSpec.template (CronJobTemplate: jobTemplate, broadcastJobTemplate);
    // UnitedDeploymentSpec.template (SubsetTemplate: one workload template of four kinds).
    kind(&["apps.kruise.io"], "CloneSet", &[template("spec.template", "")]),
    kind(&["apps.kruise.io"], "StatefulSet", &[template("spec.template", "")]),
    kind(&["apps.kruise.io"], "DaemonSet", &[template("spec.template", "")]),
    kind(&["apps.kruise.io"], "BroadcastJob", &[template("spec.template", "")]),
    kind(&["apps.kruise.io"], "AdvancedCronJob", &[
        template("spec.template.jobTemplate.spec.template", "jobTemplate"),
        template("spec.template.broadcastJobTemplate.spec.template", "broadcastJobTemplate"),
    ]),
    kind(&["apps.kruise.io"], "UnitedDeployment", &[
        template("spec.template.statefulSetTemplate.spec.template", "statefulSetTemplate"),
        template("spec.template.advancedStatefulSetTemplate.spec.template", "advancedStatefulSetTemplate"),
        template("spec.template.cloneSetTemplate.spec.template", "cloneSetTemplate"),
        template("spec.template.deploymentTemplate.spec.template", "deploymentTemplate"),
    ]),
    // Elastic Cloud on Kubernetes: ElasticsearchSpec.nodeSets[].podTemplate; Kibana, APM Server,
    // Enterprise Search, Elastic Maps Server and Logstash .spec.podTemplate; Beat and Agent
    // .spec.daemonSet/.deployment(/.statefulSet for Agent).podTemplate.
    kind(&["elasticsearch.k8s.elastic.co"], "Elasticsearch", &[template("spec.nodeSets[].podTemplate", "nodeSet")]),
    kind(&["kibana.k8s.elastic.co"], "Kibana", &[template("spec.podTemplate", "")]),
    kind(&["apm.k8s.elastic.co"], "ApmServer", &[template("spec.podTemplate", "")]),
    kind(&["enterprisesearch.k8s.elastic.co"], "EnterpriseSearch", &[template("spec.podTemplate", "")]),
    kind(&["maps.k8s.elastic.co"], "ElasticMapsServer", &[template("spec.podTemplate", "")]),
    kind(&["logstash.k8s.elastic.co"], "Logstash", &[template("spec.podTemplate", "")]),
    kind(&["beat.k8s.elastic.co"], "Beat", &[
        template("spec.daemonSet.podTemplate", "daemonSet"),
        template("spec.deployment.podTemplate", "deployment"),
    ]),
    kind(&["agent.k8s.elastic.co"], "Agent", &[
        template("spec.daemonSet.podTemplate", "daemonSet"),
        template("spec.deployment.podTemplate", "deployment"),
        template("spec.statefulSet.podTemplate", "statefulSet"),
    ]),
    // Kubeflow Spark operator v1beta2: SparkApplicationSpec.driver and .executor (SparkPodSpec:
    // the main container's image and securityContext, podSecurityContext, sidecars, initContainers,
    // hostNetwork, serviceAccount; volumes at SparkApplicationSpec.volumes) and their optional
    // SparkPodSpec.template (a PodTemplateSpec); ScheduledSparkApplicationSpec.template.
    kind(&["sparkoperator.k8s.io"], "SparkApplication", &[
        at("spec.driver", Layout::Spark { main: "spark-kubernetes-driver", app: "spec" }, "driver"),
        at("spec.executor", Layout::Spark { main: "spark-kubernetes-executor", app: "spec" }, "executor"),
        template("spec.driver.template", "driver template"),
        template("spec.executor.template", "executor template"),
    ]),
    kind(&["sparkoperator.k8s.io"], "ScheduledSparkApplication", &[
        at("spec.template.driver", Layout::Spark { main: "spark-kubernetes-driver", app: "spec.template" }, "driver"),
        at("spec.template.executor", Layout::Spark { main: "spark-kubernetes-executor", app: "spec.template" }, "executor"),
        template("spec.template.driver.template", "driver template"),
        template("spec.template.executor.template", "executor template"),
    ]),
    // Volcano: JobSpec.tasks[].template (TaskSpec); flow.volcano.sh JobTemplate has the same JobSpec.
    kind(&["batch.volcano.sh"], "Job", &[template("spec.tasks[].template", "task")]),
    kind(&["flow.volcano.sh"], "JobTemplate", &[template("spec.tasks[].template", "task")]),
    // KEDA: ScaledJobSpec.jobTargetRef is a batch JobSpec.
    kind(&["keda.sh"], "ScaledJob", &[template("spec.jobTargetRef.template", "")]),
    // KubeRay v1: RayClusterSpec.headGroupSpec.template and .workerGroupSpecs[].template (named by
    // groupName); RayJobSpec.rayClusterSpec and .submitterPodTemplate; RayServiceSpec.rayClusterConfig.
    kind(&["ray.io"], "RayCluster", &[
        template("spec.headGroupSpec.template", "head"),
        template("spec.workerGroupSpecs[groupName].template", "workers"),
    ]),
    kind(&["ray.io"], "RayJob", &[
        template("spec.rayClusterSpec.headGroupSpec.template", "head"),
        template("spec.rayClusterSpec.workerGroupSpecs[groupName].template", "workers"),
        template("spec.submitterPodTemplate", "submitter"),
    ]),
    kind(&["ray.io"], "RayService", &[
        template("spec.rayClusterConfig.headGroupSpec.template", "head"),
        template("spec.rayClusterConfig.workerGroupSpecs[groupName].template", "workers"),
    ]),
    // Apache Flink Kubernetes operator: FlinkDeploymentSpec.podTemplate (the base of both),
    // .jobManager.podTemplate and .taskManager.podTemplate (each a Pod: metadata and spec).
    kind(&["flink.apache.org"], "FlinkDeployment", &[
        template("spec.podTemplate", "podTemplate"),
        template("spec.jobManager.podTemplate", "jobManager"),
        template("spec.taskManager.podTemplate", "taskManager"),
    ]),
];

/// Kinds that hold containers but no pod of their own, and why they are not
/// checked (the reason their skipped documents give).
pub(crate) static NOT_PODS: &[(&str, &str, &str)] = &[
    // OpenKruise SidecarSetSpec.containers and .initContainers are added to other pods at admission.
    (
        "apps.kruise.io",
        "SidecarSet",
        "its containers are injected into the pods it selects at admission, outside any pod spec in the input",
    ),
    // OpenKruise EphemeralJobSpec.template holds ephemeral containers added to running pods.
    (
        "apps.kruise.io",
        "EphemeralJob",
        "its ephemeral containers are added to running pods, outside any pod spec in the input",
    ),
];

/// The group of an `apiVersion` (`""` for the core group).
pub(crate) fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// How many lines of [`KINDS`], at its start, are Kubernetes' own workloads.
const KUBERNETES_LINES: usize = 9;

/// Where the kind of `api_version` and `kind` keeps its pods, when kubeward knows.
pub(crate) fn lookup(api_version: &str, kind: &str) -> Option<&'static [Location]> {
    let group = group_of(api_version);
    // Every object asks, twice: Kubernetes' own kinds are looked for among the few
    // lines of their groups, comparing lengths first.
    if matches!(group, "" | "apps" | "batch" | "extensions") {
        return KINDS
            .get(..KUBERNETES_LINES)?
            .iter()
            .find(|entry| entry.kind.len() == kind.len() && entry.kind == kind && entry.groups.contains(&group))
            .map(|entry| entry.pods);
    }
    // The other lines sorted by kind (length first), made once.
    static BY_KIND: std::sync::OnceLock<Vec<&'static Kind>> = std::sync::OnceLock::new();
    let by_kind = BY_KIND.get_or_init(|| {
        let mut sorted: Vec<&'static Kind> = KINDS.iter().skip(KUBERNETES_LINES).collect();
        sorted.sort_by_key(|entry| (entry.kind.len(), entry.kind));
        sorted
    });
    let first = by_kind.partition_point(|entry| (entry.kind.len(), entry.kind) < (kind.len(), kind));
    by_kind
        .get(first..)?
        .iter()
        .take_while(|entry| entry.kind == kind)
        .find(|entry| entry.groups.contains(&group))
        .map(|entry| entry.pods)
}

/// Why the kind holds containers but is not checked, for the kinds of [`NOT_PODS`].
pub(crate) fn not_a_pod(api_version: &str, kind: &str) -> Option<&'static str> {
    let group = group_of(api_version);
    NOT_PODS.iter().find(|(g, k, _)| *k == kind && *g == group).map(|(_, _, why)| *why)
}

/// One step of a location's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step<'p> {
    /// The value of a key.
    Key(&'p str),
    /// Every item of the list at a key, named by the item's field `name_field`.
    EachItem { key: &'p str, name_field: &'p str },
    /// Every value of the mapping at a key, named by its key.
    EachValue(&'p str),
}

/// The steps of a location's path.
pub(crate) fn steps(path: &str) -> impl Iterator<Item = Step<'_>> + Clone {
    path.split('.').map(|segment| {
        if let Some(key) = segment.strip_suffix("{}") {
            Step::EachValue(key)
        } else if let Some((key, rest)) = segment.split_once('[') {
            let field = rest.strip_suffix(']').unwrap_or(rest);
            Step::EachItem { key, name_field: if field.is_empty() { "name" } else { field } }
        } else {
            Step::Key(segment)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for entry in KINDS {
            for group in entry.groups {
                assert!(seen.insert((*group, entry.kind)), "{group}/{} has two lines", entry.kind);
            }
            let labels: Vec<&str> = entry.pods.iter().map(|location| location.label).collect();
            for location in entry.pods {
                assert!(location.path.split('.').all(|segment| !segment.is_empty()), "{}", location.path);
                for step in steps(location.path) {
                    let key = match step {
                        Step::Key(key) | Step::EachValue(key) | Step::EachItem { key, .. } => key,
                    };
                    assert!(key.bytes().all(|b| b.is_ascii_alphanumeric()), "{}: {key}", location.path);
                }
                // Several pods of one kind are told apart by their labels when their paths give no names.
                if entry.pods.len() > 1 {
                    assert_eq!(labels.iter().filter(|label| **label == location.label).count(), 1, "{}", entry.kind);
                }
                // Only Kubernetes' own workloads run their pod whether it is written or not.
                assert!(
                    !location.always || entry.groups.iter().all(|g| matches!(*g, "" | "apps" | "extensions" | "batch"))
                );
            }
        }
    }

    #[test]
    fn the_kubernetes_lines_come_first() {
        let kubernetes = |entry: &Kind| entry.groups.iter().all(|g| matches!(*g, "" | "apps" | "batch" | "extensions"));
        assert!(KINDS[..KUBERNETES_LINES].iter().all(kubernetes));
        assert!(!KINDS[KUBERNETES_LINES..]
            .iter()
            .any(|entry| entry.groups.iter().any(|g| matches!(*g, "" | "apps" | "batch" | "extensions"))));
    }

    #[test]
    fn a_kind_is_found_in_any_version_of_its_groups_only() {
        assert_eq!(lookup("apps/v1", "Deployment").map(|pods| pods[0].path), Some("spec.template"));
        assert_eq!(lookup("extensions/v1beta1", "Deployment").map(|pods| pods[0].path), Some("spec.template"));
        assert_eq!(lookup("v1", "Pod").map(|pods| pods[0].layout), Some(Layout::Spec));
        assert_eq!(
            lookup("kubeflow.org/v2beta1", "MPIJob").map(|pods| pods[0].path),
            Some("spec.mpiReplicaSpecs{}.template")
        );
        assert_eq!(lookup("batch.volcano.sh/v1alpha1", "Job").map(|pods| pods[0].path), Some("spec.tasks[].template"));
        assert!(lookup("batch/v1", "Job").is_some_and(|pods| pods[0].always));
        assert!(lookup("example.com/v1", "Job").is_none());
        assert!(lookup("apps/v1", "Rollout").is_none());
        for entry in KINDS {
            for group in entry.groups {
                let api_version = if group.is_empty() { "v1".to_string() } else { format!("{group}/v9") };
                assert!(lookup(&api_version, entry.kind).is_some(), "{api_version} {}", entry.kind);
            }
        }
    }

    #[test]
    fn paths_read_as_steps() {
        let steps: Vec<Step<'_>> = steps("spec.workerGroupSpecs[groupName].template").collect();
        assert_eq!(
            steps,
            [
                Step::Key("spec"),
                Step::EachItem { key: "workerGroupSpecs", name_field: "groupName" },
                Step::Key("template")
            ]
        );
        let steps: Vec<Step<'_>> = steps_of("spec.tfReplicaSpecs{}.template");
        assert_eq!(steps, [Step::Key("spec"), Step::EachValue("tfReplicaSpecs"), Step::Key("template")]);
        assert_eq!(steps_of("spec.templates[]")[1], Step::EachItem { key: "templates", name_field: "name" });
    }

    fn steps_of(path: &str) -> Vec<Step<'_>> {
        steps(path).collect()
    }
}
