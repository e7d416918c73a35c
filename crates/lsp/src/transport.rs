//! Standard input and output as a connection. Unlike `lsp_server::Connection::stdio`,
//! a malformed message is logged and skipped (the reader reads on), and the
//! outgoing queue is bounded: a client that does not read makes the server wait
//! (and its diagnostics coalesce) instead of growing memory.

use std::io::{BufReader, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{bounded, Receiver, Sender};
use lsp_server::{Connection, Message};

/// Messages waiting to be written, at most.
pub(crate) const OUTGOING: usize = 64;

/// The reader and writer threads.
pub(crate) struct Threads {
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl Threads {
    /// Waits for the writer to write what was queued. The reader is left to end
    /// with the client's input (it may block on a read that never returns).
    pub(crate) fn join(self) {
        let _ = self.writer.join();
        drop(self.reader);
    }
}

pub(crate) fn stdio() -> (Connection, Threads) {
    let (writer_sender, writer_receiver): (Sender<Message>, Receiver<Message>) = bounded(OUTGOING);
    let writer = std::thread::spawn(move || {
        let stdout = std::io::stdout();
        let mut stdout = stdout.lock();
        for message in writer_receiver {
            if message.write(&mut stdout).and_then(|()| stdout.flush()).is_err() {
                break;
            }
        }
    });
    let (reader_sender, reader_receiver) = bounded::<Message>(OUTGOING);
    let reader = std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = BufReader::new(stdin.lock());
        loop {
            match Message::read(&mut input) {
                Ok(Some(message)) => {
                    let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                    if reader_sender.send(message).is_err() || exit {
                        break;
                    }
                }
                Ok(None) => break,
                Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => break,
                Err(error) => crate::server::log(&format!("skipped a malformed message: {error}")),
            }
        }
    });
    (Connection { sender: writer_sender, receiver: reader_receiver }, Threads { reader, writer })
}
