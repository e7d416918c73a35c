//! The message loop: documents, workspace folders and configuration kept in
//! step with the client; scans handed to the worker; diagnostics published.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{select, Receiver, Sender, TrySendError};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    notification, request, CodeActionOrCommand, CodeActionProviderCapability, Diagnostic, DiagnosticSeverity,
    ExecuteCommandOptions, HoverProviderCapability, InitializeParams, MarkupContent, MarkupKind, PositionEncodingKind,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};

use crate::actions::{self, ClientActions};
use crate::diagnostics::Entry;
use crate::text::{path_to_uri, uri_to_path, Encoding};
use crate::worker::{self, Done, Job};
use crate::workspace::{self, ConfigProblem};

/// How long edits wait for the next keystroke before a scan.
const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(40);

/// One folder's files, scanned together with one configuration.
struct Group {
    id: u64,
    root: PathBuf,
    /// Were the folder's files read from disk (a workspace folder), or does the
    /// group hold only the open files (a file outside every folder)?
    walked: bool,
    config: Option<PathBuf>,
    engine: Arc<kubeward::Engine>,
    /// Shared with the scan under way (copied only when it changes meanwhile).
    files: Arc<BTreeMap<PathBuf, Arc<str>>>,
    generation: Arc<AtomicU64>,
    /// When to scan: set by a change, cleared when the scan is handed over.
    due: Option<Instant>,
}

pub(crate) struct Server {
    sender: Sender<Message>,
    encoding: Encoding,
    client: ClientActions,
    debounce: Duration,
    threads: usize,
    groups: Vec<Group>,
    next_group: u64,
    open: HashMap<PathBuf, Arc<str>>,
    /// The diagnostics last published (or queued), per file.
    published: HashMap<PathBuf, Arc<Vec<Entry>>>,
    /// Diagnostics waiting for room in the outgoing queue: a newer list replaces an older one.
    pending: HashMap<PathBuf, Arc<Vec<Entry>>>,
    /// Diagnostics replaced by newer ones, freed once those are sent (not before).
    retired: Vec<Arc<Vec<Entry>>>,
    jobs: Sender<Job>,
    done: Receiver<Done>,
    next_request: i32,
    shut_down: bool,
}

/// Serves one client over `connection` until `exit`.
pub(crate) fn serve(connection: Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|error| format!("initialize: {error}"))?;
    let params: InitializeParams = match serde_json::from_value(params) {
        Ok(params) => params,
        Err(error) => {
            let response = Response::new_err(id, ErrorCode::InvalidParams as i32, format!("initialize: {error}"));
            let _ = connection.sender.send(response.into());
            return Err(format!("initialize: {error}"));
        }
    };
    let offered = params.capabilities.general.as_ref().and_then(|general| general.position_encodings.clone());
    let encoding = if offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8)) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let capabilities = ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(lsp_types::TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(lsp_types::TextDocumentSyncSaveOptions::Supported(true)),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![actions::SELECT_COMMAND.into()],
            ..Default::default()
        }),
        workspace: Some(lsp_types::WorkspaceServerCapabilities {
            workspace_folders: Some(lsp_types::WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(lsp_types::OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "kubeward", "version": kubeward::VERSION },
    });
    connection.initialize_finish(id, result).map_err(|error| format!("initialize: {error}"))?;

    let options = params.initialization_options.as_ref();
    let debounce = options
        .and_then(|options| options.get("debounceMs"))
        .and_then(serde_json::Value::as_u64)
        .map_or(DEFAULT_DEBOUNCE, Duration::from_millis);
    let show_document = params
        .capabilities
        .window
        .as_ref()
        .and_then(|window| window.show_document.as_ref())
        .is_some_and(|show| show.support);
    let (jobs, job_receiver) = crossbeam_channel::unbounded();
    let (done_sender, done) = crossbeam_channel::unbounded();
    let worker = std::thread::Builder::new()
        .name("kubeward-scan".into())
        .spawn(move || worker::run(job_receiver, done_sender))
        .map_err(|error| format!("cannot start the scanning thread: {error}"))?;
    let mut server = Server {
        sender: connection.sender.clone(),
        encoding,
        client: ClientActions { show_document },
        debounce,
        threads: std::thread::available_parallelism().map_or(1, usize::from),
        groups: Vec::new(),
        next_group: 0,
        open: HashMap::new(),
        published: HashMap::new(),
        pending: HashMap::new(),
        retired: Vec::new(),
        jobs,
        done,
        next_request: 0,
        shut_down: false,
    };
    let mut folders: Vec<PathBuf> =
        params.workspace_folders.iter().flatten().filter_map(|folder| uri_to_path(&folder.uri)).collect();
    #[allow(deprecated)]
    if folders.is_empty() {
        folders.extend(params.root_uri.as_ref().and_then(uri_to_path));
    }
    for folder in folders {
        server.add_folder(folder);
    }
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|workspace| workspace.did_change_watched_files.as_ref())
        .and_then(|watched| watched.dynamic_registration)
        .unwrap_or(false);
    if watch {
        server.register_watchers();
    }
    let outcome = server.run(&connection.receiver);
    drop(server);
    let _ = worker.join();
    outcome
}

