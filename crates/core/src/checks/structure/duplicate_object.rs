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

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    // Keyed by API group (not version), kind, namespace and name: apps/v1 and
    // apps/v1beta2 Deployments of one name are the same object.
    let key = |index: usize| {
        let identity = &ctx.objects[index].summary.identity;
        let name = identity.name.as_deref().unwrap_or_default();
        (identity.group(), identity.kind.as_str(), identity.namespace.as_deref().unwrap_or(""), name)
    };
    // The named objects sorted by key (then input order): each run of equal keys
    // is one object defined several times, first where the run starts.
    let mut named: Vec<usize> = (0..ctx.objects.len())
        .filter(|&index| {
            // generateName (`web-*`): a new object each time
            ctx.objects[index].summary.identity.name.as_deref().is_some_and(|name| !name.ends_with('*'))
        })
        .collect();
    named.sort_by(|&a, &b| key(a).cmp(&key(b)).then(a.cmp(&b)));
    for run in named.chunk_by(|&a, &b| key(a) == key(b)) {
        let Some((&first, again)) = run.split_first() else { continue };
        let earlier = &ctx.objects[first];
        for &index in again {
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
