//! `hostNamespaces` (baseline, v1.0+): no `hostNetwork`, `hostPID` or `hostIPC`.

use super::{is_true, Control, Found, PssLevel};
use crate::model::pod::Pod;

pub(crate) const CONTROL: Control =
    Control { id: "hostNamespaces", level: PssLevel::Baseline, revisions: &[0], replaces: None, run };

fn run<'a>(pod: &Pod<'a>, _revision: u32, found: &mut Found<'a>) {
    for field in ["hostNetwork", "hostPID", "hostIPC"] {
        let view = pod.field(field);
        if is_true(&view) {
            found.pod(&view, format!("{} must not share a host namespace ({field}=true)", pod.label()));
        }
    }
}
