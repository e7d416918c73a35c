//! The server driven over an in-memory connection, as an editor drives it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};

struct Client {
    connection: Connection,
    server: Option<std::thread::JoinHandle<Result<(), String>>>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    backlog: Vec<Notification>,
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A fresh directory under the target directory (no machine paths in the tests' output).
fn workspace(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Client {
    fn start(root: Option<&Path>, capabilities: Value) -> Client {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || kubeward_lsp::serve(server));
        let mut client = Client { connection: client, server: Some(handle), next_id: 0, backlog: Vec::new() };
        let folders = root.map(|root| json!([{ "uri": uri(root), "name": "w" }]));
        let result = client.request(
            "initialize",
            json!({ "capabilities": capabilities, "workspaceFolders": folders, "initializationOptions": { "debounceMs": 0 } }),
        );
        assert!(result.get("capabilities").is_some(), "{result}");
        client.notify("initialized", json!({}));
        client
    }

    fn notify(&self, method: &str, params: Value) {
        self.connection.sender.send(Notification::new(method.into(), params).into()).unwrap();
    }

    fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.connection.sender.send(Request::new(id.clone(), method.into(), params).into()).unwrap();
        id
    }

    fn response(&mut self, id: RequestId) -> Response {
        loop {
            match self.connection.receiver.recv_timeout(Duration::from_secs(60)).expect("a message") {
                Message::Response(response) if response.id == id => return response,
                Message::Notification(notification) => self.backlog.push(notification),
                _ => {}
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let response = self.response(id);
        match response.response_result {
            Ok(value) => value,
            Err(error) => panic!("{method}: {error:?}"),
        }
    }

    /// Waits for the diagnostics of `path` that satisfy `want`.
    fn diagnostics(&mut self, path: &Path, want: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let target = uri(path);
        let mut latest: Option<Vec<Value>> = None;
        loop {
            // The newest list for the file; other messages stay in the backlog.
            let (mine, others): (Vec<Notification>, Vec<Notification>) =
                std::mem::take(&mut self.backlog).into_iter().partition(|notification| {
                    notification.method == "textDocument/publishDiagnostics"
                        && notification.params["uri"] == target.as_str()
                });
            self.backlog = others;
            if let Some(notification) = mine.last() {
                latest = Some(notification.params["diagnostics"].as_array().cloned().unwrap_or_default());
            }
            if let Some(diagnostics) = &latest {
                if want(diagnostics) {
                    return diagnostics.clone();
                }
            }
            match self.connection.receiver.recv_timeout(Duration::from_secs(60)) {
                Ok(Message::Notification(notification)) => self.backlog.push(notification),
                Ok(Message::Request(request)) => {
                    // registerCapability, showDocument: accepted.
                    let _ = self.connection.sender.send(Response::new_ok(request.id, Value::Null).into());
                }
                Ok(_) => {}
                Err(_) => panic!("no diagnostics for {target} as wanted; last: {latest:?}"),
            }
        }
    }

    fn open(&self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri(path), "languageId": "yaml", "version": 1, "text": text } }),
        );
    }

    fn change(&self, path: &Path, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri(path), "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    fn stop(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let outcome = self.server.take().unwrap().join().unwrap();
        assert_eq!(outcome, Ok(()));
    }
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics.iter().filter_map(|d| d["code"].as_str().map(str::to_string)).collect()
}

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web # caf\u{e9} \u{1F600}
  namespace: shop
spec:
  hostPID: true
  containers:
  - name: app
    image: nginx # \u{1F600}\u{1F600}
    securityContext:
      privileged: true
";

#[test]
fn diagnostics_carry_codes_links_severities_and_utf16_ranges() {
    let dir = workspace("utf16", &[]);
    let mut client = Client::start(Some(&dir), json!({}));
    let pod = dir.join("pod.yaml");
    client.open(&pod, POD);
    let diagnostics = client.diagnostics(&pod, |d| !d.is_empty());
    let privileged = diagnostics.iter().find(|d| d["code"] == "no-privileged").expect("no-privileged");
    let line = POD.lines().position(|line| line.contains("privileged: true")).unwrap();
    assert_eq!(privileged["range"]["start"], json!({ "line": line, "character": 6 }));
    assert_eq!(privileged["severity"], 1);
    assert_eq!(privileged["source"], "kubeward");
    assert!(privileged["codeDescription"]["href"].as_str().unwrap().ends_with("CHECKS.md#no-privileged"));
    assert!(codes(&diagnostics).contains(&"no-host-namespaces".to_string()));
    client.stop();
}

