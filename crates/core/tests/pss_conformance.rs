//! Conformance with the Kubernetes Pod Security Admission reference: every
//! fixture of `shared/conformance/pod-security-admission` (beside the
//! repository; never copied into it) is evaluated at its own level and
//! version, and also at `privileged`, and the newest version's files at
//! `latest` and at a newer minor. The verdict must match the directory
//! (`pass`/`fail`), and the set of violated controls must be exactly the one
//! the corpus README (section 2.5) derives from the file name.
//!
//! With `CI=true` a missing corpus is a failure; otherwise the test says
//! loudly that it skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kubeward::{Engine, PssLevel, PssReport, PssVersion, Source, PSS_NEWEST_MINOR};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/pod-security-admission/testdata");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the Pod Security conformance corpus is missing at {} (required when CI=true)",
        dir.display()
    );
    eprintln!(
        "\n!!! SKIPPED: Pod Security conformance corpus not found at {}\n!!! (set CI=true to make this a failure)\n",
        dir.display()
    );
    None
}

/// File stem (without the index) to the control the file exercises.
fn control_of(stem: &str) -> Option<&'static str> {
    Some(match stem {
        "apparmorprofile" => "appArmorProfile",
        "capabilities_baseline" => "capabilities_baseline",
        "hostnamespaces" => "hostNamespaces",
        "hostpathvolumes" => "hostPathVolumes",
        "hostports" => "hostPorts",
        "hostprobesandhostlifecycle" => "hostProbesAndHostLifecycle",
        "privileged" => "privileged",
        "procmount" => "procMount",
        "seccompprofile_baseline" => "seccompProfile_baseline",
        "selinuxoptions" => "seLinuxOptions",
        "sysctls" => "sysctls",
        "windowshostprocess" => "windowsHostProcess",
        "allowprivilegeescalation" => "allowPrivilegeEscalation",
        "capabilities_restricted" => "capabilities_restricted",
        "procmount_restricted" => "procMount_restricted",
        "restrictedvolumes" => "restrictedVolumes",
        "runasnonroot" => "runAsNonRoot",
        "runasuser" => "runAsUser",
        "seccompprofile_restricted" => "seccompProfile_restricted",
        _ => return None,
    })
}

/// The controls a `fail` file must violate (README section 2.5).
fn expected_violations(level: PssLevel, minor: u32, name: &str) -> BTreeSet<&'static str> {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let mut expected = BTreeSet::new();
    let Some(named) = control_of(stem) else {
        panic!("fail file {name} names no control");
    };
    let restricted = level == PssLevel::Restricted;
    let control = match named {
        "hostPathVolumes" if restricted => "restrictedVolumes",
        "seccompProfile_baseline" if restricted && minor >= 19 => "seccompProfile_restricted",
        "capabilities_baseline" if restricted && minor >= 22 => "capabilities_restricted",
        "procMount" if restricted && minor >= 35 => "procMount_restricted",
        other => other,
    };
    expected.insert(control);
    if named == "windowsHostProcess" {
        expected.insert("hostNamespaces");
    }
    if named == "privileged" && restricted && minor >= 8 {
        expected.insert("allowPrivilegeEscalation");
    }
    if name == "allowprivilegeescalation3" && restricted && minor >= 22 {
        expected.insert("capabilities_restricted");
    }
    expected
}

fn evaluate(engine: &Engine, name: &str, content: &[u8], level: PssLevel, version: PssVersion) -> PssReport {
    engine.pss(&[Source::new(name, content)], level, version)
}

/// The verdict and the violated controls of the single Pod in a report.
fn verdict(report: &PssReport) -> Result<(bool, BTreeSet<String>), String> {
    if !report.errors.is_empty() {
        return Err(format!("input errors: {:?}", report.errors));
    }
    let [object] = report.objects.as_slice() else {
        return Err(format!("expected one object, got {}", report.objects.len()));
    };
    if !object.applicable {
        return Err("the Pod is not applicable".into());
    }
    let checks: BTreeSet<String> = object.violations.iter().map(|v| v.check.clone()).collect();
    if object.allowed != checks.is_empty() {
        return Err("allowed disagrees with the violations".into());
    }
    Ok((object.allowed, checks))
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries
}

#[test]
fn every_fixture_gets_the_reference_verdict() {
    let Some(root) = corpus() else { return };
    let engine = Engine::default();
    let mut fixtures = 0usize;
    let mut evaluations = 0usize;
    let mut required = 0usize;
    let mut disagreements: Vec<String> = Vec::new();
    for level in [PssLevel::Baseline, PssLevel::Restricted] {
        for version_dir in sorted_entries(&root.join(level.as_str())) {
            let version_name = version_dir.file_name().unwrap().to_str().unwrap().to_string();
            let version: PssVersion = version_name.parse().expect("version directory");
            let minor = version.minor().expect("a v1.N directory");
            for verdict_name in ["pass", "fail"] {
                let verdict_dir = version_dir.join(verdict_name);
                if !verdict_dir.is_dir() {
                    continue;
                }
                for file in sorted_entries(&verdict_dir) {
                    let name = file.file_stem().unwrap().to_str().unwrap().to_string();
                    let content = std::fs::read(&file).unwrap();
                    let shown = format!("{}/{version_name}/{verdict_name}/{name}", level.as_str());
                    fixtures += 1;
                    let expected: BTreeSet<String> = if verdict_name == "pass" {
                        BTreeSet::new()
                    } else {
                        expected_violations(level, minor, &name).into_iter().map(str::to_string).collect()
                    };
                    // Required: the file's own level and version.
                    let mut runs = vec![(level, version, expected.clone())];
                    // Recommended: privileged allows everything.
                    runs.push((PssLevel::Privileged, version, BTreeSet::new()));
                    // Recommended: latest and newer minors behave as the newest version.
                    if minor == PSS_NEWEST_MINOR {
                        runs.push((level, PssVersion::LATEST, expected.clone()));
                        runs.push((level, PssVersion::v1(PSS_NEWEST_MINOR + 1), expected.clone()));
                    }
                    for (run_level, run_version, want) in runs {
                        evaluations += 1;
                        if run_level == level && run_version == version {
                            required += 1;
                        }
                        let report = evaluate(&engine, &shown, &content, run_level, run_version);
                        match verdict(&report) {
                            Ok((allowed, got)) => {
                                if allowed != want.is_empty() || got != want {
                                    disagreements.push(format!(
                                        "{shown} at {run_level}/{run_version}: expected {want:?}, got {got:?}"
                                    ));
                                }
                            }
                            Err(problem) => {
                                disagreements.push(format!("{shown} at {run_level}/{run_version}: {problem}"))
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {evaluations} evaluations disagree with the reference:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    assert_eq!(fixtures, 4_537, "the corpus README promises 4,537 fixtures");
    assert_eq!(required, 4_537);
    assert_eq!(evaluations, 4_537 * 2 + 148 * 2);
    println!("{fixtures} fixtures, {evaluations} evaluations ({required} required), all agree");
}
