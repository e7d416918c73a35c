//! `kubeward lsp` over its standard input and output: framing, a malformed
//! message skipped, shutdown and exit.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

fn frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// Reads one framed message.
fn read_message(reader: &mut impl BufRead) -> serde_json::Value {
    let mut length = 0;
    loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "the server closed its output");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

#[test]
fn a_malformed_message_is_skipped_and_shutdown_and_exit_end_the_server_cleanly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut output = BufReader::new(child.stdout.take().unwrap());
    input.write_all(frame("{ this is not json").as_bytes()).unwrap();
    input
        .write_all(frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#).as_bytes())
        .unwrap();
    input.flush().unwrap();
    let response = read_message(&mut output);
    assert_eq!(response["id"], 1);
    assert!(response["result"]["capabilities"]["hoverProvider"].as_bool().unwrap());
    input.write_all(frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#).as_bytes()).unwrap();
    input.write_all(frame(r#"{"jsonrpc":"2.0","id":2,"method":"no/such/method","params":{}}"#).as_bytes()).unwrap();
    input.flush().unwrap();
    let response = read_message(&mut output);
    assert_eq!((response["id"].clone(), response["error"]["code"].clone()), (2.into(), (-32601).into()));
    input.write_all(frame(r#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#).as_bytes()).unwrap();
    input.flush().unwrap();
    let response = read_message(&mut output);
    assert_eq!(response["id"], 3);
    input.write_all(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#).as_bytes()).unwrap();
    input.flush().unwrap();
    let status = child.wait().unwrap();
    let mut log = String::new();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    assert!(status.success(), "{status}: {log}");
    assert!(log.contains("skipped a malformed message"), "{log}");
}