#[test]
fn utf8_is_chosen_when_offered_and_columns_count_bytes() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: \u{e9}\u{e9}}\nspec: {hostPID: true, containers: [{name: app, image: nginx, securityContext: {privileged: true}}]}\n";
    for (offered, expected) in [(json!(["utf-8", "utf-16"]), "utf-8"), (json!(["utf-16"]), "utf-16")] {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || kubeward_lsp::serve(server));
        client
            .sender
            .send(
                Request::new(
                    1.into(),
                    "initialize".into(),
                    json!({ "capabilities": { "general": { "positionEncodings": offered } } }),
                )
                .into(),
            )
            .unwrap();
        let Ok(Message::Response(response)) = client.receiver.recv() else { panic!("no response") };
        assert_eq!(response.response_result.unwrap()["capabilities"]["positionEncoding"], expected);
        let mut client = Client { connection: client, server: Some(handle), next_id: 1, backlog: Vec::new() };
        client.notify("initialized", json!({}));
        let dir = workspace(&format!("enc-{expected}"), &[]);
        let pod = dir.join("pod.yaml");
        client.open(&pod, text);
        let diagnostics = client.diagnostics(&pod, |d| d.iter().any(|d| d["code"] == "no-privileged"));
        let privileged = diagnostics.iter().find(|d| d["code"] == "no-privileged").unwrap();
        let line = &text.lines().nth(3).unwrap();
        let at = line.find("privileged").unwrap();
        let want = if expected == "utf-8" { at } else { line[..at].encode_utf16().count() };
        assert_eq!(privileged["range"]["start"]["character"], want);
        client.stop();
    }
}

#[test]
fn templates_and_non_objects_get_no_diagnostics() {
    let dir = workspace("quiet", &[]);
    let mut client = Client::start(Some(&dir), json!({}));
    let template = dir.join("deployment.yaml");
    client.open(&template, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      hostPID: {{ .Values.pid }}\n");
    let values = dir.join("values.yaml");
    client.open(&values, "- a\n- b\n");
    let pod = dir.join("pod.yaml");
    client.open(&pod, POD);
    client.diagnostics(&pod, |d| !d.is_empty());
    // Every scan of the folder is done once the pod's diagnostics are in: no other file got any.
    for notification in &client.backlog {
        if notification.method == "textDocument/publishDiagnostics" {
            let uri = notification.params["uri"].as_str().unwrap();
            assert!(uri.ends_with("pod.yaml") || notification.params["diagnostics"] == json!([]), "{notification:?}");
        }
    }
    client.stop();
}

#[test]
fn hover_explains_the_check() {
    let dir = workspace("hover", &[]);
    let mut client = Client::start(Some(&dir), json!({}));
    let pod = dir.join("pod.yaml");
    client.open(&pod, POD);
    let diagnostics = client.diagnostics(&pod, |d| !d.is_empty());
    let privileged = diagnostics.iter().find(|d| d["code"] == "no-privileged").unwrap();
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri(&pod) }, "position": privileged["range"]["start"] }),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    let info = kubeward::checks().into_iter().find(|c| c.id == "no-privileged").unwrap();
    assert!(text.contains(&info.title) && text.contains(&info.remediation), "{text}");
    let nothing = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri(&pod) }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(nothing, Value::Null);
    client.stop();
}

