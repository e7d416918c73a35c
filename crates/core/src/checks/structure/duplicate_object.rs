//! The same object written twice, differently, in the input set.

use std::collections::HashMap;

use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "duplicate-object",
        title: "Object defined more than once, differently",
        severity: Severity::Medium,
        items: &[],
        section: "structure",
        rationale: "When two documents define the same kind, namespace and name, whichever is applied last wins, \
            silently. A hardened definition can be overwritten by an older, weaker copy that sits in another file, \
            and a review of one copy says nothing about the object the cluster will run. (Byte-identical copies \
            are one object: kubeward checks them once and lists the copies.)",
        remediation: "Keep one definition of each object; remove or rename the other copies, or make them the same.",
        fail_example: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\nautomountServiceAccountToken: false\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n",
        pass_example: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: shop\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    // Keyed by API group (not version), kind, namespace and name: apps/v1 and
    // apps/v1beta2 Deployments of one name are the same object.
    let mut first_seen: HashMap<(&str, &str, std::borrow::Cow<'_, str>, &str), usize> =
        HashMap::with_capacity(ctx.objects.len());
    for (index, object) in ctx.objects.iter().enumerate() {
        let object = object.summary;
        let identity = &object.identity;
        // generateName (`web-*`): a new object each time
        let Some(name) = identity.name.as_deref().filter(|name| !name.ends_with('*')) else { continue };
        let key = (identity.group(), identity.kind.as_str(), identity.namespace_key(), name);
        let first = *first_seen.entry(key).or_insert(index);
        if first == index {
            continue;
        }
        let Some(earlier) = ctx.objects.get(first) else { continue };
        sink.report(
            index,
            &object.name_at,
            message!(
                "{} is defined again here, differently from {} (document {}): whichever is applied last wins",
                object.label(),
                earlier.file,
                earlier.document
            ),
        );
    }
}
