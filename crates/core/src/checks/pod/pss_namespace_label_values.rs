//! Pod Security namespace labels hold values admission understands (item 1.1).

use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};
use crate::pss::labels::{self, Label, MODES};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-namespace-label-values",
        title: "Invalid Pod Security namespace label",
        severity: Severity::Medium,
        items: &[("1.1", "a label value Kubernetes does not accept enforces nothing")],
        section: "pod",
        rationale: "Admission does not reject a namespace whose Pod Security labels are misspelt: an invalid \
            `enforce` level silently becomes `restricted`, an invalid `audit` or `warn` level becomes \
            `privileged` (checks off), an invalid version becomes `latest`, and an unknown key is ignored. \
            The namespace then runs under a policy nobody wrote.",
        remediation: "Use the levels `privileged`, `baseline` or `restricted`, the versions `latest` or `v1.<minor>` \
            (for example `v1.30`, quoted so that YAML keeps it a string), and only the keys `enforce`, `audit`, \
            `warn` and their `-version` companions.",
        fail_example: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: Restricted\n    pod-security.kubernetes.io/enforce-version: \"1.30\"\n",
        pass_example: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: v1.30\n",
    },
    run: Run::Object(run),
};

const PREFIX: &str = "pod-security.kubernetes.io/";

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    let identity = &ctx.object.identity;
    if identity.kind != "Namespace" || identity.api_version != "v1" {
        return;
    }
    let name = identity.name.as_deref().unwrap_or_default();
    let labels_view = ctx.object.root.path(&["metadata", "labels"]);
    for mode in MODES {
        let read = labels::mode(&labels_view, mode);
        if let Label::Invalid(value) = &read.level {
            let fallback = if mode == "enforce" { "restricted" } else { "privileged" };
            sink.report(
                &read.level_view,
                message!(
                    "namespace {name:?} sets {} to {value}, not a level (admission falls back to {fallback})",
                    labels::level_key(mode)
                ),
            );
        }
        if let Label::Invalid(value) = &read.version {
            sink.report(
                &read.version_view,
                message!(
                    "namespace {name:?} sets {} to {value}, not a version (admission falls back to latest)",
                    labels::version_key(mode)
                ),
            );
        }
    }
    for (key, view) in labels_view.entries() {
        let Some(rest) = key.strip_prefix(PREFIX) else { continue };
        let known = MODES.iter().any(|mode| rest == *mode || rest.strip_suffix("-version") == Some(mode));
        if !known {
            sink.report(&view, message!("namespace {name:?} has unknown label {key:?}, which admission ignores"));
        }
    }
}