#[test]
fn the_exempt_action_writes_the_annotation_and_the_diagnostic_goes() {
    let dir = workspace("exempt", &[]);
    let mut client = Client::start(Some(&dir), json!({ "window": { "showDocument": { "support": true } } }));
    let pod = dir.join("pod.yaml");
    client.open(&pod, POD);
    let diagnostics = client.diagnostics(&pod, |d| !d.is_empty());
    let privileged = diagnostics.iter().find(|d| d["code"] == "no-privileged").unwrap().clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri(&pod) }, "range": privileged["range"], "context": { "diagnostics": [privileged] } }),
    );
    let actions = actions.as_array().unwrap();
    assert!(actions.iter().all(|a| a["diagnostics"][0]["code"] == "no-privileged"), "{actions:?}");
    let action = actions.iter().find(|a| a["title"].as_str().unwrap().starts_with("Exempt")).unwrap();
    assert_eq!(action["kind"], "quickfix");
    let edits = action["edit"]["changes"][uri(&pod)].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    // Apply the edit (an insertion) as the editor would.
    let start = &edits[0]["range"]["start"];
    assert_eq!(edits[0]["range"]["start"], edits[0]["range"]["end"]);
    let line = start["line"].as_u64().unwrap() as usize;
    assert_eq!(start["character"], 0);
    let offset: usize = POD.split_inclusive('\n').take(line).map(str::len).sum();
    let new_text = format!("{}{}{}", &POD[..offset], edits[0]["newText"].as_str().unwrap(), &POD[offset..]);
    assert!(
        new_text.contains(
            "  annotations:\n    kubeward.io/ignore: \"no-privileged:app\"\n    kubeward.io/ignore-reason: \"TODO"
        ),
        "{new_text}"
    );
    // The command selects the placeholder.
    let command = &action["command"];
    assert_eq!(command["command"], "kubeward.selectReason");
    let selection = &command["arguments"][1];
    let selected_line = new_text.lines().nth(selection["start"]["line"].as_u64().unwrap() as usize).unwrap();
    assert!(selected_line.contains("ignore-reason"));
    client.request(
        "workspace/executeCommand",
        json!({ "command": command["command"], "arguments": command["arguments"] }),
    );
    client.change(&pod, 2, &new_text);
    let after = client.diagnostics(&pod, |d| !codes(d).contains(&"no-privileged".to_string()));
    assert!(codes(&after).contains(&"no-host-namespaces".to_string()));
    client.stop();
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: registry.example/api@sha256:0000000000000000000000000000000000000000000000000000000000000000
";

const DENY_ALL: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
";

/// The check that a workload without a NetworkPolicy fails, whatever its id.
fn network_codes(diagnostics: &[Value]) -> Vec<String> {
    codes(diagnostics).into_iter().filter(|code| code.contains("network")).collect()
}

#[test]
fn a_network_policy_in_another_file_updates_the_workload() {
    let dir = workspace("cross", &[("apps/deployment.yaml", DEPLOYMENT), ("policies/deny.yaml", DENY_ALL)]);
    let mut client = Client::start(Some(&dir), json!({}));
    let deployment = dir.join("apps/deployment.yaml");
    let policy = dir.join("policies/deny.yaml");
    // With the policy on disk (never opened), the workload is covered.
    let covered = client.diagnostics(&deployment, |_| true);
    assert!(network_codes(&covered).is_empty(), "{covered:?}");
    // The policy moved to another namespace in the editor: the workload is no longer covered.
    client.open(&policy, DENY_ALL);
    client.change(&policy, 2, &DENY_ALL.replace("namespace: shop", "namespace: other"));
    let uncovered = client.diagnostics(&deployment, |d| !network_codes(d).is_empty());
    assert!(!uncovered.is_empty());
    client.change(&policy, 3, DENY_ALL);
    client.diagnostics(&deployment, |d| network_codes(d).is_empty());
    client.stop();
}

#[test]
fn unknown_methods_and_bad_params_get_errors_and_the_server_carries_on() {
    let dir = workspace("robust", &[]);
    let mut client = Client::start(Some(&dir), json!({}));
    let id = client.send_request("kubeward/nothing", json!({}));
    assert_eq!(client.response(id).response_result.unwrap_err().code, lsp_server::ErrorCode::MethodNotFound as i32);
    let id = client.send_request("textDocument/hover", json!({ "nonsense": true }));
    assert_eq!(client.response(id).response_result.unwrap_err().code, lsp_server::ErrorCode::InvalidParams as i32);
    client.notify("textDocument/didOpen", json!({ "what": 1 }));
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": "file:///nowhere/x.yaml", "version": 2 }, "contentChanges": [] }),
    );
    let pod = dir.join("pod.yaml");
    client.open(&pod, POD);
    client.diagnostics(&pod, |d| !d.is_empty());
    client.stop();
}

