//! The `kubeward` binary: arguments, output formats and exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn kubeward() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kubeward"));
    command.current_dir(repo());
    command
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    kubeward().args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn insecure_examples_fail_with_positioned_findings() {
    let output = run(&["scan", "--format", "concise", "examples/manifests/insecure"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains(
            "examples/manifests/insecure/shop.yaml:30:11: critical no-privileged container \"web\" runs privileged"
        ),
        "{text}"
    );
    assert!(text
        .lines()
        .any(|l| l.starts_with("examples/manifests/insecure/agent.json:") && l.contains("high no-host-namespaces")));
    assert!(text.contains("findings ("));
}

#[test]
fn hardened_examples_pass() {
    let output = run(&["scan", "--format", "concise", "examples/manifests/hardened"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "the hardened twin is clean:\n{text}");
    assert!(text.contains("0 findings;"), "{text}");
    for check in [
        "run-as-non-root",
        "no-privilege-escalation",
        "drop-all-capabilities",
        "read-only-root-filesystem",
        "seccomp-profile",
        "no-host-namespaces",
        "resource-limits",
        "no-privileged",
        "mac-profile",
        "numeric-user-id",
    ] {
        assert!(!text.contains(&format!(" {check} ")), "{check} fires on the hardened twin:\n{text}");
    }
}

#[test]
fn fail_on_sets_the_threshold() {
    let output = run(&["scan", "--fail-on", "critical", "examples/manifests/insecure/agent.json"]);
    assert_eq!(output.status.code(), Some(0), "agent.json has nothing critical");
    let output = run(&["scan", "--fail-on=high", "examples/manifests/insecure/agent.json"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn json_report_follows_the_contract() {
    let output = run(&["scan", "--format", "json", "examples/manifests/insecure/shop.yaml"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["tool"]["name"], "kubeward");
    assert_eq!(report["schema_version"], "1");
    let finding = &report["findings"][0];
    for key in ["check", "severity", "message", "items", "object", "file", "document", "path", "range"] {
        assert!(finding.get(key).is_some(), "finding lacks {key}");
    }
    assert!(finding["range"]["start"]["line"].as_u64().unwrap() >= 1);
    assert_eq!(report["documents"][0]["status"], "evaluated");
}

#[test]
fn stdin_and_helm_source_comments() {
    let mut child = kubeward()
        .args(["scan", "--format", "concise", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"---\n# Source: shop/templates/pod.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers: []\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let text = stdout(&output);
    assert!(text.contains("-:8:3: high no-host-namespaces"), "{text}");
    assert!(text.contains("(template shop/templates/pod.yaml)"), "{text}");
}

#[test]
fn nothing_is_scanned_silently() {
    let empty = std::env::temp_dir().join(format!("kubeward-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let output = run(&["scan", "--format", "concise", empty.to_str().unwrap(), "does/not/exist.yaml"]);
    std::fs::remove_dir_all(&empty).unwrap();
    assert_eq!(output.status.code(), Some(2), "input that cannot be read is exit 2");
    let text = stdout(&output);
    assert!(text.contains("directory holds no .yaml, .yml or .json file"), "{text}");
    assert!(text.contains("does/not/exist.yaml:1:1: error cannot read file"), "{text}");
}

#[test]
fn usage_and_configuration_errors_exit_2() {
    assert_eq!(run(&["scan"]).status.code(), Some(2));
    assert_eq!(run(&["bogus"]).status.code(), Some(2));
    assert_eq!(run(&["explain", "no-such-check"]).status.code(), Some(2));
    let config = std::env::temp_dir().join(format!("kubeward-config-{}.yaml", std::process::id()));
    std::fs::write(&config, "checks:\n  no-privileged:\n    severity: dire\n").unwrap();
    let output = run(&["scan", "--config", config.to_str().unwrap(), "examples/manifests"]);
    std::fs::remove_file(&config).unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("line 3"));
}

#[test]
fn checks_and_explain() {
    let output = run(&["checks", "--format", "json"]);
    let checks: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &checks[0];
    for key in ["id", "title", "severity", "items"] {
        assert!(first.get(key).is_some());
    }
    let output = run(&["explain", "no-privileged"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("privileged: true"));
    assert!(stdout(&run(&["--help"])).contains("Exit codes"));
}

#[test]
fn several_formats_in_one_run() {
    let dir = std::env::temp_dir().join(format!("kubeward-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sarif = dir.join("out.sarif");
    let junit = dir.join("out.xml");
    let output = run(&[
        "scan",
        "--format",
        "github",
        &format!("--format=sarif={}", sarif.display()),
        "--format",
        &format!("junit={}", junit.display()),
        "examples/manifests/insecure/shop.yaml",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let annotations = stdout(&output);
    assert!(
        annotations.contains("::error file=examples/manifests/insecure/shop.yaml,line=30,col=11,endLine=30,endColumn=26,title=kubeward no-privileged (critical)::container \"web\" runs privileged"),
        "{annotations}"
    );
    let sarif: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result =
        sarif["runs"][0]["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "no-privileged").unwrap();
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 30);
    assert_eq!(result["level"], "error");
    let junit = std::fs::read_to_string(&junit).unwrap();
    assert!(junit.starts_with("<?xml"));
    assert!(junit.contains("name=\"no-privileged\"") && junit.contains("<failure"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_format_written_to_a_file_is_the_bytes_it_prints() {
    let dir = std::env::temp_dir().join(format!("kubeward-file-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for format in ["json", "text", "sarif", "github", "junit"] {
        let path = dir.join(format!("report.{format}"));
        let printed = run(&["scan", "--scorecard", "--format", format, "examples/manifests/insecure"]);
        let written = run(&[
            "scan",
            "--scorecard",
            "--format",
            &format!("{format}={}", path.display()),
            "examples/manifests/insecure",
        ]);
        assert_eq!(written.status.code(), printed.status.code(), "{format}");
        assert!(written.stdout.is_empty(), "{format}: {}", stdout(&written));
        let file = std::fs::read(&path).unwrap();
        assert!(file.len() > 100, "{format}: {} bytes", file.len());
        assert_eq!(file, printed.stdout, "{format}");
    }
    let unwritable = dir.join("no-such-folder").join("report.json");
    let output = run(&["scan", "--format", &format!("json={}", unwritable.display()), "examples/manifests/hardened"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write"), "{output:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn scorecard_checklist_and_schemas() {
    let text = stdout(&run(&["scan", "--scorecard", "examples/manifests/hardened"]));
    assert!(text.contains("Checklist scorecard"), "{text}");
    assert!(text.contains("1.9   pass"), "{text}");
    assert!(text.contains("score: "), "{text}");
    let checklist = stdout(&run(&["checklist"]));
    assert!(checklist.contains("1.9") && checklist.contains("no-privileged") && checklist.contains("attestation only"));
    let report_schema: serde_json::Value = serde_json::from_slice(&run(&["schema", "report"]).stdout).unwrap();
    assert_eq!(report_schema["title"], "Report");
    let checked_in = std::fs::read_to_string(repo().join("schemas/config.schema.json")).unwrap();
    assert_eq!(stdout(&run(&["schema", "config"])), checked_in);
}

#[test]
fn pss_text_names_each_violation_and_each_verdict() {
    let output = run(&["pss", "--level", "baseline", "--pss-version", "v1.30", "examples/manifests/insecure"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains(
            "examples/manifests/insecure/shop.yaml:30:11: baseline/v1.30 privileged container \"web\" must not set securityContext.privileged=true"
        ),
        "{text}"
    );
    assert!(
        text.contains("examples/manifests/insecure/shop.yaml (document 1): Deployment \"storefront\": denied"),
        "{text}"
    );
    assert!(text.contains("Service \"storefront\": not applicable"), "{text}");
    let output = run(&["pss", "examples/manifests/hardened"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("restricted/latest (checks of v1.37):"));
}

#[test]
fn pss_json_is_the_pss_report_and_bad_flags_are_usage_errors() {
    let output = run(&["pss", "--format", "json", "--level=restricted", "examples/manifests/insecure/agent.json"]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["level"], "restricted");
    let object = &json["objects"][0];
    assert_eq!((object["applicable"].as_bool(), object["allowed"].as_bool()), (Some(true), Some(false)));
    assert!(object["violations"].as_array().unwrap().iter().any(|v| v["check"] == "hostNamespaces"));
    for args in [
        &["pss", "--level", "strict", "x"][..],
        &["pss", "--pss-version", "1.30", "x"],
        &["pss", "-v", "v1.30", "x"],
        &["pss"],
    ] {
        assert_eq!(run(args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn rbac_review_in_text_and_json() {
    let output = run(&["rbac", "examples/rbac-network/insecure"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains("ServiceAccount shop/api\n  in shop              get,list,watch configmaps,secrets\n"),
        "{text}"
    );
    assert!(
        text.contains("via RoleBinding shop/api (examples/rbac-network/insecure/rbac.yaml:59) -> Role api /rules/0"),
        "{text}"
    );
    assert!(text.contains("note: the role is not in the input; its permissions were not evaluated"), "{text}");
    let output = run(&["rbac", "--format", "json", "examples/rbac-network/insecure"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let subjects = json["subjects"].as_array().unwrap();
    assert_eq!(subjects.len(), 4);
    assert_eq!(subjects[3]["name"], "deployer");
    assert_eq!(subjects[3]["grants"][0]["namespace"], serde_json::Value::Null, "cluster-wide");
    let missing = run(&["rbac", "no/such/dir"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(run(&["rbac"]).status.code(), Some(2));
}

#[test]
fn parallel_reading_gives_the_same_bytes_as_one_thread() {
    // Many small files of mixed content (objects, Lists, JSON, errors, empty files), in a temporary tree.
    let dir = std::env::temp_dir().join(format!("kubeward-threads-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for index in 0..60 {
        let sub = dir.join(format!("ns{}", index % 7));
        std::fs::create_dir_all(&sub).unwrap();
        let text = match index % 5 {
            0 => format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{index}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      privileged: true\n"),
            1 => format!("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{index}\n  namespace: ns\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n      - name: c\n        image: nginx:latest\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s{index}\n"),
            2 => format!("{{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {{\"name\": \"j{index}\"}}, \"spec\": {{\"containers\": [{{\"name\": \"c\", \"image\": \"busybox\"}}]}}}}]}}"),
            3 => format!("kind: Pod\nmetadata: {{name: bad{index}\nspec: [\n"),
            _ => String::new(),
        };
        let extension = if index % 5 == 2 { "json" } else { "yaml" };
        std::fs::write(sub.join(format!("f{index}.{extension}")), text).unwrap();
    }
    let dir_arg = dir.display().to_string();
    let scan = |threads: &str, format: &str| {
        let output = kubeward()
            .env("KUBEWARD_THREADS", threads)
            .args(["scan", &dir_arg, "examples", "--format", format])
            .output()
            .unwrap();
        assert!(output.status.code().is_some(), "{output:?}");
        output.stdout
    };
    for format in ["json", "text", "sarif"] {
        let one = scan("1", format);
        assert!(!one.is_empty());
        for threads in ["2", "3", "16"] {
            assert!(one == scan(threads, format), "{format} output differs with {threads} threads");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn policies_from_the_command_line_and_the_configuration() {
    let output =
        run(&["scan", "--format", "concise", "--policy", "examples/policies/policies", "examples/policies/k8s"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    for line in [
        "examples/policies/k8s/shop.yaml:40:9: high allowed-registries images must come from registry.example.com: docker.io/prom/statsd-exporter:latest",
        "examples/policies/k8s/shop.yaml:18:3: medium production-replicas at most 10 replicas, not 12",
        "examples/policies/k8s/edge.yaml:36:5: high webhooks-over-https webhooks must be called over HTTPS",
    ] {
        assert!(text.lines().any(|l| l == line), "missing `{line}` in:\n{text}");
    }
    // The same policies named by a configuration, relative to its file.
    let dir = std::env::temp_dir().join(format!("kubeward-cli-policies-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("kubeward.yaml");
    let pack = repo().join("examples/policies/policies/network.yaml");
    std::fs::copy(&pack, dir.join("network.yaml")).unwrap();
    std::fs::write(&config, "policies: [network.yaml]\n").unwrap();
    let output = run(&["scan", "--format", "concise", "--config", config.to_str().unwrap(), "examples/policies/k8s"]);
    let text = stdout(&output);
    assert!(text.contains("high service-ports list service ports in increasing order"), "{text}");
    assert!(!text.contains("allowed-registries"), "only the configured file's policies: {text}");
    // A policy kubeward cannot evaluate stops the run, at its position.
    let broken =
        std::fs::read_to_string(&pack).unwrap().replace("url(w.clientConfig.url)", "urlOf(w.clientConfig.url)");
    std::fs::write(dir.join("network.yaml"), broken).unwrap();
    let output = run(&["scan", "--config", config.to_str().unwrap(), "examples/policies/k8s"]);
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(error.contains("network.yaml:") && error.contains("function `urlOf()` is not supported"), "{error}");
    std::fs::remove_dir_all(&dir).ok();
    // The input's own policies (only the bound one applies), behind the switch.
    let scan_both = |switch: &[&str]| {
        let mut args = vec!["scan", "--format", "concise"];
        args.extend_from_slice(switch);
        args.extend(["examples/policies/policies", "examples/policies/k8s"]);
        stdout(&run(&args))
    };
    let text = scan_both(&["--input-policies"]);
    assert!(text.lines().any(|l| l.ends_with("medium production-replicas at most 10 replicas, not 12")), "{text}");
    assert!(!text.contains("allowed-registries"), "an input policy with no binding does not apply: {text}");
    assert!(!scan_both(&[]).contains("production-replicas"));
}
