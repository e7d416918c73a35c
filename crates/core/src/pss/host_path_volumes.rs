//! `hostPathVolumes` (baseline, v1.0+): no `hostPath` volume.

use super::{string, Control, Found, PssLevel};
use crate::model::pod::Pod;

pub(crate) const CONTROL: Control =
    Control { id: "hostPathVolumes", level: PssLevel::Baseline, revisions: &[0], replaces: None, run };

fn run<'a>(pod: &Pod<'a>, _revision: u32, found: &mut Found<'a>) {
    for (index, volume) in pod.volumes().into_iter().enumerate() {
        let host_path = volume.get("hostPath");
        if host_path.exists() {
            let name = string(&volume.get("name")).map_or_else(|| format!("#{index}"), str::to_string);
            let path = string(&host_path.get("path")).unwrap_or("");
            found.pod_about(
                &name,
                &host_path,
                format!("{} must not use hostPath (path {path:?})", pod.volume_label(&name)),
            );
        }
    }
}