impl Server {
    fn run(&mut self, receiver: &Receiver<Message>) -> Result<(), String> {
        loop {
            let now = Instant::now();
            let mut wait =
                self.groups.iter().filter_map(|group| group.due).map(|due| due.saturating_duration_since(now)).min();
            if !self.pending.is_empty() {
                wait = Some(wait.map_or(Duration::from_millis(20), |wait| wait.min(Duration::from_millis(20))));
            }
            let wait = wait.unwrap_or(Duration::from_secs(3600));
            select! {
                recv(receiver) -> message => match message {
                    Ok(message) => {
                        if let Some(outcome) = self.handle(message) {
                            return outcome;
                        }
                    }
                    Err(_) => return Err("the client closed the connection without `exit`".into()),
                },
                recv(self.done) -> done => {
                    if let Ok(done) = done {
                        self.finished(done);
                    }
                },
                default(wait) => {}
            }
            self.dispatch();
            self.flush();
            self.retired.clear();
        }
    }

    /// Handles one message; `Some` ends the loop (`exit`).
    fn handle(&mut self, message: Message) -> Option<Result<(), String>> {
        match message {
            Message::Request(request) => self.request(request),
            Message::Notification(notification) => return self.notification(notification),
            Message::Response(_) => {}
        }
        None
    }

    fn respond(&self, response: Response) {
        // Blocks while the outgoing queue is full: a response is never dropped.
        let _ = self.sender.send(response.into());
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shut_down {
            self.respond(Response::new_err(id, ErrorCode::InvalidRequest as i32, "the server is shut down".into()));
            return;
        }
        let result = match request.method.as_str() {
            request::Shutdown::METHOD => {
                self.shut_down = true;
                Ok(serde_json::Value::Null)
            }
            request::HoverRequest::METHOD => params(request).map(|params| self.hover(params)),
            request::CodeActionRequest::METHOD => params(request).map(|params| self.code_actions(params)),
            request::ExecuteCommand::METHOD => params(request).map(|params| self.execute(params)),
            method => Err((ErrorCode::MethodNotFound, format!("unknown method {method}"))),
        };
        match result {
            Ok(value) => self.respond(Response::new_ok(id, value)),
            Err((code, message)) => self.respond(Response::new_err(id, code as i32, message)),
        }
    }

