//! Credentials written literally into env values, arguments, commands and
//! ConfigMaps (item 4.4).
//!
//! See [`super::detect`] for what is recognised and what is deliberately not.

use crate::checks::secrets::detect::{self, Detection, Strictness};
use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};
use crate::model::pod::Container;
use crate::model::view::View;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "hardcoded-credential",
        title: "Credential written literally in a manifest",
        severity: Severity::High,
        items: &[("4.4", "a credential is written literally in the manifest")],
        section: "secrets",
        rationale: "A password, token or private key written into a manifest is in every clone of the \
            repository, every CI log that prints it and every backup, forever: rotating it means rewriting \
            history. kubeward recognises credentials by their shape (PEM private keys, AWS access key ids, \
            GitHub, GitLab, Slack, Stripe and Google tokens, JWTs, passwords in URLs) and by the name they are \
            given (`DB_PASSWORD`, `apiKey`, `--token`), and ignores references (`${VAR}`, `$(VAR)`), paths, \
            empty values and placeholders such as `changeme`. Messages show only the first characters.",
        remediation: "Remove the value, rotate the credential, and reference it instead: a Secret mounted as a \
            file, created from an external manager (External Secrets Operator, the Secrets Store CSI driver) or \
            committed encrypted (Sealed Secrets, SOPS).",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    env:\n    - name: DB_PASSWORD\n      value: Tr0ub4dor-and-3\n    args: [\"--api-token=9f8e7d6c5b4a39281706\"]\n",
        pass_example: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  password_file: /etc/app/password\n  PASSWORD_MIN_LENGTH: \"8\"\n  admin_password: ${ADMIN_PASSWORD}\n  app.ini: |\n    [auth]\n    token_url = https://auth.example.com/token\n",
    },
    run: Run::Object(run),
};

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    for pod in &ctx.object.pods {
        for container in &pod.containers {
            check_container(container, sink);
        }
    }
    if ctx.object.identity.is("", "ConfigMap") {
        let label = ctx.object.label();
        for (key, view) in ctx.object.root.get("data").entries() {
            let Some(value) = view.str().present() else {
                continue;
            };
            let found = if value.contains('\n') {
                detect::in_text(value)
            } else {
                detect::named(&key, value, Strictness::Configuration)
            };
            if let Some(found) = found {
                sink.report(&view, message!("{label} key {key:?} holds a {}: {}", found.what, found.masked));
            }
        }
    }
}

fn check_container(container: &Container<'_>, sink: &mut Sink) {
    let mut report = |at: &View<'_>, place: String, found: Detection| {
        sink.report_container(
            at,
            &container.name,
            message!("{} {place} holds a {}: {}", container.label(), found.what, found.masked),
        );
    };
    for item in container.view.get("env").items() {
        let value = item.get("value");
        let (Some(name), Some(text)) = (item.get("name").str().present(), value.str().present()) else {
            continue;
        };
        if let Some(found) = detect::named(name, text, Strictness::Assignment) {
            report(&value, format!("environment variable {name}"), found);
        }
    }
    for field in ["command", "args"] {
        let items = container.view.get(field).strings();
        let mut previous_flag: Option<&str> = None;
        for (text, view) in &items {
            let found = if let Some(flag) = previous_flag.take() {
                detect::named(flag, text, Strictness::Assignment)
            } else if let Some((flag, value)) = text.strip_prefix('-').and_then(|t| t.split_once('=')) {
                detect::named(flag, value, Strictness::Assignment)
            } else {
                detect::shaped(text)
            };
            if let Some(found) = found {
                report(view, format!("{field} item {text_label}", text_label = flag_label(text)), found);
                continue;
            }
            if text.starts_with('-') && !text.contains('=') && detect::is_sensitive_name(text) {
                previous_flag = Some(text);
            }
        }
    }
}

/// Names an argument without echoing its value (`--token=...`).
fn flag_label(text: &str) -> String {
    match text.split_once('=') {
        Some((flag, _)) if flag.starts_with('-') => format!("{flag}=…"),
        _ if text.starts_with('-') => text.to_string(),
        _ => "(value)".to_string(),
    }
}
