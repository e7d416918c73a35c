//! The same object written twice in the input set.

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

/// What makes two objects the same: name, namespace, kind and API group.
type Key<'o> = (&'o str, &'o str, &'o str, &'o str);

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    // Keyed by name, namespace, kind and API group (not version): apps/v1 and
    // apps/v1beta2 Deployments of one name are the same object. The named objects
    // are sorted by key, then input order: each run of equal keys is one object
    // defined several times, first where the run starts.
    let mut named: Vec<(Key<'_>, usize)> = ctx
        .objects
        .iter()
        .enumerate()
        .filter_map(|(index, object)| {
            let identity = &object.summary.identity;
            // generateName (`web-*`): a new object each time
            let name = identity.name.as_deref().filter(|name| !name.ends_with('*'))?;
            let namespace = identity.namespace.as_deref().unwrap_or("");
            Some(((name, namespace, identity.kind.as_str(), identity.group()), index))
        })
        .collect();
    named.sort_unstable();
    for run in named.chunk_by(|a, b| a.0 == b.0) {
        let Some((&(_, first), again)) = run.split_first() else { continue };
        let earlier = &ctx.objects[first];
        for &(_, index) in again {
            let object = ctx.objects[index].summary;
            sink.report(
                index,
                &object.name_at,
                format!(
                    "{} is defined again here; it is first defined in {} (document {})",
                    object.label(),
                    earlier.file,
                    earlier.document
                ),
            );
        }
    }
}
