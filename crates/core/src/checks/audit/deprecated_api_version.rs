//! apiVersions deprecated or removed as of the target Kubernetes version (item 7.5).

use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};
use crate::model::api_versions::{lookup, never_served};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "deprecated-api-version",
        title: "apiVersion deprecated, removed or never served for its kind",
        severity: Severity::High,
        items: &[("7.5", "an apiVersion removed (or never served) in the target version is the removed API 7.5 forbids")],
        section: "audit",
        rationale: "An apiVersion the target release no longer serves is rejected when applied: the upgrade \
            breaks the deployment, or the manifest silently stops describing what runs. A deprecated one still \
            works but announces that break (reported at low severity). An apiVersion of a built-in group that \
            never served the kind (`policy/v1` PodSecurityPolicy, `v1` Deployment) is rejected on any release. \
            The target version is `kubernetesVersion` in the configuration (default 1.34).",
        remediation: "Rewrite the object with the replacement apiVersion named in the message (`kubectl convert` \
            helps), adjusting the fields that changed between versions.",
        fail_example: "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: \"0 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: report\n            image: registry.example.com/report:1.0\n",
        pass_example: "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: \"0 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: report\n            image: registry.example.com/report:1.0\n",
    },
    run: Run::Object(run),
};

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    let identity = &ctx.object.identity;
    if let Some(serving) = never_served(&identity.api_version, &identity.kind) {
        sink.report_with_severity(
            &ctx.object.root.get("apiVersion"),
            None,
            Severity::High,
            message!(
                "{} never served {}, so the API server rejects this object; {} is served as {}",
                identity.api_version,
                identity.kind,
                identity.kind,
                serving.join(" or ")
            ),
        );
        return;
    }
    let Some(entry) = lookup(&identity.api_version, &identity.kind) else {
        return;
    };
    let (major, target) = ctx.config.target_version();
    if major != 1 {
        return;
    }
    let at = ctx.object.root.get("apiVersion");
    match entry.removed_in {
        Some(removed) if removed <= target => sink.report(
            &at,
            message!(
                "{} {} was removed in Kubernetes 1.{removed} (target 1.{target}); use {}",
                identity.api_version,
                identity.kind,
                entry.replacement
            ),
        ),
        _ if entry.deprecated_in <= target => sink.report_with_severity(
            &at,
            None,
            Severity::Low,
            message!(
                "{} {} is deprecated since Kubernetes 1.{}{}; use {}",
                identity.api_version,
                identity.kind,
                entry.deprecated_in,
                entry.removed_in.map_or_else(String::new, |removed| format!(" and removed in 1.{removed}")),
                entry.replacement
            ),
        ),
        _ => {}
    }
}
