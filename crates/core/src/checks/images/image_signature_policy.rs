//! Image signatures are verified, and unsigned images are blocked (items 5.4, 5.5).

use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::model::component::Component;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "image-signature-policy",
        title: "Image signatures are not verified, or unsigned images are only audited",
        severity: Severity::High,
        items: &[("5.4", "no policy verifies image signatures"), ("5.5", "unsigned images are only audited, not rejected")],
        section: "images",
        rationale: "Signing images (Cosign, Notation) proves they came out of your pipeline; only an admission \
            controller that rejects unsigned images makes that proof matter. A Kyverno `verifyImages` rule in \
            `Audit` mode, or a Sigstore `ClusterImagePolicy` in `warn` mode, records unsigned images and lets \
            them run; the Sigstore policy-controller also ignores every namespace without the label \
            `policy.sigstore.dev/include: \"true\"`. A missing verification policy is reported only for \
            cluster-level input (see the inventory in the report); for an application's manifests alone the \
            item is not assessed.",
        remediation: "Deploy a signature-verification policy that enforces: a Kyverno ClusterPolicy with \
            `verifyImages` and `validationFailureAction: Enforce` (`failureAction: Enforce` on each rule from \
            Kyverno 1.13), a Sigstore `ClusterImagePolicy` with `mode: enforce` and the opt-in label on every \
            production namespace, Connaisseur, or Ratify with Gatekeeper.",
        fail_example: "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: verify-images\nspec:\n  validationFailureAction: Audit\n  rules:\n  - name: signed\n    match:\n      any:\n      - resources:\n          kinds: [Pod]\n    verifyImages:\n    - imageReferences: [\"registry.example.com/*\"]\n      attestors:\n      - entries:\n        - keyless:\n            issuer: https://token.actions.githubusercontent.com\n            subject: https://github.com/example/*\n",
        pass_example: "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: verify-images\nspec:\n  validationFailureAction: Enforce\n  rules:\n  - name: signed\n    match:\n      any:\n      - resources:\n          kinds: [Pod]\n    verifyImages:\n    - imageReferences: [\"registry.example.com/*\"]\n      attestors:\n      - entries:\n        - keyless:\n            issuer: https://token.actions.githubusercontent.com\n            subject: https://github.com/example/*\n",
    },
    run: Run::Set(run),
};

fn enforces(action: &str) -> bool {
    matches!(action, "Enforce" | "enforce" | "Deny" | "deny")
}

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    let mut any = false;
    let mut enforcing = false;
    let mut policy_controller_enforcing = false;
    for (index, object) in ctx.objects.iter().enumerate() {
        let Some(object) = &object.full else { continue };
        let identity = &object.identity;
        if identity.group() == "kyverno.io" && matches!(identity.kind.as_str(), "ClusterPolicy" | "Policy") {
            let spec = object.root.get("spec");
            let spec_action = spec.get("validationFailureAction");
            for rule in spec.get("rules").items() {
                for verify in rule.get("verifyImages").items() {
                    any = true;
                    let own = verify.get("failureAction");
                    let (decided_by, action) = match (own.str().present(), spec_action.str().present()) {
                        (Some(action), _) => (own.clone(), action),
                        (None, Some(action)) => (spec_action.clone(), action),
                        (None, None) => (spec_action.clone(), "Audit"),
                    };
                    if enforces(action) {
                        enforcing |= identity.kind == "ClusterPolicy";
                        continue;
                    }
                    let rule_name = rule.get("name").str().present().unwrap_or("?");
                    let how = if decided_by.written() { "" } else { " (Kyverno's default)" };
                    sink.report(
                        index,
                        &decided_by,
                        message!(
                            "{} verifies image signatures in rule \"{rule_name}\" in {action} mode{how}: unsigned images are admitted",
                            object.label()
                        ),
                    );
                }
            }
        }
        if identity.is("policy.sigstore.dev", "ClusterImagePolicy") {
            any = true;
            let mode = object.root.path(&["spec", "mode"]);
            match mode.str().present() {
                Some("warn") => sink.report(
                    index,
                    &mode,
                    message!("{} verifies signatures in warn mode: unsigned images are admitted", object.label()),
                ),
                _ => policy_controller_enforcing = true,
            }
        }
    }
    let facts = ctx.facts;
    if facts.has(&[Component::Connaisseur, Component::Ratify]) {
        any = true;
        enforcing = true;
    }
    if policy_controller_enforcing && !enforcing {
        for (index, object) in ctx.objects.iter().enumerate() {
            let Some(object) = object.full.as_ref().filter(|object| object.identity.is("", "Namespace")) else {
                continue;
            };
            let name = object.identity.name.as_deref();
            if !ctx.config.production.is_production(name) {
                continue;
            }
            let label = object.root.path(&["metadata", "labels", "policy.sigstore.dev/include"]);
            if label.str().present() != Some("true") {
                sink.report(
                    index,
                    &label,
                    message!(
                        "{} is a production namespace without the label policy.sigstore.dev/include: \"true\": the policy-controller does not verify its images",
                        object.label()
                    ),
                );
            }
        }
    }
    if !any {
        if let Some((index, reason)) = &facts.cluster_level {
            if let Some(object) = ctx.objects.get(*index) {
                sink.report(
                    *index,
                    &object.summary.root,
                    message!(
                        "the cluster described by this input (found {reason}) verifies no image signatures: no Kyverno verifyImages rule, Sigstore ClusterImagePolicy, Connaisseur or Ratify"
                    ),
                );
            }
        }
    }
}
