//! Workloads meet the Pod Security level their namespace enforces (item 1.1).

use std::collections::HashMap;

use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::inventory::summary::Anchor;
use crate::model::pod::subject;
use crate::model::view::View;
use crate::model::{Identity, Object, Pod};
use crate::pss::{self, labels, PssLevel, PssVersion};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-namespace-enforcement",
        title: "Workload violates the Pod Security level its namespace enforces",
        severity: Severity::High,
        items: &[("1.1", "1.1 asks that workloads pass the level their namespace enforces; this one would be rejected")],
        section: "pod",
        rationale: "Admission rejects every pod that violates its namespace's `enforce` level. A Deployment or \
            Job is itself accepted with only a warning, but none of its pods will start, which surfaces as an outage \
            at deploy time rather than a failed review.",
        remediation: "Change the pod template so that it meets the namespace's level (the violations are listed), \
            or move the workload to a namespace whose level it is meant to run under.",
        fail_example: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  hostNetwork: true\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    // The level and version each declared Namespace enforces, by name, once.
    let enforced: HashMap<&str, (PssLevel, PssVersion)> = ctx
        .objects
        .iter()
        .filter_map(|object| enforcement(&object.full.as_ref()?.identity, &object.full.as_ref()?.root))
        .collect();
    // Pods judged while their trees were there, at the level the scan foresaw;
    // the others (a foresight that turned out wrong) are read again.
    let mut reread = Vec::new();
    for (index, object) in ctx.objects.iter().enumerate() {
        let object = object.summary;
        if object.pods.is_empty() {
            continue;
        }
        let namespace = object.identity.namespace_key();
        let Some(&(level, version)) =
            enforced.get(namespace.as_ref()).filter(|(level, _)| *level != PssLevel::Privileged)
        else {
            continue;
        };
        // An object's pods share its namespace: all were judged at its level, or none.
        if object.pods.iter().all(|pod| pod.pss.as_ref().is_some_and(|judged| judged.at == (level, version))) {
            for judged in object.pods.iter().filter_map(|pod| pod.pss.as_ref()) {
                if let Some((at, message)) = &judged.finding {
                    sink.report(index, at, message.clone());
                }
            }
        } else {
            reread.push(index);
        }
    }
    let judge = |object: &Object<'_>| {
        let namespace = object.identity.namespace_key();
        let Some(&(level, version)) = enforced.get(namespace.as_ref()) else { return Vec::new() };
        object.pods.iter().filter_map(|pod| judge(object, pod, level, version)).collect()
    };
    for (index, at, message) in ctx.reread.reread(&reread, &judge) {
        sink.report(index, &at, message);
    }
}

/// The name of a Namespace object and the Pod Security level and version it
/// enforces (`None` for any other object). The scan's foresight reads it too.
pub(crate) fn enforcement<'i>(identity: &'i Identity, root: &View<'_>) -> Option<(&'i str, (PssLevel, PssVersion))> {
    if identity.kind != "Namespace" || identity.api_version != "v1" {
        return None;
    }
    Some((identity.name.as_deref()?, labels::enforced(&root.path(&["metadata", "labels"]))))
}

/// Would admission reject `pod`, a pod of `object`, in the object's namespace,
/// which enforces `level` at `version`? Returns where, and the message listing
/// every violation.
pub(crate) fn judge(
    object: &Object<'_>,
    pod: &Pod<'_>,
    level: PssLevel,
    version: PssVersion,
) -> Option<(Anchor, String)> {
    let namespace = object.identity.namespace.as_deref().unwrap_or("default");
    let violations = pss::evaluate(pod, level, version);
    let first = violations.first()?;
    let listed: Vec<String> =
        violations.iter().map(|violation| format!("{}: {}", violation.control, violation.reason)).collect();
    let subject = if object.identity.kind == "Pod" {
        object.label()
    } else {
        format!("the pods of {}", subject(&object.identity, pod.name.as_deref()))
    };
    Some((
        Anchor::of(&first.at),
        message!(
            "namespace {namespace:?} enforces Pod Security {level}/{version}; admission would reject {subject}: {}",
            listed.join("; ")
        ),
    ))
}
