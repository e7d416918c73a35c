//! `runAsUser` (restricted; revisions v1.23 and v1.35): no UID 0, at pod or
//! container level. From v1.35 a pod in a user namespace (`hostUsers: false`) passes.

use super::{in_user_namespace, owner_label, security_contexts, Control, Found, PssLevel};
use crate::model::pod::Pod;

pub(crate) const CONTROL: Control =
    Control { id: "runAsUser", level: PssLevel::Restricted, revisions: &[23, 35], replaces: None, run };

fn run<'a>(pod: &Pod<'a>, revision: u32, found: &mut Found<'a>) {
    if revision >= 35 && in_user_namespace(pod) {
        return;
    }
    for (owner, context) in security_contexts(pod) {
        let view = context.get("runAsUser");
        if view.int().present() == Some(0) {
            found.at(owner, &view, format!("{} must not set securityContext.runAsUser=0", owner_label(pod, owner)));
        }
    }
}