#[test]
fn exit_without_shutdown_is_an_error_and_requests_after_shutdown_are_refused() {
    let mut client = Client::start(None, json!({}));
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    let id = client.send_request("textDocument/hover", json!({}));
    assert!(client.response(id).response_result.is_err());
    client.notify("exit", Value::Null);
    assert_eq!(client.server.take().unwrap().join().unwrap(), Ok(()));

    let mut client = Client::start(None, json!({}));
    client.notify("exit", Value::Null);
    assert!(client.server.take().unwrap().join().unwrap().is_err());
}

#[test]
fn the_folder_configuration_is_used_reloaded_and_its_errors_shown_on_it() {
    let config_text = "checks:\n  no-privileged:\n    enabled: false\n";
    let dir = workspace("config", &[(".kubeward.yaml", config_text), ("pod.yaml", POD)]);
    let mut client = Client::start(Some(&dir), json!({}));
    let pod = dir.join("pod.yaml");
    let config = dir.join(".kubeward.yaml");
    let first = client.diagnostics(&pod, |d| !d.is_empty());
    assert!(!codes(&first).contains(&"no-privileged".to_string()), "{first:?}");
    // An invalid configuration: shown on the file, and the defaults used.
    std::fs::write(&config, "checks:\n  no-such-check:\n    enabled: false\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": uri(&config), "type": 2 }] }));
    let problems = client.diagnostics(&config, |d| !d.is_empty());
    assert!(problems[0]["message"].as_str().unwrap().contains("no-such-check"), "{problems:?}");
    assert_eq!(problems[0]["severity"], 1);
    client.diagnostics(&pod, |d| codes(d).contains(&"no-privileged".to_string()));
    // Edited and saved in the editor: valid again.
    client.open(&config, config_text);
    client.notify("textDocument/didSave", json!({ "textDocument": { "uri": uri(&config) } }));
    client.diagnostics(&config, <[Value]>::is_empty);
    client.diagnostics(&pod, |d| !d.is_empty() && !codes(d).contains(&"no-privileged".to_string()));
    // An exemption naming an unknown check: a finding on the configuration, at the check.
    let mistyped =
        "checks:\n  no-privileged:\n    enabled: false\nignores:\n- check: no-host-namespace\n  reason: node agent\n";
    client.change(&config, 2, mistyped);
    client.notify("textDocument/didSave", json!({ "textDocument": { "uri": uri(&config) } }));
    let found = client.diagnostics(&config, |d| !d.is_empty());
    assert_eq!(codes(&found), ["invalid-exemption"], "{found:?}");
    assert!(found[0]["message"].as_str().unwrap().contains("did you mean \"no-host-namespaces\"?"), "{found:?}");
    assert_eq!(found[0]["range"]["start"], json!({ "line": 4, "character": 2 }), "{found:?}");
    client.stop();
}

#[test]
fn a_deleted_file_loses_its_diagnostics() {
    let dir = workspace("deleted", &[("pod.yaml", POD)]);
    let mut client = Client::start(Some(&dir), json!({}));
    let pod = dir.join("pod.yaml");
    client.diagnostics(&pod, |d| !d.is_empty());
    std::fs::remove_file(&pod).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": uri(&pod), "type": 3 }] }));
    client.diagnostics(&pod, <[Value]>::is_empty);
    client.stop();
}

#[test]
fn a_file_over_the_input_limit_gets_one_diagnostic() {
    let config = "limits:\n  maxFileBytes: 2000\n";
    let dir = workspace("large", &[("kubeward.yaml", config)]);
    let mut client = Client::start(Some(&dir), json!({}));
    let large = dir.join("large.yaml");
    let text = POD.repeat(20).replace("kind: Pod\n", "kind: Pod\n---\n");
    assert!(text.len() > 2000);
    client.open(&large, &text);
    let diagnostics = client.diagnostics(&large, |d| !d.is_empty());
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["range"]["start"], json!({ "line": 0, "character": 0 }));
    client.stop();
}

