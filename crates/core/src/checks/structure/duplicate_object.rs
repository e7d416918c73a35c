//! The same object written twice in the input set.

use std::collections::HashMap;

use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "duplicate-object",
        title: "Object defined more than once",
        severity: Severity::Medium,
        items: &[],
        section: "structure",
        rationale: "When two documents define the same kind, namespace and name, whichever is applied last wins, \
            silently. A hardened definition can be overwritten by an older, weaker copy that sits in another file, \
            and a review of one copy says nothing about the object the cluster will run.",
        remediation: "Keep one definition of each object; remove or rename the other copies.",
        fail_example: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n",
        pass_example: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: shop\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    // Keyed by API group (not version), kind, namespace and name: apps/v1 and
    // apps/v1beta2 Deployments of one name are the same object.
    let mut first_seen: HashMap<(&str, &str, &str, &str), usize> = HashMap::new();
    for (index, set_object) in ctx.objects.iter().enumerate() {
        let object = set_object.summary;
        let identity = &object.identity;
        let Some(name) = identity.name.as_deref() else { continue };
        if name.ends_with('*') {
            continue; // generateName: a new object each time
        }
        let group = identity.api_version.rsplit_once('/').map_or("", |(group, _)| group);
        let key = (group, identity.kind.as_str(), identity.namespace.as_deref().unwrap_or(""), name);
        match first_seen.get(&key) {
            None => {
                first_seen.insert(key, index);
            }
            Some(&first) => {
                sink.report(
                    index,
                    &object.name_at,
                    match ctx.objects.get(first) {
                        Some(earlier) => format!(
                            "{} is defined again here; it is first defined in {} (document {})",
                            object.label(),
                            earlier.file,
                            earlier.document
                        ),
                        None => format!("{} is defined more than once", object.label()),
                    },
                );
            }
        }
    }
}