    fn notification(&mut self, notification: Notification) -> Option<Result<(), String>> {
        let method = notification.method.clone();
        let outcome = match method.as_str() {
            notification::Exit::METHOD => {
                return Some(if self.shut_down { Ok(()) } else { Err("`exit` before `shutdown`".into()) })
            }
            notification::DidOpenTextDocument::METHOD => note_params(notification)
                .map(|p: lsp_types::DidOpenTextDocumentParams| self.opened(&p.text_document.uri, p.text_document.text)),
            notification::DidChangeTextDocument::METHOD => {
                note_params(notification).map(|p: lsp_types::DidChangeTextDocumentParams| {
                    // Full synchronisation: the last change holds the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        self.changed(&p.text_document.uri, change.text);
                    }
                })
            }
            notification::DidSaveTextDocument::METHOD => note_params(notification)
                .map(|p: lsp_types::DidSaveTextDocumentParams| self.saved(&p.text_document.uri)),
            notification::DidCloseTextDocument::METHOD => note_params(notification)
                .map(|p: lsp_types::DidCloseTextDocumentParams| self.closed(&p.text_document.uri)),
            notification::DidChangeWatchedFiles::METHOD => {
                note_params(notification).map(|p: lsp_types::DidChangeWatchedFilesParams| self.watched(p))
            }
            notification::DidChangeWorkspaceFolders::METHOD => {
                note_params(notification).map(|p: lsp_types::DidChangeWorkspaceFoldersParams| {
                    for removed in p.event.removed.iter().filter_map(|folder| uri_to_path(&folder.uri)) {
                        self.remove_folder(&removed);
                    }
                    for added in p.event.added.iter().filter_map(|folder| uri_to_path(&folder.uri)) {
                        self.add_folder(added);
                    }
                })
            }
            _ => Ok(()), // other notifications ($/cancelRequest, $/setTrace, ...) need nothing
        };
        if let Err(error) = outcome {
            log(&format!("ignored a malformed {method} notification: {error}"));
        }
        None
    }

    // --- documents ---------------------------------------------------------

    fn opened(&mut self, uri: &Uri, text: String) {
        let Some(path) = uri_to_path(uri) else { return };
        let text: Arc<str> = text.into();
        if workspace::is_config_name(&path) {
            self.open.insert(path.clone(), text);
            self.config_changed(&path);
            return;
        }
        if !workspace::is_manifest_name(&path) {
            return;
        }
        self.open.insert(path.clone(), text.clone());
        let group = self.group_for(&path);
        self.set_file(group, path, Some(text), Duration::ZERO);
    }

    fn changed(&mut self, uri: &Uri, text: String) {
        let Some(path) = uri_to_path(uri) else { return };
        if !self.open.contains_key(&path) {
            return;
        }
        let text: Arc<str> = text.into();
        self.open.insert(path.clone(), text.clone());
        if workspace::is_config_name(&path) {
            return; // read when saved
        }
        let group = self.group_for(&path);
        self.set_file(group, path, Some(text), self.debounce);
    }

    fn saved(&mut self, uri: &Uri) {
        let Some(path) = uri_to_path(uri) else { return };
        if workspace::is_config_name(&path) {
            self.config_changed(&path);
        } else if let Some(group) = self.groups.iter_mut().find(|group| group.files.contains_key(&path)) {
            group.due = Some(Instant::now());
        }
    }

    fn closed(&mut self, uri: &Uri) {
        let Some(path) = uri_to_path(uri) else { return };
        if self.open.remove(&path).is_none() || workspace::is_config_name(&path) {
            return;
        }
        let Some(index) = self.groups.iter().position(|group| group.files.contains_key(&path)) else { return };
        if self.groups[index].walked {
            // Back to the file on disk (gone if it was deleted).
            let text = read_manifest(&path);
            self.set_file(index, path, text, Duration::ZERO);
        } else {
            self.set_file(index, path.clone(), None, Duration::ZERO);
            if self.groups[index].files.is_empty() {
                self.groups.remove(index);
            }
        }
    }

    fn watched(&mut self, params: lsp_types::DidChangeWatchedFilesParams) {
        for change in params.changes {
            let Some(path) = uri_to_path(&change.uri) else { continue };
            if workspace::is_config_name(&path) {
                self.config_changed(&path);
                continue;
            }
            if !workspace::is_manifest_name(&path) || self.open.contains_key(&path) {
                continue; // the editor's text wins over the disk's
            }
            let Some(group) = self.walked_group_of(&path) else { continue };
            let text = if change.typ == lsp_types::FileChangeType::DELETED { None } else { read_manifest(&path) };
            self.set_file(group, path, text, Duration::ZERO);
        }
    }

    /// Sets (or, with `None`, removes) a file of a group and schedules its scan.
    fn set_file(&mut self, group: usize, path: PathBuf, text: Option<Arc<str>>, delay: Duration) {
        let Some(entry) = self.groups.get_mut(group) else { return };
        match text {
            Some(text) => {
                Arc::make_mut(&mut entry.files).insert(path, text);
            }
            None => {
                Arc::make_mut(&mut entry.files).remove(&path);
                self.publish(path, Vec::new());
            }
        }
        let entry = &mut self.groups[group];
        entry.generation.fetch_add(1, Ordering::SeqCst);
        let due = Instant::now() + delay;
        entry.due = Some(entry.due.map_or(due, |earlier| if delay.is_zero() { earlier.min(due) } else { due }));
    }

    // --- groups and configuration -------------------------------------------

    fn new_group(&mut self, root: PathBuf, walked: bool) -> usize {
        let config = workspace::discover_config(&root);
        let engine = self.load_engine(config.as_deref());
        self.next_group += 1;
        self.groups.push(Group {
            id: self.next_group,
            root,
            walked,
            config,
            engine,
            files: Arc::default(),
            generation: Arc::new(AtomicU64::new(0)),
            due: Some(Instant::now()),
        });
        self.groups.len() - 1
    }

    fn add_folder(&mut self, root: PathBuf) {
        if self.groups.iter().any(|group| group.walked && group.root == root) {
            return;
        }
        let index = self.new_group(root.clone(), true);
        let limit = self.groups[index].engine.config().limits.max_file_bytes;
        for path in workspace::walk(&root) {
            if let Some(text) = self.open.get(&path) {
                Arc::make_mut(&mut self.groups[index].files).insert(path, text.clone());
                continue;
            }
            match std::fs::metadata(&path) {
                Ok(meta) if meta.len() > limit => {
                    log(&format!(
                        "{}: not read: {} bytes, over the {limit}-byte input limit",
                        path.display(),
                        meta.len()
                    ));
                    continue;
                }
                _ => {}
            }
            if let Some(text) = read_manifest(&path) {
                Arc::make_mut(&mut self.groups[index].files).insert(path, text);
            }
        }
        // Open files of loose groups under this folder move into it.
        let moved: Vec<PathBuf> = self
            .groups
            .iter()
            .filter(|group| !group.walked)
            .flat_map(|group| group.files.keys().filter(|path| path.starts_with(&root)).cloned())
            .collect();
        for path in moved {
            if let Some(text) = self.open.get(&path).cloned() {
                Arc::make_mut(&mut self.groups[index].files).insert(path.clone(), text);
            }
            for group in self.groups.iter_mut().filter(|group| !group.walked) {
                Arc::make_mut(&mut group.files).remove(&path);
            }
        }
        self.groups.retain(|group| group.walked || !group.files.is_empty());
    }

    fn remove_folder(&mut self, root: &Path) {
        let Some(index) = self.groups.iter().position(|group| group.walked && group.root == root) else { return };
        let group = self.groups.remove(index);
        group.generation.fetch_add(1, Ordering::SeqCst);
        for path in Arc::unwrap_or_clone(group.files).into_keys() {
            self.publish(path.clone(), Vec::new());
            if let Some(text) = self.open.get(&path).cloned() {
                let index = self.group_for(&path);
                self.set_file(index, path, Some(text), Duration::ZERO);
            }
        }
    }

    /// The group a file belongs to: the deepest workspace folder holding it, or
    /// a group of its own directory's open files.
    fn group_for(&mut self, path: &Path) -> usize {
        if let Some(index) = self.walked_group_of(path) {
            return index;
        }
        let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        if let Some(index) = self.groups.iter().position(|group| !group.walked && group.root == dir) {
            return index;
        }
        self.new_group(dir, false)
    }

    /// The engine of the group that holds `path`, if one does.
    fn engine_of(&self, path: &Path) -> Option<Arc<kubeward::Engine>> {
        let dir = path.parent().unwrap_or(Path::new("/"));
        let index = self
            .walked_group_of(path)
            .or_else(|| self.groups.iter().position(|group| !group.walked && group.root == dir))?;
        Some(self.groups[index].engine.clone())
    }

    fn walked_group_of(&self, path: &Path) -> Option<usize> {
        self.groups
            .iter()
            .enumerate()
            .filter(|(_, group)| group.walked && path.starts_with(&group.root))
            .max_by_key(|(_, group)| group.root.components().count())
            .map(|(index, _)| index)
    }

    /// Builds a group's engine from its configuration file, publishing the
    /// file's problem (or clearing it) as a diagnostic on the file.
    fn load_engine(&mut self, config: Option<&Path>) -> Arc<kubeward::Engine> {
        let text = config.and_then(|path| match self.open.get(path) {
            Some(text) => Some(text.to_string()),
            None => std::fs::read_to_string(path).ok(),
        });
        let (engine, problem) = workspace::engine_for(config.zip(text.as_deref()));
        if let (Some(path), Some(text)) = (config, text.as_deref()) {
            let entries = match problem {
                Some(problem) => vec![config_entry(text, &problem, self.encoding)],
                None => crate::diagnostics::of_configuration(&engine, path, text, self.encoding),
            };
            self.publish(path.to_path_buf(), entries);
        }
        Arc::new(engine.with_threads(self.threads))
    }

    /// A configuration file was created, changed, saved or deleted: every
    /// group's configuration is found and read again, and rescanned if it changed.
    fn config_changed(&mut self, changed: &Path) {
        for index in 0..self.groups.len() {
            let config = workspace::discover_config(&self.groups[index].root);
            if config == self.groups[index].config && config.as_deref() != Some(changed) {
                continue;
            }
            if let Some(old) = self.groups[index].config.clone().filter(|old| Some(old) != config.as_ref()) {
                self.publish(old, Vec::new());
            }
            let engine = self.load_engine(config.as_deref());
            let group = &mut self.groups[index];
            group.config = config;
            group.engine = engine;
            group.generation.fetch_add(1, Ordering::SeqCst);
            group.due = Some(Instant::now());
        }
    }

    fn register_watchers(&mut self) {
        let watchers: Vec<lsp_types::FileSystemWatcher> = ["**/*.yaml", "**/*.yml", "**/*.json"]
            .into_iter()
            .map(|glob| lsp_types::FileSystemWatcher {
                glob_pattern: lsp_types::GlobPattern::String(glob.into()),
                kind: None,
            })
            .collect();
        let options = lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = lsp_types::Registration {
            id: "kubeward-watch".into(),
            method: notification::DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.send_request(
            request::RegisterCapability::METHOD,
            lsp_types::RegistrationParams { registrations: vec![registration] },
        );
    }

    fn send_request(&mut self, method: &str, params: impl serde::Serialize) {
        self.next_request += 1;
        let request = Request::new(RequestId::from(self.next_request), method.into(), params);
        let _ = self.sender.send(request.into());
    }

    // --- scans and publishing -------------------------------------------------

    /// Hands the groups whose time has come to the worker.
    fn dispatch(&mut self) {
        let now = Instant::now();
        for group in &mut self.groups {
            if group.due.is_some_and(|due| due <= now) {
                group.due = None;
                let files = Arc::clone(&group.files);
                let _ = self.jobs.send(Job {
                    group: group.id,
                    generation: group.generation.load(Ordering::SeqCst),
                    current: group.generation.clone(),
                    engine: group.engine.clone(),
                    files,
                    encoding: self.encoding,
                });
            }
        }
    }

    /// Publishes a scan's changed diagnostics. Those of a scan outdated since
    /// it was asked for are published only for the files whose text it saw (a
    /// newer scan is on its way for the others).
    fn finished(&mut self, done: Done) {
        let Some(group) = self.groups.iter().find(|group| group.id == done.group) else { return };
        let current = group.generation.load(Ordering::SeqCst) == done.generation;
        let root = group.root.display().to_string();
        let mut diagnostics: Vec<(PathBuf, Arc<Vec<Entry>>)> = done
            .diagnostics
            .into_iter()
            .filter(|(path, text, _)| current || group.files.get(path).is_some_and(|now| Arc::ptr_eq(now, text)))
            .map(|(path, _, entries)| (path, entries))
            .collect();
        diagnostics.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, entries) in diagnostics {
            self.publish_shared(path, entries);
        }
        log_debug(&format!("scanned {root} in {:?}", done.elapsed));
    }

    /// Queues a file's diagnostics, when they differ from those last published.
    fn publish(&mut self, path: PathBuf, entries: Vec<Entry>) {
        self.publish_shared(path, Arc::new(entries));
    }

    fn publish_shared(&mut self, path: PathBuf, entries: Arc<Vec<Entry>>) {
        let unchanged = match self.published.get(&path) {
            Some(old) => {
                Arc::ptr_eq(old, &entries)
                    || old.iter().map(|entry| &entry.diagnostic).eq(entries.iter().map(|entry| &entry.diagnostic))
            }
            None => entries.is_empty(),
        };
        if !unchanged {
            self.pending.insert(path.clone(), entries.clone());
        }
        // The entries are kept even when unchanged: they hold the newest text.
        self.retired.extend(self.published.insert(path, entries));
    }

    /// Sends queued diagnostics while the outgoing queue has room; the rest wait
    /// (and are replaced by newer ones, so a client that does not read costs no memory).
    fn flush(&mut self) {
        let paths: Vec<PathBuf> = self.pending.keys().cloned().collect();
        for path in paths {
            let Some(uri) = path_to_uri(&path) else {
                self.pending.remove(&path);
                continue;
            };
            let entries = self.pending.get(&path).cloned().unwrap_or_default();
            let message = Notification {
                method: notification::PublishDiagnostics::METHOD.into(),
                params: publish_params(&uri, &entries, self.threads),
            };
            match self.sender.try_send(message.into()) {
                Ok(()) => {
                    self.pending.remove(&path);
                }
                Err(TrySendError::Full(_)) => return,
                Err(TrySendError::Disconnected(_)) => {
                    self.pending.clear();
                    return;
                }
            }
        }
    }

    // --- requests -------------------------------------------------------------

    fn entries_at(&self, uri: &Uri, range: &lsp_types::Range) -> Vec<&Entry> {
        let Some(path) = uri_to_path(uri) else { return Vec::new() };
        let current = self.open.get(&path);
        self.published
            .get(&path)
            .into_iter()
            .flat_map(|entries| entries.iter())
            .filter(|entry| current.is_none_or(|text| *text == entry.text))
            .filter(|entry| crate::text::overlaps(&entry.diagnostic.range, range))
            .collect()
    }

    fn hover(&self, params: lsp_types::HoverParams) -> serde_json::Value {
        let at = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        let mut entries = self.entries_at(&uri, &lsp_types::Range { start: at, end: at });
        // The narrowest first: a container's finding before its whole pod template's.
        entries.sort_by_key(|entry| {
            let range = entry.diagnostic.range;
            (range.end.line - range.start.line, range.end.character.abs_diff(range.start.character))
        });
        let mut parts = Vec::new();
        for entry in entries {
            let code = match &entry.diagnostic.code {
                Some(lsp_types::NumberOrString::String(code)) => code.clone(),
                _ => {
                    parts.push(entry.diagnostic.message.clone());
                    continue;
                }
            };
            parts.push(crate::hover::explain(&code, &entry.diagnostic.message));
        }
        if parts.is_empty() {
            return serde_json::Value::Null;
        }
        serde_json::to_value(lsp_types::Hover {
            contents: lsp_types::HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range: None,
        })
        .unwrap_or_default()
    }

    fn code_actions(&self, params: lsp_types::CodeActionParams) -> serde_json::Value {
        let uri = params.text_document.uri;
        let engine = uri_to_path(&uri).and_then(|path| self.engine_of(&path));
        // The diagnostics the client names, when it names any; else those in the range.
        let named = &params.context.diagnostics;
        let actions: Vec<CodeActionOrCommand> = self
            .entries_at(&uri, &params.range)
            .into_iter()
            .filter(|entry| {
                named.is_empty()
                    || named.iter().any(|d| d.range == entry.diagnostic.range && d.code == entry.diagnostic.code)
            })
            .flat_map(|entry| actions::actions_for(entry, &uri, self.encoding, self.client, engine.as_deref()))
            .map(CodeActionOrCommand::CodeAction)
            .collect();
        serde_json::to_value(actions).unwrap_or_default()
    }

    fn execute(&mut self, params: lsp_types::ExecuteCommandParams) -> serde_json::Value {
        if params.command == actions::SELECT_COMMAND {
            let uri = params.arguments.first().and_then(|uri| uri.as_str()).and_then(|uri| uri.parse::<Uri>().ok());
            let selection = params.arguments.get(1).and_then(|range| serde_json::from_value(range.clone()).ok());
            if let (Some(uri), Some(selection)) = (uri, selection) {
                self.send_request(
                    request::ShowDocument::METHOD,
                    lsp_types::ShowDocumentParams {
                        uri,
                        external: None,
                        take_focus: Some(true),
                        selection: Some(selection),
                    },
                );
            }
        }
        serde_json::Value::Null
    }
}

