//! Positions and file addresses: kubeward's byte offsets to the protocol's
//! line and character in the negotiated encoding, and `file:` URIs to paths.

use std::path::{Path, PathBuf};

/// The unit of a position's `character`, as negotiated at `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-16 code units: the protocol's default.
    Utf16,
    /// Bytes of UTF-8: chosen when the client offers it.
    Utf8,
}

/// The largest character boundary of `text` at or before `offset`.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The protocol position of byte `offset` of `text`.
pub(crate) fn position_at(text: &str, offset: usize, encoding: Encoding) -> lsp_types::Position {
    let offset = floor_boundary(text, offset);
    let before = &text.as_bytes()[..offset];
    let line_start = before.iter().rposition(|&byte| byte == b'\n').map_or(0, |at| at + 1);
    let line = before.iter().filter(|&&byte| byte == b'\n').count();
    let segment = &text[line_start..offset];
    let character = match encoding {
        Encoding::Utf8 => segment.len(),
        Encoding::Utf16 => segment.encode_utf16().count(),
    };
    lsp_types::Position { line: line as u32, character: character as u32 }
}

/// Lines of a text, found once, to place many offsets of one file.
pub(crate) struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, byte)| *byte == b'\n').map(|(at, _)| at + 1));
        Lines { text, starts }
    }

    /// The protocol position of byte `offset`.
    pub(crate) fn position(&self, offset: usize, encoding: Encoding) -> lsp_types::Position {
        let offset = floor_boundary(self.text, offset);
        let line = self.starts.partition_point(|&start| start <= offset).max(1) - 1;
        let segment = &self.text[self.starts[line]..offset];
        let character = match encoding {
            Encoding::Utf8 => segment.len(),
            Encoding::Utf16 => segment.encode_utf16().count(),
        };
        lsp_types::Position { line: line as u32, character: character as u32 }
    }

    /// The protocol range of kubeward's range.
    pub(crate) fn range(&self, range: &kubeward::Range, encoding: Encoding) -> lsp_types::Range {
        lsp_types::Range {
            start: self.position(range.start.offset as usize, encoding),
            end: self.position(range.end.offset as usize, encoding),
        }
    }
}

/// Is `inner` within `outer` or touching it (both in one encoding)?
pub(crate) fn overlaps(outer: &lsp_types::Range, inner: &lsp_types::Range) -> bool {
    !(pos_lt(&inner.end, &outer.start) || pos_lt(&outer.end, &inner.start))
}

fn pos_lt(a: &lsp_types::Position, b: &lsp_types::Position) -> bool {
    (a.line, a.character) < (b.line, b.character)
}

/// The local path of a `file:` URI.
pub(crate) fn uri_to_path(uri: &lsp_types::Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' && at + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(std::str::from_utf8(&bytes[at + 1..at + 3]).ok()?, 16) {
                decoded.push(byte);
                at += 3;
                continue;
            }
        }
        decoded.push(bytes[at]);
        at += 1;
    }
    Some(PathBuf::from(String::from_utf8(decoded).ok()?))
}

/// The `file:` URI of a local path.
pub(crate) fn path_to_uri(path: &Path) -> Option<lsp_types::Uri> {
    let text = path.to_str()?;
    let mut uri = String::with_capacity(text.len() + 7);
    uri.push_str("file://");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_or_bytes() {
        let text = "a: 1\n# \u{e9}\u{1F600} x\n";
        let x = text.find('x').unwrap();
        assert_eq!(position_at(text, x, Encoding::Utf16), lsp_types::Position { line: 1, character: 6 });
        assert_eq!(position_at(text, x, Encoding::Utf8), lsp_types::Position { line: 1, character: 9 });
        let lines = Lines::new(text);
        for offset in 0..=text.len() {
            for encoding in [Encoding::Utf8, Encoding::Utf16] {
                assert_eq!(lines.position(offset, encoding), position_at(text, offset, encoding));
            }
        }
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/a dir/caf\u{e9}.yaml");
        let uri = path_to_uri(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20dir/caf%C3%A9.yaml");
        assert_eq!(uri_to_path(&uri).unwrap(), path);
    }
}
