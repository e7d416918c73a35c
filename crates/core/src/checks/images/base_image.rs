//! Full distribution base images, where a minimal one would do (item 5.7).

use crate::checks::images::images;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "base-image",
        title: "Full distribution image where a minimal one would do",
        severity: Severity::Info,
        items: &[("5.7", "a full distribution image where a minimal one would do")],
        section: "images",
        rationale: "A full distribution image (Ubuntu, Debian, CentOS, Fedora, and the default variants of \
            language images built on them) ships a shell, a package manager and hundreds of packages the \
            application never uses: more CVEs to triage and more tools for an intruder. Distroless, Chainguard, \
            `-slim` and Alpine variants carry a fraction of that. This is a hint based on the image name only.",
        remediation: "Build the application on a minimal base (distroless, Chainguard, a `-slim` or `-alpine` \
            variant, or `scratch` for static binaries) in a multi-stage build.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: tools\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/mirror/ubuntu:24.04\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: tools\nspec:\n  containers:\n  - name: app\n    image: gcr.io/distroless/static-debian12:nonroot\n  - name: py\n    image: registry.example.com/mirror/python:3.12-slim\n",
    },
    run: Run::Pod(run),
};

/// Full operating-system images.
const DISTROS: &[&str] = &[
    "ubuntu",
    "debian",
    "centos",
    "fedora",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "oraclelinux",
    "opensuse",
    "archlinux",
];
/// Language images whose default variant is a full Debian.
const LANGUAGE: &[&str] = &["python", "node", "golang", "ruby", "php", "openjdk", "perl", "rust", "buildpack-deps"];
/// Tag words that name a minimal variant.
const MINIMAL: &[&str] = &["slim", "alpine", "distroless", "minimal", "micro", "chainguard", "static", "scratch"];

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, image, view) in images(ctx.pod) {
        let name = image.base_name();
        let tag = image.tag.unwrap_or("").to_ascii_lowercase();
        let minimal_tag = MINIMAL.iter().any(|word| tag.contains(word));
        let kind = if DISTROS.contains(&name) && !minimal_tag {
            "a full distribution image"
        } else if LANGUAGE.contains(&name) && !minimal_tag {
            "a language image on a full distribution (no -slim or -alpine variant)"
        } else {
            continue;
        };
        sink.report_container(
            &view,
            &container.name,
            message!("{} runs {} ({}), {kind}", container.label(), image.repository(), image.tag.unwrap_or("latest")),
        );
    }
}
