//! Production namespaces enforce, audit and warn at the restricted Pod
//! Security level (item 1.1).

use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};
use crate::pss::labels::{self, Label, MODES};
use crate::pss::{PssLevel, PSS_NEWEST_MINOR};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-namespace-labels",
        title: "Production namespace does not enforce the restricted Pod Security Standard",
        severity: Severity::High,
        items: &[("1.1", "a production namespace without the restricted enforce, audit and warn labels is what 1.1 forbids")],
        section: "pod",
        rationale: "Pod Security Admission holds every pod of a namespace to the level its labels name. Without an \
            `enforce` label at `restricted`, the cluster default (usually `privileged`) applies and nothing \
            stops a privileged or root pod; the `audit` and `warn` labels make violations visible in audit logs \
            and to whoever applies a manifest. A pinned old `*-version` keeps the namespace on an older, weaker \
            edition of the checks.",
        remediation: "Label the namespace `pod-security.kubernetes.io/enforce: restricted`, \
            `pod-security.kubernetes.io/audit: restricted` and `pod-security.kubernetes.io/warn: restricted`, \
            with the `-version` labels at `latest` (or left out).",
        fail_example: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n",
        pass_example: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/audit: restricted\n    pod-security.kubernetes.io/warn: restricted\n    pod-security.kubernetes.io/enforce-version: latest\n",
    },
    run: Run::Object(run),
};

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    let identity = &ctx.object.identity;
    if identity.kind != "Namespace" || identity.api_version != "v1" || !ctx.object.production {
        return;
    }
    let name = identity.name.as_deref().unwrap_or_default();
    let labels_view = ctx.object.root.path(&["metadata", "labels"]);
    for mode in MODES {
        let read = labels::mode(&labels_view, mode);
        match read.level {
            Label::Valid(PssLevel::Restricted) | Label::Invalid(_) => {}
            Label::Valid(level) => sink.report(
                &read.level_view,
                message!("production namespace {name:?} sets {mode} level {level}, not restricted"),
            ),
            Label::Missing => sink.report(
                &read.level_view,
                message!("production namespace {name:?} has no {} label", labels::level_key(mode)),
            ),
        }
        if let Label::Valid(version) = read.version {
            if version.minor().is_some_and(|minor| minor < PSS_NEWEST_MINOR) {
                sink.report_with_severity(
                    &read.version_view,
                    None,
                    Severity::Low,
                    message!("production namespace {name:?} pins {mode} checks to {version} (newest is v1.{PSS_NEWEST_MINOR}; use latest)"),
                );
            }
        }
    }
}
