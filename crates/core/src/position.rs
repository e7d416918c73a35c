//! Byte offsets to 1-based lines and columns.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A point in a file: 1-based line and column (column counted in Unicode
/// scalar values) and the 0-based byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in Unicode scalar values.
    pub column: u32,
    /// 0-based byte offset in the file.
    pub offset: u32,
}

/// A range in a file; `end` is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Range {
    /// First character of the range.
    pub start: Position,
    /// Just past the last character of the range.
    pub end: Position,
}

/// The start of every line of a file, to turn byte offsets into positions.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub(crate) fn new(bytes: &[u8]) -> Self {
        let mut line_starts = vec![0u32];
        line_starts.extend(bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').map(|(i, _)| i as u32 + 1));
        LineIndex { line_starts }
    }

    pub(crate) fn position(&self, bytes: &[u8], offset: u32) -> Position {
        let offset = offset.min(bytes.len() as u32);
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        let line_start = self.line_starts[line - 1];
        let segment = &bytes[line_start as usize..offset as usize];
        // Count characters, not bytes: every byte that is not a UTF-8 continuation byte starts one.
        let column = segment.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u32 + 1;
        Position { line: line as u32, column, offset }
    }

    pub(crate) fn range(&self, bytes: &[u8], start: u32, end: u32) -> Range {
        Range { start: self.position(bytes, start), end: self.position(bytes, end.max(start)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based_and_count_characters() {
        let text = "a: 1\n# \u{e9}\u{1F600} x\nb: 2";
        let index = LineIndex::new(text.as_bytes());
        let at = |needle: &str| index.position(text.as_bytes(), text.find(needle).unwrap() as u32);
        assert_eq!((at("a:").line, at("a:").column), (1, 1));
        assert_eq!((at("x").line, at("x").column), (2, 6));
        assert_eq!((at("b:").line, at("b:").column), (3, 1));
        let end = index.position(text.as_bytes(), text.len() as u32);
        assert_eq!((end.line, end.column), (3, 5));
    }
}
