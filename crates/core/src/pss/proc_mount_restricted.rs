//! `procMount_restricted` (restricted, v1.35+; replaces `procMount`): the v1.0
//! rule, whether or not the pod runs in a user namespace.

use super::proc_mount::default_proc_mount_only;
use super::{Control, Found, PssLevel};
use crate::model::pod::Pod;

pub(crate) const CONTROL: Control = Control {
    id: "procMount_restricted",
    level: PssLevel::Restricted,
    revisions: &[35],
    replaces: Some("procMount"),
    run,
};

fn run<'a>(pod: &Pod<'a>, _revision: u32, found: &mut Found<'a>) {
    default_proc_mount_only(pod, found);
}
