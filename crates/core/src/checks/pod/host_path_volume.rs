//! No hostPath volumes; container-runtime sockets and sensitive host
//! directories are critical (Pod Security baseline `hostPathVolumes`).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::view::Value;
use crate::pss::{control, PssVersion};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "host-path-volume",
        title: "Pod mounts a directory or file of the node (hostPath)",
        severity: Severity::High,
        items: &[],
        section: "pod",
        rationale: "A hostPath volume gives the pod the node's files. A container-runtime socket (docker.sock, \
            containerd.sock, crio.sock) lets it start privileged containers on the node; `/`, `/etc`, `/proc`, \
            `/sys`, `/root`, `/var/run` or the kubelet's directory hand over the node's credentials and \
            configuration. Written to, a hostPath is also a way to plant files the node will run.",
        remediation: "Use an `emptyDir`, a ConfigMap or Secret, or a PersistentVolumeClaim. If an agent truly needs a \
            node path, mount the narrowest path with `readOnly: true` and run it in a dedicated, non-production namespace.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    volumeMounts:\n    - name: docker\n      mountPath: /var/run/docker.sock\n  volumes:\n  - name: docker\n    hostPath:\n      path: /var/run/docker.sock\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    volumeMounts:\n    - name: cache\n      mountPath: /cache\n  volumes:\n  - name: cache\n    emptyDir: {}\n",
    },
    run: Run::Pod(run),
};

/// Container-runtime sockets: whoever can write to one controls the node.
const RUNTIME_SOCKETS: &[&str] = &["docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock", "podman.sock"];

/// Host directories whose contents are the node's configuration, credentials or kernel interfaces.
const SENSITIVE_DIRECTORIES: &[&str] = &[
    "/",
    "/etc",
    "/proc",
    "/sys",
    "/dev",
    "/boot",
    "/root",
    "/home",
    "/run",
    "/var/run",
    "/var/lib/kubelet",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/etc/kubernetes",
];

/// Trees in which every path is sensitive.
const SENSITIVE_TREES: &[&str] = &["/proc/", "/sys/", "/root/", "/var/lib/kubelet/", "/etc/kubernetes/", "/dev/"];

/// Why a host path is critical, if it is.
fn critical(path: &str) -> Option<&'static str> {
    let trimmed = path.trim_end_matches('/');
    let normalized = if trimmed.is_empty() { "/" } else { trimmed };
    if RUNTIME_SOCKETS.iter().any(|socket| normalized.ends_with(socket)) {
        return Some("a container-runtime socket");
    }
    // The path itself, or a parent of one of them (`/var` holds `/var/run`).
    let holds = |directory: &str| directory.strip_prefix(normalized).is_some_and(|rest| rest.starts_with('/'));
    if SENSITIVE_DIRECTORIES.contains(&normalized) || SENSITIVE_DIRECTORIES.iter().any(|d| holds(d)) {
        return Some("a sensitive host directory");
    }
    if SENSITIVE_TREES.iter().any(|tree| normalized.starts_with(tree)) {
        return Some("inside a sensitive host directory");
    }
    None
}

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for violation in control::HOST_PATH_VOLUMES.violations(ctx.pod, PssVersion::LATEST) {
        let volume = violation.subject.clone().unwrap_or_default();
        let path = violation.at.get("path").str().present().unwrap_or("");
        let writers: Vec<String> = ctx
            .pod
            .containers
            .iter()
            .filter(|container| {
                container.view.get("volumeMounts").items().iter().any(|mount| {
                    mount.get("name").str().present() == Some(volume.as_str())
                        && mount.get("readOnly").bool() != Value::Present(true)
                })
            })
            .map(|container| container.label().to_string())
            .collect();
        let mut message = message!("{} mounts host path {path:?}", ctx.pod.volume_label(&volume));
        let severity = critical(path).map(|why| {
            message.push_str(&format!(", {why}"));
            Severity::Critical
        });
        if !writers.is_empty() {
            message.push_str(&format!("; mounted writable by {}", writers.join(", ")));
        }
        match severity {
            Some(severity) => sink.report_with_severity(&violation.at, None, severity, message),
            None => sink.report(&violation.at, message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::critical;

    #[test]
    fn sockets_and_sensitive_directories_are_critical() {
        for path in ["/var/run/docker.sock", "/run/containerd/containerd.sock", "/", "/etc", "/etc/", "/proc/1", "/var"]
        {
            assert!(critical(path).is_some(), "{path}");
        }
        for path in ["/data", "/var/log/app", "/opt/cache", "/etcd-data"] {
            assert!(critical(path).is_none(), "{path}");
        }
    }
}
