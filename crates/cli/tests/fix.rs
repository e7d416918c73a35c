//! `kubeward fix`: writes, diffs, standard input, and what it leaves alone.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn kubeward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward")).args(args).output().unwrap()
}

/// A fresh copy of the insecure examples in a directory of its own.
fn copy_of_examples(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kubeward-fix-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(repo().join("examples/manifests/insecure")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn diff_writes_nothing_fix_writes_and_a_second_run_changes_nothing() {
    let dir = copy_of_examples("examples");
    let path = dir.display().to_string();
    let before = snapshot(&dir);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("shop.yaml"), std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let diff = kubeward(&["fix", "--diff", &path]);
    assert_eq!(diff.status.code(), Some(1), "something would change");
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(text.contains("+              allowPrivilegeEscalation: false"), "{text}");
    assert_eq!(snapshot(&dir), before, "--diff writes nothing");

    let fixed = kubeward(&["fix", &path]);
    assert_eq!(fixed.status.code(), Some(0), "{}", String::from_utf8_lossy(&fixed.stderr));
    let after = snapshot(&dir);
    assert_ne!(after, before);
    let stderr = String::from_utf8_lossy(&fixed.stderr);
    assert!(stderr.contains("what is left"), "{stderr}");
    // Comments survive.
    let shop = &after.iter().find(|(name, _)| name.ends_with("shop.yaml")).unwrap().1;
    assert!(shop.contains("# YAML 1.1: this is true to Kubernetes"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("shop.yaml")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640, "permissions kept");
    }
    // No temporary file is left behind.
    assert!(std::fs::read_dir(&dir).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().starts_with('.')));

    let again = kubeward(&["fix", "--diff", &path]);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stdout));
    // Unsafe fixes clear more, and a second unsafe pass is a no-op too.
    let unsafe_run = kubeward(&["fix", "--unsafe", &path]);
    assert_eq!(unsafe_run.status.code(), Some(0));
    assert_eq!(kubeward(&["fix", "--unsafe", "--diff", &path]).status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn only_limits_the_fixes_to_the_checks_named() {
    let dir = copy_of_examples("only");
    let path = dir.display().to_string();
    let diff = kubeward(&["fix", "--diff", "--only", "automount-service-account-token", &path]);
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(
        text.contains("+      automountServiceAccountToken: false") || text.contains("automountServiceAccountToken")
    );
    assert!(!text.contains("allowPrivilegeEscalation: false"), "{text}");
    assert_eq!(kubeward(&["fix", "--only", "no-such-check", &path]).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n";

fn with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn standard_input_is_fixed_to_standard_output() {
    let output = with_stdin(&["fix", "-"], POD);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        text,
        format!("{POD}    securityContext:\n      allowPrivilegeEscalation: false\n      seccompProfile:\n        type: RuntimeDefault\n  automountServiceAccountToken: false\n")
    );
}

#[test]
fn helm_rendered_documents_are_left_to_their_templates() {
    let input = format!("---\n# Source: web/templates/pod.yaml\n{POD}");
    let output = with_stdin(&["fix", "-"], &input);
    assert_eq!(String::from_utf8_lossy(&output.stdout), input);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("rendered by Helm") && stderr.contains("fix the template"), "{stderr}");
}

#[test]
fn a_document_that_does_not_parse_is_left_alone() {
    let input = format!("{POD}---\nkind: Pod\nspec: [unclosed\n");
    let output = with_stdin(&["fix", "-"], &input);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("allowPrivilegeEscalation: false"));
    assert!(text.ends_with("---\nkind: Pod\nspec: [unclosed\n"), "{text}");
}

#[test]
fn the_json_report_carries_fixes() {
    let output = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .current_dir(repo())
        .args(["scan", "--format", "json", "examples/manifests/insecure/jobs.yaml"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "no-privilege-escalation")
        .expect("a finding");
    assert_eq!(finding["fixes"][0]["safety"], "safe");
    assert_eq!(finding["fixes"][1]["safety"], "exemption");
    let checks: serde_json::Value = serde_json::from_slice(&kubeward(&["checks", "--format", "json"]).stdout).unwrap();
    let fix_of = |id: &str| checks.as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()["fix"].clone();
    assert_eq!(fix_of("seccomp-profile"), "safe");
    assert_eq!(fix_of("read-only-root-filesystem"), "unsafe");
    assert_eq!(fix_of("image-digest"), "none");
}
