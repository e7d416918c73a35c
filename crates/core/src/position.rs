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

impl Position {
    /// This position in a byte-identical copy of the text that starts at
    /// `from`, when the copy starts at `to`: lines and offsets move with the
    /// copy, and so do columns on its first line (later lines start alike).
    pub(crate) fn moved(self, from: Position, to: Position) -> Position {
        let column = if self.line == from.line { to.column + (self.column - from.column) } else { self.column };
        Position { line: to.line + (self.line - from.line), column, offset: to.offset + (self.offset - from.offset) }
    }
}

impl Range {
    /// This range in a byte-identical copy of the text that starts at `from`,
    /// when the copy starts at `to` (see [`Position::moved`]).
    pub(crate) fn moved(self, from: Position, to: Position) -> Range {
        Range { start: self.start.moved(from, to), end: self.end.moved(from, to) }
    }
}

/// The start of every line of a file, to turn byte offsets into positions.
///
/// A column counts characters, so it cannot be a subtraction of offsets on a line
/// with non-ASCII text: the UTF-8 continuation bytes before the offset on its line
/// are taken away. How they are counted depends on how many the text has (see
/// [`Continuations`]); only a text with many needs its bytes again.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    /// The text's length in bytes: offsets past it are clamped to it.
    len: u32,
    line_starts: Vec<u32>,
    continuations: Continuations,
}

/// Where a text's UTF-8 continuation bytes are, as far as columns need it.
#[derive(Debug, Clone)]
enum Continuations {
    /// None or a few (at most one byte in [`SPARSE`]): their offsets, in order,
    /// so that a column needs two binary searches and not the text (an ASCII
    /// text's list is empty, and its columns subtractions). A scan keeps every
    /// file's index while it reads the files once, and most manifests with
    /// non-ASCII text have it in a comment or a description or two.
    Sparse(Vec<u32>),
    /// Many: `counts[i]` is how many come before byte `i * BLOCK`, and a column
    /// counts at most one block of the text, which it needs again. Counting from
    /// the line's start instead would cost the line's length per position,
    /// quadratic on a long one-line JSON file with many findings.
    Dense(Vec<u32>),
}

/// Bytes per checkpoint of the continuation-byte count.
const BLOCK: usize = 1024;

/// A text whose continuation bytes are at most one in this many keeps their offsets.
const SPARSE: usize = 32;

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
        let mut counts = Vec::with_capacity(bytes.len() / BLOCK + 2);
        let mut count = 0u32;
        counts.push(0);
        for block in bytes.chunks(BLOCK) {
            count += count_continuations(block);
            counts.push(count);
        }
        let continuations = if count as usize <= bytes.len() / SPARSE {
            let mut offsets = Vec::with_capacity(count as usize);
            // Only the blocks that hold some are looked at byte by byte.
            for (index, block) in bytes.chunks(BLOCK).enumerate() {
                if counts.get(index) != counts.get(index + 1) {
                    let start = index * BLOCK;
                    offsets.extend(
                        block
                            .iter()
                            .enumerate()
                            .filter(|(_, &b)| is_continuation(b))
                            .map(|(at, _)| (start + at) as u32),
                    );
                }
            }
            Continuations::Sparse(offsets)
        } else {
            Continuations::Dense(counts)
        };
        LineIndex { len: bytes.len() as u32, line_starts, continuations }
    }

    /// Does placing an offset need the text's bytes? Only when the text has
    /// many non-ASCII characters.
    pub(crate) fn needs_bytes(&self) -> bool {
        matches!(self.continuations, Continuations::Dense(_))
    }

    /// UTF-8 continuation bytes in `bytes[..offset]`, by the checkpoints `counts`.
    fn counted_before(counts: &[u32], bytes: &[u8], offset: usize) -> usize {
        let block = offset / BLOCK;
        let counted = counts.get(block).copied().unwrap_or(0) as usize;
        let rest = bytes.get(block * BLOCK..offset).unwrap_or(&[]);
        counted + count_continuations(rest) as usize
    }

    /// The position of `offset` in `bytes`, the text this index was made of;
    /// `bytes` may be empty when [`LineIndex::needs_bytes`] is false.
    pub(crate) fn position(&self, bytes: &[u8], offset: u32) -> Position {
        let offset = offset.min(self.len);
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        let line_start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        // Count characters, not bytes: every byte that is not a UTF-8 continuation byte starts one.
        let continuations = match &self.continuations {
            Continuations::Sparse(offsets) => {
                offsets.partition_point(|&at| at < offset) - offsets.partition_point(|&at| at < line_start)
            }
            Continuations::Dense(_) if offset - line_start <= BLOCK as u32 => {
                count_continuations(bytes.get(line_start as usize..offset as usize).unwrap_or_default()) as usize
            }
            Continuations::Dense(counts) => {
                Self::counted_before(counts, bytes, offset as usize)
                    - Self::counted_before(counts, bytes, line_start as usize)
            }
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
    fn an_ascii_text_is_placed_without_its_bytes() {
        let text = "a: 1\nlist:\n- x\n\nb: two words\n";
        let index = LineIndex::new(text.as_bytes());
        assert!(!index.needs_bytes());
        for offset in 0..text.len() as u32 + 3 {
            assert_eq!(index.position(&[], offset), index.position(text.as_bytes(), offset), "offset {offset}");
        }
        assert_eq!(index.position(&[], 99).offset, text.len() as u32);
    }

    /// Every character boundary of `text` (and a few offsets past its end),
    /// placed with the bytes when the index needs them and without otherwise,
    /// against lines and characters counted by the standard library.
    fn assert_placed_as_counted(text: &str, needs_bytes: bool) {
        let index = LineIndex::new(text.as_bytes());
        assert_eq!(index.needs_bytes(), needs_bytes, "{text:?}");
        let bytes: &[u8] = if needs_bytes { text.as_bytes() } else { &[] };
        for (offset, _) in text.char_indices().chain((0..3).map(|past| (text.len() + past, ' '))) {
            let clamped = offset.min(text.len());
            let line_start = text[..clamped].rfind('\n').map_or(0, |i| i + 1);
            let expected_column = text[line_start..clamped].chars().count() as u32 + 1;
            let expected_line = text[..clamped].matches('\n').count() as u32 + 1;
            let position = index.position(bytes, offset as u32);
            assert_eq!((position.line, position.column), (expected_line, expected_column), "offset {offset}");
        }
    }

    #[test]
    fn a_text_with_few_non_ascii_characters_is_placed_without_its_bytes() {
        let comment = "# Сервис уведомлений \u{2014} caf\u{e9} \u{1F600}\n";
        let text = format!("{comment}{}{comment}", "apiVersion: v1\nkind: ConfigMap\ndata:\n  key: value\n".repeat(40));
        assert_placed_as_counted(&text, false);
        // One line, a long way after the non-ASCII characters.
        assert_placed_as_counted(&format!("\u{e9}{}", "a".repeat(5000)), false);
        assert_placed_as_counted(&format!("{}\u{65e5}\n{}", "a".repeat(3000), "b: 1\n".repeat(10)), false);
    }

    #[test]
    fn a_text_with_many_non_ascii_characters_is_placed_with_its_bytes() {
        assert_placed_as_counted("# caf\u{e9}\n", true);
        assert_placed_as_counted(&"\u{65e5}\u{672c}: \u{8a9e}\n".repeat(200), true);
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
