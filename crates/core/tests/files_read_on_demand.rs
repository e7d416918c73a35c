//! `Engine::scan_files` reads each file when it needs it, so that a scan never
//! holds the whole input: the report is the one `Engine::scan` gives, and a file
//! that cannot be read, or changes between two reads, is an input error.

use std::sync::atomic::{AtomicUsize, Ordering};

use kubeward::{Engine, Source};

fn files() -> Vec<(String, String)> {
    (0..23)
        .map(|index| {
            let text = match index % 4 {
                0 => format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns{index}\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n"),
                1 => format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{index}\n  namespace: ns{}\nspec:\n  template:\n    spec:\n      containers:\n      - name: caf\u{e9}\n        image: nginx\n        securityContext: {{privileged: true}}\n", index - 1),
                2 => format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b{index}\n  namespace: ns{}\nroleRef: {{kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}}\nsubjects:\n- kind: ServiceAccount\n  name: default\n", index - 2),
                _ => "kind: Pod\nmetadata: {name: bad\n".to_string(),
            };
            // Names not in their sorted order, so that the scan has to sort them.
            (format!("dir/{:02}.yaml", (index * 7) % 23), text)
        })
        .collect()
}

#[test]
fn files_read_on_demand_give_the_report_of_files_held() {
    let files = files();
    let sources: Vec<Source<'_>> = files.iter().map(|(name, text)| Source::new(name, text.as_bytes())).collect();
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    for threads in [1, 2, 5] {
        let engine = Engine::default().with_threads(threads);
        let held = engine.scan(&sources).to_json();
        let read = engine.scan_files(&names, |index| Ok(files[index].1.clone().into_bytes())).to_json();
        assert!(read == held, "scan_files differs from scan on {threads} threads");
    }
}

#[test]
fn a_file_that_cannot_be_read_is_an_input_error_and_hides_nothing() {
    let files = files();
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    let missing = names[1];
    let report = Engine::default().scan_files(&names, |index| {
        if index == 1 {
            Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied"))
        } else {
            Ok(files[index].1.clone().into_bytes())
        }
    });
    let errors: Vec<_> = report.errors.iter().filter(|error| error.file == missing).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].message.starts_with("cannot read file: denied"), "{}", errors[0].message);
    assert_eq!((errors[0].range.start.line, errors[0].range.start.column), (1, 1));
    // Every other file is there, with its findings.
    let others = files.len() - 1;
    let scanned: std::collections::BTreeSet<&str> = report.documents.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(scanned.len(), others);
    assert!(report.findings.iter().any(|f| f.check == "no-privileged"));
}

#[test]
fn a_file_that_changes_between_reads_is_an_input_error_and_nothing_panics() {
    // Many non-ASCII characters, so that placing its findings reads it again (columns count
    // characters, and the line table keeps the continuation bytes' offsets only when they are few).
    let text = "# \u{65e5}\u{672c}\u{8a9e}\u{306e}\u{30b3}\u{30e1}\u{30f3}\u{30c8}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx\n    securityContext:\n      privileged: true\n";
    for second in ["", "x", "apiVersion: v1\n", "\u{e9}\u{e9}\u{e9}\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"] {
        let reads = AtomicUsize::new(0);
        let report = Engine::default().scan_files(&["pod.yaml"], |_| {
            // The foresight and the scan read the first content; placing the findings reads another.
            let read = reads.fetch_add(1, Ordering::SeqCst);
            Ok(if read < 2 { text.as_bytes().to_vec() } else { second.as_bytes().to_vec() })
        });
        assert!(reads.load(Ordering::SeqCst) >= 3);
        let changed: Vec<_> = report.errors.iter().filter(|e| e.message.starts_with("file changed")).collect();
        assert_eq!(changed.len(), 1, "{:#?}", report.errors);
        // The findings are still reported, placed within the new content.
        let privileged = report.findings.iter().find(|f| f.check == "no-privileged").expect("still reported");
        assert!(privileged.range.start.line >= 1 && privileged.range.start.column >= 1);
        assert!(privileged.range.start.offset as usize <= second.len());
    }
}

#[test]
fn a_file_with_few_non_ascii_characters_is_not_read_again_to_place_its_findings() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx\n    securityContext:\n      privileged: true\n";
    // ASCII, then one accented word (its line table keeps the offset of its one continuation byte).
    for (text, line) in [(pod.to_string(), 10), (format!("# caf\u{e9}\n{pod}"), 11)] {
        let reads = AtomicUsize::new(0);
        let report = Engine::default().scan_files(&["pod.yaml"], |_| {
            reads.fetch_add(1, Ordering::SeqCst);
            Ok(text.as_bytes().to_vec())
        });
        // The foresight of namespace enforcement and the scan; no third read.
        assert_eq!(reads.load(Ordering::SeqCst), 2);
        let held = Engine::default().scan(&[Source::new("pod.yaml", text.as_bytes())]);
        assert_eq!(report.to_json(), held.to_json());
        let privileged = report.findings.iter().find(|f| f.check == "no-privileged").expect("reported");
        assert_eq!((privileged.range.start.line, privileged.range.start.column), (line, 7));
    }
}