#[test]
fn a_client_that_does_not_read_gets_the_newest_diagnostics_once_it_does() {
    // An outgoing queue of two messages, as a client that stops reading leaves it full.
    let (to_client, from_server) = crossbeam_channel::bounded(2);
    let (to_server, from_client) = crossbeam_channel::unbounded();
    let server = Connection { sender: to_client, receiver: from_client };
    let handle = std::thread::spawn(move || kubeward_lsp::serve(server));
    let connection = Connection { sender: to_server, receiver: from_server };
    let mut client = Client { connection, server: Some(handle), next_id: 0, backlog: Vec::new() };
    let dir = workspace("unread", &[]);
    let id = client.send_request(
        "initialize",
        json!({ "capabilities": {}, "workspaceFolders": [{ "uri": uri(&dir), "name": "w" }], "initializationOptions": { "debounceMs": 0 } }),
    );
    client.response(id);
    client.notify("initialized", json!({}));
    let files: Vec<PathBuf> = (0..20).map(|i| dir.join(format!("pod-{i}.yaml"))).collect();
    for file in &files {
        client.open(file, POD);
    }
    // Many versions, none read: each file's diagnostics wait as one list, the newest.
    for version in 2..40 {
        for file in &files {
            let text = if version % 2 == 0 { POD.replace("privileged: true", "privileged: false") } else { POD.into() };
            client.change(file, version, &text);
        }
    }
    let last = POD.replace("privileged: true", "privileged: false");
    for file in &files {
        client.change(file, 41, &last);
    }
    for file in &files {
        client.diagnostics(file, |d| !d.is_empty() && !codes(d).contains(&"no-privileged".to_string()));
    }
    client.stop();
}

/// The byte offset of an LSP position (UTF-16 columns) in `text`.
fn offset_of(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (at, ch) in text[start..].char_indices() {
        if units >= character || ch == '\n' {
            return start + at;
        }
        units += ch.len_utf16();
    }
    text.len()
}

/// `text` with a workspace edit's changes for `uri` applied, last first.
fn apply(text: &str, edit: &Value, uri: &str) -> String {
    let mut edits: Vec<(usize, usize, String)> = edit["changes"][uri]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let start = offset_of(text, &e["range"]["start"]);
            let end = offset_of(text, &e["range"]["end"]);
            (start, end, e["newText"].as_str().unwrap().to_string())
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, &new_text);
    }
    out
}

#[test]
fn a_fix_is_the_preferred_quick_fix_and_applying_it_clears_the_diagnostic() {
    let dir = workspace("fix", &[]);
    let mut client = Client::start(Some(&dir), json!({}));
    let pod = dir.join("pod.yaml");
    client.open(&pod, POD);
    let diagnostics = client.diagnostics(&pod, |d| !d.is_empty());
    let escalation = diagnostics.iter().find(|d| d["code"] == "no-privilege-escalation").unwrap().clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri(&pod) }, "range": escalation["range"], "context": { "diagnostics": [escalation] } }),
    );
    let actions = actions.as_array().unwrap();
    // The check's own fix first and preferred, the exemption last.
    assert_eq!(actions[0]["isPreferred"], true, "{actions:?}");
    assert!(actions.last().unwrap()["title"].as_str().unwrap().starts_with("Exempt"), "{actions:?}");
    let fixed = apply(POD, &actions[0]["edit"], &uri(&pod));
    assert!(fixed.contains("allowPrivilegeEscalation: false"), "{fixed}");
    // Everything else stays, comments and non-ASCII text included.
    assert!(fixed.contains("name: web # caf\u{e9} \u{1F600}") && fixed.contains("image: nginx # \u{1F600}\u{1F600}"));
    client.change(&pod, 2, &fixed);
    let after = client.diagnostics(&pod, |d| !codes(d).contains(&"no-privilege-escalation".to_string()));
    assert!(codes(&after).contains(&"no-privileged".to_string()));
    client.stop();
}