type Failure = (ErrorCode, String);

/// `PublishDiagnosticsParams` as JSON, from the diagnostics the server keeps.
/// A long list is turned into JSON on `threads` threads: for a large file,
/// that is a good part of the time from a keystroke to its diagnostics.
fn publish_params(uri: &Uri, entries: &[Entry], threads: usize) -> serde_json::Value {
    let diagnostics: Vec<serde_json::Value> =
        crate::parallel::map_chunks(entries, threads, 200, |entry| serde_json::to_value(&entry.diagnostic))
            .into_iter()
            .filter_map(Result::ok)
            .collect();
    // Built as a map: `json!` would copy the diagnostics' JSON once more.
    let mut params = serde_json::Map::new();
    params.insert("uri".into(), serde_json::Value::String(uri.as_str().to_string()));
    params.insert("diagnostics".into(), serde_json::Value::Array(diagnostics));
    serde_json::Value::Object(params)
}

fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, Failure> {
    serde_json::from_value(request.params)
        .map_err(|error| (ErrorCode::InvalidParams, format!("invalid {} parameters: {error}", request.method)))
}

fn note_params<P: serde::de::DeserializeOwned>(notification: Notification) -> Result<P, String> {
    serde_json::from_value(notification.params).map_err(|error| error.to_string())
}

