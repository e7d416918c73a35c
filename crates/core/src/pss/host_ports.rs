//! `hostPorts` (baseline, v1.0+): no container port bound on the node.

use super::{Control, Found, PssLevel};
use crate::model::pod::Pod;

pub(crate) const CONTROL: Control =
    Control { id: "hostPorts", level: PssLevel::Baseline, revisions: &[0], replaces: None, run };

fn run<'a>(pod: &Pod<'a>, _revision: u32, found: &mut Found<'a>) {
    for container in &pod.containers {
        for port in container.view.get("ports").items() {
            let host_port = port.get("hostPort");
            if let Some(number) = host_port.int().present().filter(|&n| n != 0) {
                found.container(container, &host_port, format!("{} must not use hostPort {number}", container.label()));
            }
        }
    }
}
