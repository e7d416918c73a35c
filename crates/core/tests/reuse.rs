//! `Engine::scan_reusing` gives the report `Engine::scan` gives, edit after edit.

use std::sync::Arc;

use kubeward::{Engine, ScanCache, Source};

mod support;

/// The files under `root` with one of `extensions`, named from `root`, in name order.
fn files_under(root: &std::path::Path, extensions: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| extensions.iter().any(|wanted| e == *wanted)) {
                let name = path.strip_prefix(root).unwrap().display().to_string();
                files.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

fn example_files() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let files: Vec<(String, String)> = files_under(&root, &["yaml"])
        .into_iter()
        .filter(|(name, _)| !std::path::Path::new(name).ends_with("kubeward.yaml"))
        .map(|(name, text)| (name, String::from_utf8(text).unwrap()))
        .collect();
    assert!(files.len() > 20);
    files
}

fn assert_same(engine: &Engine, cache: &mut ScanCache, files: &[(String, String)], step: &str) {
    let sources: Vec<Source<'_>> = files.iter().map(|(name, text)| Source::new(name, text.as_bytes())).collect();
    let reused = engine.scan_reusing(&sources, cache).to_json();
    assert_eq!(reused, engine.scan(&sources).to_json(), "{step}");
}

#[test]
fn edits_give_the_reports_of_full_scans() {
    let engine = Engine::default();
    let mut cache = ScanCache::default();
    let mut files = example_files();
    assert_same(&engine, &mut cache, &files, "first scan");
    assert_same(&engine, &mut cache, &files, "unchanged");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: extra\n  namespace: shop\nspec:\n  hostPID: true\n  containers:\n  - name: c\n    image: nginx\n";
    files.push(("extra/pod.yaml".into(), pod.into()));
    files.sort();
    assert_same(&engine, &mut cache, &files, "a file added");
    // A byte-identical copy of the new object elsewhere.
    files.push(("extra/copy.yaml".into(), pod.into()));
    files.sort();
    assert_same(&engine, &mut cache, &files, "a copy added");
    let edits: [(&str, &str, &str); 4] = [
        ("kind: NetworkPolicy", "kind: NetworkPolicy", "namespace: shop"),
        ("pod-security.kubernetes.io/enforce", "restricted", "baseline"),
        ("kind: RoleBinding", "name: ", "name: renamed-"),
        ("kind: Namespace", "name: ", "name: other-"),
    ];
    for (holding, from, to) in edits {
        let Some(file) = files.iter_mut().find(|(_, text)| text.contains(holding) && text.contains(from)) else {
            panic!("no example file holds {holding}");
        };
        file.1 = file.1.replacen(from, to, 1);
        assert_same(&engine, &mut cache, &files, &format!("{holding}: {from} -> {to}"));
    }
    files.retain(|(name, _)| !name.contains("insecure"));
    assert_same(&engine, &mut cache, &files, "files removed");
    let last = files.len() - 1;
    files[last].1.push_str(
        "\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: tail\nspec:\n  containers: [{name: c, image: nginx}]\n",
    );
    assert_same(&engine, &mut cache, &files, "a document appended");
}

#[test]
fn files_an_edit_did_not_touch_keep_their_results_shared() {
    let engine = Engine::default();
    let mut cache = ScanCache::default();
    let mut files = example_files();
    let sources = |files: &[(String, String)]| -> Vec<(String, Vec<u8>)> {
        files.iter().map(|(name, text)| (name.clone(), text.as_bytes().to_vec())).collect()
    };
    let scan = |cache: &mut ScanCache, files: &[(String, Vec<u8>)]| {
        let sources: Vec<Source<'_>> = files.iter().map(|(name, text)| Source::new(name, text)).collect();
        let by_file = engine.scan_by_file(&sources, cache);
        assert_eq!(by_file.clone().into_report().to_json(), engine.scan(&sources).to_json());
        by_file
    };
    let first = scan(&mut cache, &sources(&files));
    // A comment at the top of a file that no other object refers to moves its own findings only.
    let edited = files.iter().position(|(_, text)| text.contains("kind: Pod\n")).expect("a Pod among the examples");
    files[edited].1.insert_str(0, "# moved down a line\n");
    let second = scan(&mut cache, &sources(&files));
    assert_eq!(first.files.len(), second.files.len());
    for (index, (before, after)) in first.files.iter().zip(&second.files).enumerate() {
        let shared = Arc::ptr_eq(&before.findings, &after.findings)
            && Arc::ptr_eq(&before.documents, &after.documents)
            && Arc::ptr_eq(&before.errors, &after.errors);
        assert_eq!(shared, index != edited, "{}", after.file);
    }
    // A NetworkPolicy edit changes what the set checks find in other files.
    let policy = files.iter().position(|(_, text)| text.contains("kind: NetworkPolicy")).expect("a NetworkPolicy");
    files[policy].1 = files[policy].1.replace("kind: NetworkPolicy", "kind: NetworkPolicyRenamed");
    let third = scan(&mut cache, &sources(&files));
    let changed = second
        .files
        .iter()
        .zip(&third.files)
        .enumerate()
        .filter(|(index, (before, after))| *index != policy && !Arc::ptr_eq(&before.findings, &after.findings))
        .count();
    assert!(changed > 0, "no other file's findings changed with the NetworkPolicy");
}

/// A small deterministic generator, so that a failure names its seed and step.
struct Steps(u64);

impl Steps {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

#[test]
fn random_edits_of_real_repositories_give_the_reports_of_full_scans() {
    let Some(corpora) = support::corpora_dir("the reuse walk over the corpora") else { return };
    for (corpus, seed) in [("GoogleCloudPlatform-microservices-demo", 7), ("kubernetes-examples", 11)] {
        let mut files = files_under(&corpora.join(corpus), &["yaml", "yml", "json"]);
        assert!(files.len() > 20, "{corpus}");
        let engine = Engine::default().with_threads(2);
        let mut cache = ScanCache::default();
        let mut steps = Steps(seed);
        for step in 0..24 {
            let pick = steps.below(files.len());
            let what = match steps.below(7) {
                0 => {
                    // A copy of another file's objects: byte-identical copies fold across files.
                    let name = format!("{}-copy.yaml", files[pick].0);
                    let text = files[pick].1.clone();
                    files.push((name, text));
                    "copied"
                }
                1 if files.len() > 20 => {
                    files.remove(pick);
                    "removed"
                }
                2 => {
                    files[pick].1.extend_from_slice(b"\n---\nkind: [unclosed\n");
                    "broken document appended"
                }
                3 => {
                    let text = String::from_utf8_lossy(&files[pick].1).replacen("namespace: ", "namespace: moved-", 1);
                    files[pick].1 = text.into_bytes();
                    "namespace changed"
                }
                4 => {
                    let text = String::from_utf8_lossy(&files[pick].1).replacen("app: ", "app: relabelled-", 1);
                    files[pick].1 = text.into_bytes();
                    "label changed"
                }
                5 => {
                    let other = steps.below(files.len());
                    let text = files[other].1.clone();
                    files[pick].1 = text;
                    "replaced by another file's text"
                }
                _ => {
                    files[pick].1.splice(0..0, b"# a comment\n".iter().copied());
                    "lines moved"
                }
            };
            files.sort();
            let sources: Vec<Source<'_>> = files.iter().map(|(name, text)| Source::new(name, text)).collect();
            let reused = engine.scan_reusing(&sources, &mut cache).to_json();
            assert!(reused == engine.scan(&sources).to_json(), "{corpus}, seed {seed}, step {step}: {what}");
        }
    }
}
