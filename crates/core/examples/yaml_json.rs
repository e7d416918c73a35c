//! Prints, for every document of each file named, the JSON kubeward's YAML
//! loader reads (or its error): the kubeward side of the differential test
//! against PyYAML (`scripts/test-yaml-diff.sh`, `scripts/yaml_diff.py`).
//!
//! ```text
//! cargo run -p kubeward --example yaml_json -- FILE...
//! cargo run -p kubeward --example yaml_json -- --stdin-list   # file names, one a line, on stdin
//! ```
//! One JSON object a line: `{"file", "start", "end", "value"}` for a document
//! read (`nonFinite: true` when it holds `.inf` or `.nan`), `{"file", "start",
//! "end", "error", "line"}` for one that could not be, `{"file", "fileError"}`
//! for a file refused as a whole.

use std::io::{BufRead, Write};

use serde_json::json;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let files: Vec<String> = if args.first().map(String::as_str) == Some("--stdin-list") {
        std::io::stdin().lock().lines().map_while(Result::ok).filter(|line| !line.is_empty()).collect()
    } else {
        args
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for file in files {
        let line = match std::fs::read(&file) {
            Err(error) => vec![json!({"file": file, "fileError": error.to_string()})],
            Ok(bytes) => match kubeward::__dev::documents_as_json(&bytes) {
                Err(message) => vec![json!({"file": file, "fileError": message})],
                Ok(documents) => documents
                    .into_iter()
                    .map(|document| match document.value {
                        Ok(value) => json!({
                            "file": file, "start": document.start, "end": document.end,
                            "value": value, "nonFinite": document.non_finite,
                        }),
                        Err((message, line)) => json!({
                            "file": file, "start": document.start, "end": document.end,
                            "error": message, "line": line,
                        }),
                    })
                    .collect(),
            },
        };
        for record in line {
            writeln!(out, "{record}").expect("stdout");
        }
    }
    out.flush().expect("stdout");
}
