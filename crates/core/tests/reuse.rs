//! `Engine::scan_reusing` gives the report `Engine::scan` gives, edit after edit.

use kubeward::{Engine, ScanCache, Source};

fn example_files() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") && !path.ends_with("kubeward.yaml") {
                let name = path.strip_prefix(&root).unwrap().display().to_string();
                files.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
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
