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
///
/// A column counts characters, so it cannot be a subtraction of offsets on a line
/// with non-ASCII text. Counting from the line's start for every position costs
/// the line's length per position, quadratic on a long one-line JSON file with many
/// findings; so the index also keeps, every [`BLOCK`] bytes, how many UTF-8
/// continuation bytes come before, and a column costs at most one block's scan.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    line_starts: Vec<u32>,
    /// `continuations[i]`: UTF-8 continuation bytes in `bytes[..i * BLOCK]`.
    continuations: Vec<u32>,
}

/// Bytes per checkpoint of the continuation-byte count.
const BLOCK: usize = 1024;

fn is_continuation(byte: u8) -> bool {
    (byte & 0xC0) == 0x80
}

/// UTF-8 continuation bytes (`10xxxxxx`) in `bytes`, eight bytes at a time:
/// every file is indexed, so this runs over every byte of the input.
fn count_continuations(bytes: &[u8]) -> u32 {
    let (words, rest) = crate::swar::words(bytes);
    // Bit 7 set and bit 6 clear, per byte.
    let counted: u32 = words.map(|(word, _)| (word & !(word << 1) & crate::swar::HIGHS).count_ones()).sum();
    counted + rest.iter().filter(|&&b| is_continuation(b)).count() as u32
}

impl LineIndex {
    pub(crate) fn new(bytes: &[u8]) -> Self {
        // Counted first: a scan keeps every file's table, so slack would add up.
        let mut line_starts = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
        line_starts.push(0u32);
        line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i as u32 + 1));
        let mut continuations = Vec::with_capacity(bytes.len() / BLOCK + 2);
        let mut count = 0u32;
        continuations.push(0);
        for block in bytes.chunks(BLOCK) {
            count += count_continuations(block);
            continuations.push(count);
        }
        LineIndex { line_starts, continuations }
    }

    /// UTF-8 continuation bytes in `bytes[..offset]`.
    fn continuations_before(&self, bytes: &[u8], offset: usize) -> usize {
        let block = offset / BLOCK;
        let counted = self.continuations.get(block).copied().unwrap_or(0) as usize;
        let rest = bytes.get(block * BLOCK..offset).unwrap_or(&[]);
        counted + count_continuations(rest) as usize
    }

    pub(crate) fn position(&self, bytes: &[u8], offset: u32) -> Position {
        let offset = offset.min(bytes.len() as u32);
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        let line_start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        // Count characters, not bytes: every byte that is not a UTF-8 continuation byte starts one.
        let continuations = if self.continuations.last() == Some(&0) {
            0 // pure ASCII: a column is a subtraction
        } else if offset - line_start <= BLOCK as u32 {
            count_continuations(bytes.get(line_start as usize..offset as usize).unwrap_or_default()) as usize
        } else {
            self.continuations_before(bytes, offset as usize) - self.continuations_before(bytes, line_start as usize)
        };
        let column = (offset - line_start) as usize - continuations + 1;
        Position { line: line as u32, column: column as u32, offset }
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

    #[test]
    fn continuations_are_counted_eight_bytes_at_a_time_as_one_at_a_time() {
        let text = "a\u{e9}\u{1F600}\u{65e5}b\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}".repeat(37);
        let bytes = text.as_bytes();
        for start in 0..16 {
            for end in (start..bytes.len()).step_by(7) {
                let expected = bytes[start..end].iter().filter(|&&b| is_continuation(b)).count() as u32;
                assert_eq!(count_continuations(&bytes[start..end]), expected, "{start}..{end}");
            }
        }
    }

    #[test]
    fn columns_on_long_lines_cross_checkpoints() {
        // Non-ASCII characters straddling the checkpoint boundaries, on one long line and after a newline.
        let text = format!("{}\n{}", "\u{e9}a\u{1F600}".repeat(700), "x\u{65e5}".repeat(900));
        let bytes = text.as_bytes();
        let index = LineIndex::new(bytes);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let expected_column = text[line_start..offset].chars().count() as u32 + 1;
            let expected_line = text[..offset].matches('\n').count() as u32 + 1;
            let position = index.position(bytes, offset as u32);
            assert_eq!((position.line, position.column), (expected_line, expected_column), "offset {offset}");
        }
    }
}