/// A manifest's text from disk; `None` when it cannot be read or is not UTF-8.
fn read_manifest(path: &Path) -> Option<Arc<str>> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(text.into()),
            Err(_) => {
                log(&format!("{}: not UTF-8, not scanned", path.display()));
                None
            }
        },
        Err(_) => None,
    }
}

/// The diagnostic for a configuration that cannot be used.
fn config_entry(text: &str, problem: &ConfigProblem, encoding: Encoding) -> Entry {
    let lines = crate::text::Lines::new(text);
    let offset = problem.at.map_or(0, |(line, column)| {
        let start = text.split_inclusive('\n').take(line.saturating_sub(1) as usize).map(str::len).sum::<usize>();
        let rest = &text[start.min(text.len())..];
        start + rest.char_indices().nth(column.saturating_sub(1) as usize).map_or(rest.len(), |(at, _)| at)
    });
    let start = lines.position(offset, encoding);
    let end = lines.position(text[offset..].find('\n').map_or(text.len(), |at| offset + at), encoding);
    Entry {
        diagnostic: Diagnostic {
            range: lsp_types::Range { start, end },
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("kubeward".into()),
            message: format!("invalid kubeward configuration (the defaults are used): {}", problem.message),
            ..Diagnostic::default()
        },
        finding: None,
        document: None,
        text: text.into(),
    }
}

