//! `restrictedVolumes` (restricted, v1.0+, one revision; replaces
//! `hostPathVolumes`): only the volume sources that need no node access or
//! external storage plugin. A volume with no source is an `emptyDir` after defaulting.

use super::{string, Control, Found, PssLevel};
use crate::model::pod::Pod;

pub(crate) const CONTROL: Control = Control {
    id: "restrictedVolumes",
    level: PssLevel::Restricted,
    revisions: &[0],
    replaces: Some("hostPathVolumes"),
    run,
};

/// Volume sources the restricted level allows (not versioned).
pub(crate) const ALLOWED: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// Volume sources Kubernetes defines that the restricted level forbids.
pub(crate) const FORBIDDEN: &[&str] = &[
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "portworxVolume",
    "photonPersistentDisk",
    "scaleIO",
    "storageos",
];

fn run<'a>(pod: &Pod<'a>, _revision: u32, found: &mut Found<'a>) {
    for (index, volume) in pod.volumes().into_iter().enumerate() {
        if !volume.is_map() {
            continue;
        }
        let name = string(&volume.get("name")).map_or_else(|| format!("#{index}"), str::to_string);
        // Every key but `name` is a volume source; null ones are not written. None at all: emptyDir.
        for (source, view) in volume.entries() {
            if source == "name" || !view.exists() || ALLOWED.contains(&&*source) {
                continue;
            }
            let reason = if FORBIDDEN.contains(&&*source) {
                format!("{} must not use volume type {source:?}", pod.volume_label(&name))
            } else {
                format!("{} uses unknown volume type {source:?}", pod.volume_label(&name))
            };
            found.pod_about(&source, &view, reason);
        }
    }
}
