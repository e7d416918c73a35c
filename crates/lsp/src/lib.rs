//! kubeward's language server: diagnostics, hover and code actions for
//! Kubernetes manifests, over the Language Server Protocol (see docs/lsp.md).
//!
//! The server keeps every manifest of the workspace folders, scans a folder's
//! files together (so the cross-object checks see them all) on a worker thread,
//! and publishes the diagnostics of every file whose diagnostics changed.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod actions;
mod diagnostics;
mod hover;
mod parallel;
mod server;
mod text;
mod transport;
mod worker;
mod workspace;

/// Serves one client over standard input and output until it sends `exit`.
///
/// An error is returned when the client ends the connection without
/// `shutdown` and `exit`, or the initialization fails.
pub fn run_stdio() -> Result<(), String> {
    let (connection, threads) = transport::stdio();
    let outcome = server::serve(connection);
    threads.join();
    outcome
}

/// Serves one client over an in-process connection (for tests and embedding):
/// see `lsp_server::Connection::memory`.
pub fn serve(connection: lsp_server::Connection) -> Result<(), String> {
    server::serve(connection)
}
