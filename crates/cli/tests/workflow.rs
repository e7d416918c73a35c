//! The command line as a person uses it: help and suggestions, ignore files and
//! excludes, configuration discovery, the text output, baselines.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PRIVILEGED_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: apps\nspec:\n  containers:\n  - name: web\n    image: registry.example.com/web:1.0\n    securityContext:\n      privileged: true\n";

fn kubeward(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward")).current_dir(dir).args(args).env_remove("NO_COLOR").output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh directory, the root of a pretend repository (it holds `.git`, so
/// configuration discovery stops there).
fn repository(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kubeward-workflow-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    dir
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn scanned_files(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    let report: serde_json::Value = serde_json::from_slice(&kubeward(dir, &all).stdout).unwrap();
    let mut files: Vec<String> =
        report["documents"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap().to_string()).collect();
    files.dedup();
    files
}

#[test]
fn help_per_command_suggestions_and_completions() {
    let dir = repository("help");
    let help = kubeward(&dir, &["scan", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    let text = stdout(&help);
    assert!(text.contains("--fail-on") && text.contains("--baseline") && !text.contains("--pss-version"), "{text}");
    let help = kubeward(&dir, &["explain", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("CHECK-ID"));
    let output = kubeward(&dir, &["explain", "no-priviliged"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("did you mean `no-privileged`?"), "{}", stderr(&output));
    let output = kubeward(&dir, &["scna", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("scan"));
    let output = kubeward(&dir, &["scan", "--formt", "json", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--format"));
    // clap's own errors follow --color as well.
    assert!(stderr(&kubeward(&dir, &["--color", "always", "scna", "."])).contains('\u{1b}'));
    assert!(!stderr(&kubeward(&dir, &["--color=never", "scna", "."])).contains('\u{1b}'));
    let version = kubeward(&dir, &["--version"]);
    assert_eq!((version.status.code(), stdout(&version).starts_with("kubeward ")), (Some(0), true));
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = kubeward(&dir, &["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        assert!(stdout(&output).contains("pss-version"), "{shell}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ignore_files_excludes_and_links() {
    let dir = repository("walk");
    for path in ["app/pod.yaml", "node_modules/pkg/pod.yaml", "vendor/chart/pod.yaml", "app/tests/fixture.yaml"] {
        write(&dir, path, PRIVILEGED_POD);
    }
    write(&dir, ".gitignore", "node_modules/\n");
    assert_eq!(scanned_files(&dir, &["."]), ["./app/pod.yaml", "./app/tests/fixture.yaml", "./vendor/chart/pod.yaml"]);
    assert_eq!(scanned_files(&dir, &["--no-ignore", "."]).len(), 4);
    assert_eq!(scanned_files(&dir, &["--exclude", "vendor", "--exclude", "app/tests/**", "."]), ["./app/pod.yaml"]);
    // The configuration's globs are relative to its file.
    write(&dir, "ci/kubeward.yaml", "exclude: ['../vendor/**', tests]\n");
    assert_eq!(scanned_files(&dir, &["--config", "ci/kubeward.yaml", "."]), ["./app/pod.yaml", "./ci/kubeward.yaml"]);
    let text = stdout(&kubeward(&dir, &["scan", "--config", "ci/kubeward.yaml", "."]));
    assert!(text.contains("2 files excluded"), "{text}");
    // `fix` walks as `scan` does: an excluded (vendored) file is never written.
    let fixed = kubeward(&dir, &["fix", "--config", "ci/kubeward.yaml", "."]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stderr(&fixed));
    assert_eq!(std::fs::read_to_string(dir.join("vendor/chart/pod.yaml")).unwrap(), PRIVILEGED_POD);
    assert_eq!(std::fs::read_to_string(dir.join("app/tests/fixture.yaml")).unwrap(), PRIVILEGED_POD);
    assert_ne!(std::fs::read_to_string(dir.join("app/pod.yaml")).unwrap(), PRIVILEGED_POD, "the scanned file is fixed");
    write(&dir, "app/pod.yaml", PRIVILEGED_POD);
    // A link is not followed unless asked.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("vendor"), dir.join("app/linked")).unwrap();
        let files = scanned_files(&dir, &["--exclude", "vendor", "app"]);
        assert_eq!(files, ["app/pod.yaml", "app/tests/fixture.yaml"]);
        let files = scanned_files(&dir, &["--follow-links", "--exclude", "vendor", "app"]);
        assert!(files.contains(&"app/linked/chart/pod.yaml".to_string()), "{files:?}");
    }
    // A path that does not exist is exit 2, findings or not.
    assert_eq!(kubeward(&dir, &["scan", "app", "no/such/file.yaml"]).status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn configuration_discovery_and_check_selection() {
    let dir = repository("discovery");
    write(&dir, "deploy/pod.yaml", PRIVILEGED_POD);
    write(&dir, "kubeward.yaml", "checks:\n  no-privileged:\n    enabled: false\n");
    let nested = dir.join("deploy");
    let text = stdout(&kubeward(&nested, &["scan", "pod.yaml"]));
    assert!(text.contains("configuration: ../kubeward.yaml") || text.contains("configuration: "), "{text}");
    assert!(!text.contains("[no-privileged]"), "the found configuration disables it: {text}");
    let text = stdout(&kubeward(&nested, &["scan", "--no-config", "pod.yaml"]));
    assert!(text.contains("[no-privileged]") && text.contains("configuration: none"), "{text}");
    // A hidden name is preferred, and discovery stops at the repository root.
    write(&dir, "deploy/.kubeward.yaml", "checks:\n  run-as-non-root:\n    enabled: false\n");
    let text = stdout(&kubeward(&nested, &["scan", "pod.yaml"]));
    assert!(text.contains(".kubeward.yaml") && text.contains("[no-privileged]"), "{text}");
    let inner = repository("discovery-inner");
    write(&inner, "pod.yaml", PRIVILEGED_POD);
    assert!(stdout(&kubeward(&inner, &["scan", "pod.yaml"])).contains("configuration: none"));
    // --select and --ignore for one run.
    let text = stdout(&kubeward(
        &nested,
        &["scan", "--no-config", "--format", "concise", "--select", "no-privileged", "pod.yaml"],
    ));
    let checks: Vec<&str> =
        text.lines().filter(|l| l.starts_with("pod.yaml:")).filter_map(|l| l.split(' ').nth(2)).collect();
    assert!(!checks.is_empty() && checks.iter().all(|c| *c == "no-privileged"), "{text}");
    let text =
        stdout(&kubeward(&nested, &["scan", "--no-config", "--ignore", "no-privileged,run-as-non-root", "pod.yaml"]));
    assert!(!text.contains("[no-privileged]") && !text.contains("[run-as-non-root]"), "{text}");
    let output = kubeward(&nested, &["scan", "--select", "no-priviliged", "pod.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("did you mean `no-privileged`?"), "{}", stderr(&output));
    // A mistyped configuration key is a usage error with a suggestion.
    write(&dir, "deploy/.kubeward.yaml", "chekcs: {}\n");
    let output = kubeward(&nested, &["scan", "pod.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("did you mean `checks`?"), "{}", stderr(&output));
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&inner).unwrap();
}

#[test]
fn text_output_for_people() {
    let dir = repository("text");
    write(
        &dir,
        "pod.yaml",
        &format!(
            "{PRIVILEGED_POD}---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n"
        ),
    );
    let output = kubeward(&dir, &["scan", "--no-config", "pod.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    // One header per object, code frames with the field underlined, most severe first.
    assert!(text.contains("pod.yaml\n\n  Pod apps/p (document 0)\n"), "{text}");
    assert!(
        text.contains("critical[no-privileged]: container \"web\" runs privileged\n  --> pod.yaml:11:7\n   |\n11 |       privileged: true\n   |       ^^^^^^^^^^^^^^^^\n"),
        "{text}"
    );
    let severities: Vec<usize> =
        ["critical[", "high[", "medium[", "low["].iter().filter_map(|level| text.find(level)).collect();
    assert!(severities.windows(2).all(|w| w[0] < w[1]), "most severe first: {text}");
    assert!(text.lines().any(|l| l.starts_with("skipped pod.yaml:13: Kustomization skipped: ")), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
    // --severity hides what is printed, --fail-on keeps the exit code.
    let output = kubeward(&dir, &["scan", "--no-config", "--severity", "critical", "pod.yaml"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text.contains("[no-privileged]") && !text.contains("high[") && text.contains("below critical not shown"),
        "{text}"
    );
    let text = stdout(&kubeward(&dir, &["scan", "--no-config", "--statistics", "pod.yaml"]));
    assert!(
        text.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["1", "critical", "no-privileged"]),
        "{text}"
    );
    let coloured = stdout(&kubeward(&dir, &["scan", "--no-config", "--color", "always", "pod.yaml"]));
    assert!(coloured.contains('\u{1b}'), "{coloured}");
    let never = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .current_dir(&dir)
        .args(["scan", "--no-config", "--color", "never", "pod.yaml"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(!stdout(&never).contains('\u{1b}'));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stdin_filename_names_standard_input_in_every_format() {
    let dir = repository("stdin");
    for format in ["concise", "json", "sarif", "github", "junit", "text"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kubeward"))
            .current_dir(&dir)
            .args(["scan", "--no-config", "--format", format, "--stdin-filename", "charts/web/pod.yaml", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(PRIVILEGED_POD.as_bytes()).unwrap();
        let text = stdout(&child.wait_with_output().unwrap());
        assert!(text.contains("charts/web/pod.yaml"), "{format}: {text}");
        assert!(!text.contains("\"-\"") && !text.contains("file=-,") && !text.contains("-:11"), "{format}: {text}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn baselines_accept_todays_findings_and_list_the_fixed() {
    let dir = repository("baseline");
    write(&dir, "pod.yaml", PRIVILEGED_POD);
    let written = kubeward(&dir, &["scan", "--no-config", "--write-baseline", "baseline.json", "pod.yaml"]);
    assert_eq!(written.status.code(), Some(1), "writing a baseline does not change this run's verdict");
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(baseline["kubewardBaseline"], 1);
    let entry = baseline["findings"].as_array().unwrap().iter().find(|e| e["check"] == "no-privileged").unwrap();
    assert_eq!(entry["path"], "/spec/containers/0/securityContext/privileged");
    assert_eq!(
        (entry["kind"].as_str(), entry["name"].as_str(), entry["container"].as_str()),
        (Some("Pod"), Some("p"), Some("web"))
    );
    // Lines move, the findings still match; they do not fail the run.
    write(&dir, "pod.yaml", &format!("# a comment\n# another\n{PRIVILEGED_POD}"));
    let output = kubeward(&dir, &["scan", "--no-config", "--baseline", "baseline.json", "pod.yaml"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("0 findings") && text.contains(" baselined") && text.contains("0 entries fixed"), "{text}");
    let json: serde_json::Value = serde_json::from_slice(
        &kubeward(&dir, &["scan", "--no-config", "--format", "json", "--baseline", "baseline.json", "pod.yaml"]).stdout,
    )
    .unwrap();
    let finding = json["findings"].as_array().unwrap().iter().find(|f| f["check"] == "no-privileged").unwrap();
    assert_eq!(finding["suppressed"]["by"], "baseline");
    // A fix is listed as fixed; a new finding fails the run.
    write(&dir, "pod.yaml", &PRIVILEGED_POD.replace("privileged: true", "privileged: false"));
    let text = stdout(&kubeward(&dir, &["scan", "--no-config", "--baseline", "baseline.json", "pod.yaml"]));
    assert!(
        text.contains("1 entry fixed") && text.contains("fixed Pod apps/p: no-privileged container \"web\""),
        "{text}"
    );
    write(&dir, "other.yaml", &PRIVILEGED_POD.replace("name: p\n", "name: q\n"));
    let output = kubeward(&dir, &["scan", "--no-config", "--baseline", "baseline.json", "pod.yaml", "other.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    // The schema the CLI prints is the one checked in, and a bad baseline is a usage error.
    let checked_in =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/baseline.schema.json"))
            .unwrap();
    assert_eq!(stdout(&kubeward(&dir, &["schema", "baseline"])), checked_in);
    write(&dir, "bad.json", "{\"findings\": []}");
    assert_eq!(kubeward(&dir, &["scan", "--baseline", "bad.json", "pod.yaml"]).status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn exemptions_that_do_nothing_are_reported() {
    let dir = repository("exemptions");
    let pod = PRIVILEGED_POD.replace(
        "  namespace: apps\n",
        "  namespace: apps\n  annotations:\n    kubeward.io/ignore: no-privilegd\n    kubeward.io/ignore-reason: a node agent\n",
    );
    write(&dir, "pod.yaml", &pod);
    write(
        &dir,
        "kubeward.yaml",
        "ignores:\n- check: no-host-namespaces\n  reason: none run here\n- check: no-privileged\n  name: q\n  reason: not this pod\n",
    );
    let output = kubeward(&dir, &["scan", "pod.yaml"]);
    let text = stdout(&output);
    assert!(text.contains("low[invalid-exemption]: kubeward.io/ignore names unknown check \"no-privilegd\"; did you mean \"no-privileged\"?"), "{text}");
    assert!(text.contains("unused exemption: ignores[0] (no-host-namespaces) suppresses nothing"), "{text}");
    assert!(text.contains("unused exemption: ignores[1] (no-privileged) suppresses nothing"), "{text}");
    // The configuration's own mistakes are findings in its file, not errors (exit 1, not 2).
    write(
        &dir,
        "kubeward.yaml",
        "# exemptions\nignores:\n- check: no-privilegd\n  reason: a node agent\n- check: no-privileged\n  name: q\n",
    );
    let output = kubeward(&dir, &["scan", "--format", "concise", "pod.yaml"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("kubeward.yaml:3:3: low invalid-exemption ignores[0] names unknown check \"no-privilegd\"; did you mean \"no-privileged\"?"), "{text}");
    assert!(
        text.contains(
            "kubeward.yaml:5:3: low invalid-exemption the exemption of \"no-privileged\" in ignores[1] gives no reason"
        ),
        "{text}"
    );
    let output = kubeward(&dir, &["scan", "pod.yaml"]);
    let text = stdout(&output);
    assert!(text.contains("\n  Configuration\n"), "{text}");
    assert!(!text.contains("ignores[0] (no-privilegd) suppresses nothing"), "reported once, as invalid: {text}");
    std::fs::remove_dir_all(&dir).unwrap();
}
