//! How long a keystroke takes to become diagnostics: a workspace of 1,000
//! manifest files (one of 5,000 lines), one document of the large file changed,
//! the time from `didChange` to the large file's `publishDiagnostics`.
//!
//! `cargo run --release -p kubeward-lsp --example latency [FILES] [ROUNDS]`
//!
//! The server runs in-process over `Connection::memory`, with no debounce
//! (`debounceMs: 0`), so the figure is the server's own work: taking the change,
//! scanning, placing and publishing.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request};
use serde_json::{json, Value};

fn document(index: usize, privileged: bool) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{index}
  namespace: team-{team}
  labels:
    app: app-{index}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app-{index}
  template:
    metadata:
      labels:
        app: app-{index}
    spec:
      serviceAccountName: app-{index}
      containers:
      - name: app
        image: registry.example/app-{index}:1.0
        ports:
        - containerPort: 8080
        resources:
          limits:
            cpu: 500m
            memory: 256Mi
        securityContext:
          privileged: {privileged}
          runAsNonRoot: true
---
apiVersion: v1
kind: Service
metadata:
  name: app-{index}
  namespace: team-{team}
spec:
  selector:
    app: app-{index}
  ports:
  - port: 80
    targetPort: 8080
",
        team = index % 20
    )
}

/// The allocator of the `kubeward` binary, which serves `kubeward lsp`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let files: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/lsp-latency");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    // The large file: documents of 42 lines up to 5,000 lines.
    let per_document = document(0, false).lines().count() + 1;
    let large_documents = 5000 / per_document;
    let large_text = |changed: bool| -> String {
        (0..large_documents)
            .map(|i| document(100_000 + i, changed && i == large_documents / 2))
            .collect::<Vec<_>>()
            .join("---\n")
    };
    let large = root.join("large.yaml");
    std::fs::write(&large, large_text(false)).unwrap();
    for file in 1..files {
        std::fs::write(root.join(format!("app-{file:04}.yaml")), document(file, false)).unwrap();
    }
    let lines = large_text(false).lines().count();

    let (server, client) = Connection::memory();
    let handle = std::thread::spawn(move || kubeward_lsp::serve(server));
    let uri = format!("file://{}", large.canonicalize().unwrap().display());
    let folder = format!("file://{}", root.canonicalize().unwrap().display());
    let send = |message: Message| client.sender.send(message).unwrap();
    send(
        Request::new(
            1.into(),
            "initialize".into(),
            json!({ "capabilities": {}, "workspaceFolders": [{ "uri": folder, "name": "bench" }], "initializationOptions": { "debounceMs": 0 } }),
        )
        .into(),
    );
    // The diagnostics, and when they arrived (before the client reads them).
    let wait_for_large = |deadline: Duration| -> Option<(Value, Instant)> {
        let until = Instant::now() + deadline;
        loop {
            match client.receiver.recv_deadline(until) {
                Ok(Message::Notification(mut n))
                    if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri.as_str() =>
                {
                    let arrived = Instant::now();
                    return Some((n.params["diagnostics"].take(), arrived));
                }
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    };
    let notify = |method: &str, params: Value| send(Notification::new(method.into(), params).into());
    notify("initialized", json!({}));
    let started = Instant::now();
    wait_for_large(Duration::from_secs(120)).expect("first diagnostics");
    let first = started.elapsed();
    notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": large_text(false) } }),
    );
    let _ = wait_for_large(Duration::from_millis(2000));
    let mut times = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let changed = round % 2 == 0;
        let text = large_text(changed);
        let started = Instant::now();
        notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": round + 2 }, "contentChanges": [{ "text": text }] }),
        );
        let (diagnostics, arrived) = wait_for_large(Duration::from_secs(60)).expect("diagnostics after a change");
        times.push(arrived - started);
        let privileged = diagnostics.as_array().unwrap().iter().any(|d| d["code"] == "no-privileged");
        assert_eq!(privileged, changed, "round {round}");
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{files} files ({lines}-line large file of {large_documents} documents); first scan {:.1} ms; \
         change to publish over {rounds} rounds: median {:.1} ms, min {:.1} ms, max {:.1} ms",
        first.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );
    send(Request::new(2.into(), "shutdown".into(), Value::Null).into());
    notify("exit", Value::Null);
    let _ = handle.join();
}