/// A line on standard error, the server's log.
pub(crate) fn log(message: &str) {
    eprintln!("kubeward lsp: {message}");
}

pub(crate) fn log_debug(message: &str) {
    if std::env::var_os("KUBEWARD_LSP_DEBUG").is_some() {
        log(message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_turned_into_json_on_threads_are_the_protocols_params_in_order() {
        let uri: Uri = "file:///w/large.yaml".parse().unwrap();
        let entries: Vec<Entry> = (0..1001u32)
            .map(|line| Entry {
                diagnostic: Diagnostic {
                    range: lsp_types::Range::new(lsp_types::Position::new(line, 2), lsp_types::Position::new(line, 9)),
                    message: format!("finding {line}"),
                    ..Diagnostic::default()
                },
                finding: None,
                document: None,
                text: Arc::from(""),
            })
            .collect();
        let expected = lsp_types::PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics: entries.iter().map(|entry| entry.diagnostic.clone()).collect(),
            version: None,
        };
        let expected = serde_json::to_value(expected).unwrap();
        for threads in [1, 2, 3, 8] {
            assert_eq!(publish_params(&uri, &entries, threads), expected, "{threads} threads");
        }
        assert_eq!(
            publish_params(&uri, &entries[..3], 4),
            serde_json::to_value(lsp_types::PublishDiagnosticsParams {
                uri,
                diagnostics: entries[..3].iter().map(|entry| entry.diagnostic.clone()).collect(),
                version: None,
            })
            .unwrap()
        );
    }
}
