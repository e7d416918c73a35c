//! A fast reader for the block-style YAML most manifests are written in.
//!
//! It reads block mappings and sequences, plain scalars on one line, quoted
//! scalars on one line (escapes included), literal and folded block scalars,
//! comments, and flow sequences and mappings that open and close on one line,
//! and feeds the same [`Builder`] as saphyr-parser, with the byte ranges
//! saphyr-parser gives (tested on every document of the shared corpora and on
//! generated documents: the two trees must be identical). On anything else
//! (flow collections over several lines, anchors, aliases, tags,
//! multi-line plain or quoted scalars, tabs, carriage returns, control or
//! special Unicode characters, and every error) it gives up and the document
//! is read again by saphyr-parser, which is exact but about three times slower
//! (and, for what saphyr-parser rejects but kubectl's parser accepts, by
//! [`super::lenient`]).

use saphyr_parser::ScalarStyle;

use super::loader::Builder;
use super::tree::Tree;
use crate::Limits;

/// The reader gave up: the document is outside its subset (or invalid).
struct Unsupported;

type Read<T> = Result<T, Unsupported>;

/// Deeper than this, the reader gives up rather than recurse further.
const MAX_NESTING: u32 = 256;

/// The tree of `text` (a document starting at byte `base` of its file), or
/// `None` when the document is outside the block subset or breaks a limit.
pub(super) fn read(text: &str, base: u32, limits: &Limits) -> Option<Tree> {
    if has_unsupported_bytes(text.as_bytes()) {
        return None;
    }
    let mut reader = Reader { bytes: text.as_bytes(), text, base, builder: Builder::new(text, base, limits) };
    reader.document().ok()?;
    reader.builder.finish()
}

/// Tabs, carriage returns, control characters and the Unicode characters YAML
/// treats specially (C1 controls such as NEL, line and paragraph separators,
/// byte order marks, non-characters).
fn has_unsupported_bytes(bytes: &[u8]) -> bool {
    use crate::swar::{has_ascii_byte_in, has_byte, words, HIGHS, ONES};
    // Eight bytes at a time while they are ASCII. With each line break turned
    // into a zero byte (the XOR leaves other control characters below 0x20 and
    // not zero), a control character other than a line break is a byte in 1..0x20.
    // A word that is not all ASCII is looked at byte by byte.
    let (words, rest) = words(bytes);
    for (index, (word, _)) in words.enumerate() {
        if word & HIGHS != 0 {
            if has_unsupported_bytes_slow(bytes, 8 * index, 8 * index + 8) {
                return true;
            }
        } else if has_ascii_byte_in(word ^ (ONES * b'\n' as u64), 1, 0x20) || has_byte(word, 0x7F) {
            return true;
        }
    }
    has_unsupported_bytes_slow(bytes, bytes.len() - rest.len(), bytes.len())
}

/// [`has_unsupported_bytes`] for the bytes `from..to`, a byte at a time (a
/// character that starts there is read to its end, past `to` if need be).
fn has_unsupported_bytes_slow(bytes: &[u8], from: usize, to: usize) -> bool {
    let mut i = from;
    while i < to {
        let b = bytes[i];
        if b < 0x20 && b != b'\n' || b == 0x7F {
            return true;
        }
        if b >= 0x80 {
            let next = bytes.get(i + 1).copied().unwrap_or(0);
            let third = bytes.get(i + 2).copied().unwrap_or(0);
            match (b, next, third) {
                (0xC2, 0x80..=0x9F, _) | (0xE2, 0x80, 0xA8 | 0xA9) | (0xEF, 0xBB, 0xBF) | (0xEF, 0xBF, 0xBE | 0xBF) => {
                    return true
                }
                _ => {}
            }
        }
        i += 1;
    }
    false
}

/// The text of a one-line double-quoted scalar, its escapes resolved (YAML 1.2,
/// section 5.7); `None` for an escape YAML does not define.
fn unescape(inner: &str) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            '0' => '\0',
            'a' => '\u{7}',
            'b' => '\u{8}',
            't' => '\t',
            'n' => '\n',
            'v' => '\u{b}',
            'f' => '\u{c}',
            'r' => '\r',
            'e' => '\u{1b}',
            ' ' => ' ',
            '"' => '"',
            '/' => '/',
            '\\' => '\\',
            'N' => '\u{85}',
            '_' => '\u{a0}',
            'L' => '\u{2028}',
            'P' => '\u{2029}',
            'x' => hex_char(&mut chars, 2)?,
            'u' => hex_char(&mut chars, 4)?,
            'U' => hex_char(&mut chars, 8)?,
            _ => return None,
        });
    }
    Some(out)
}

/// The character whose code point is written in the next `digits` hexadecimal digits.
fn hex_char(chars: &mut std::str::Chars<'_>, digits: usize) -> Option<char> {
    let mut code = 0u32;
    for _ in 0..digits {
        code = code * 16 + chars.next()?.to_digit(16)?;
    }
    char::from_u32(code)
}

struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    base: u32,
    builder: Builder<'t>,
}

/// A line that holds something besides blanks and a comment.
#[derive(Clone, Copy)]
struct Line {
    /// Where the line starts.
    start: usize,
    /// How many spaces open it.
    indent: usize,
}

impl Line {
    fn content(self) -> usize {
        self.start + self.indent
    }
}

impl<'t> Reader<'t> {
    fn at(&self, pos: usize) -> Option<u8> {
        self.bytes.get(pos).copied()
    }

    fn offset(&self, pos: usize) -> u32 {
        self.base + pos as u32
    }

    /// Where the line holding `pos` ends (its `\n`, or the end of the text).
    fn line_end(&self, pos: usize) -> usize {
        /// Most calls come at or near a line's end: a plain loop finds it before
        /// `memchr`'s setup would have.
        const NEAR: usize = 16;
        let rest = &self.bytes[pos.min(self.bytes.len())..];
        if let Some(i) = rest.iter().take(NEAR).position(|&b| b == b'\n') {
            return pos + i;
        }
        match rest.get(NEAR..) {
            Some(far) => memchr::memchr(b'\n', far).map_or(self.bytes.len(), |i| pos + NEAR + i),
            None => self.bytes.len(),
        }
    }

    /// The start of the line after the one holding `pos`.
    fn next_line(&self, pos: usize) -> usize {
        (self.line_end(pos) + 1).min(self.bytes.len())
    }

    fn skip_spaces(&self, mut pos: usize) -> usize {
        while self.at(pos) == Some(b' ') {
            pos += 1;
        }
        pos
    }

    /// Is `pos` at the end of its line, or at a comment?
    fn ends_line(&self, pos: usize) -> bool {
        matches!(self.at(pos), None | Some(b'\n' | b'#'))
    }

    /// The first line from `pos` (a line start) that is not blank or a comment.
    fn next_content(&self, mut pos: usize) -> Option<Line> {
        while pos < self.bytes.len() {
            let content = self.skip_spaces(pos);
            if !self.ends_line(content) {
                return Some(Line { start: pos, indent: content - pos });
            }
            pos = self.next_line(content);
        }
        None
    }

    /// Is `pos` a `-` that introduces a block sequence item?
    fn is_item(&self, pos: usize) -> bool {
        self.at(pos) == Some(b'-') && matches!(self.at(pos + 1), None | Some(b' ' | b'\n'))
    }

    fn document(&mut self) -> Read<()> {
        let mut pos = 0;
        if self.bytes.starts_with(b"---") {
            // The marker line may carry a comment, nothing else.
            if !self.ends_line(self.skip_spaces(3)) || self.at(3).is_some_and(|b| b != b' ' && b != b'\n') {
                return Err(Unsupported);
            }
            pos = self.next_line(3);
        }
        let root = self.next_content(pos).ok_or(Unsupported)?;
        let after = self.block(root, 0)?;
        if self.next_content(after).is_some() {
            return Err(Unsupported);
        }
        Ok(())
    }

    /// The collection whose first line is `line`; returns where the line after it starts.
    fn block(&mut self, line: Line, depth: u32) -> Read<usize> {
        if depth > MAX_NESTING {
            return Err(Unsupported);
        }
        if self.is_item(line.content()) {
            self.sequence(line.content(), line.indent, false, depth)
        } else {
            self.mapping(line.content(), line.indent, depth)
        }
    }

    /// A block mapping whose first key starts at `at`, in column `indent`.
    fn mapping(&mut self, at: usize, indent: usize, depth: u32) -> Read<usize> {
        self.builder.open(true, true, 0, self.offset(at)).map_err(|_| Unsupported)?;
        let mut key = at;
        loop {
            let colon = self.key(key)?;
            let next = self.mapping_value(colon, indent, depth)?;
            match self.next_content(next) {
                Some(line) if line.indent == indent && !self.is_item(line.content()) => key = line.content(),
                Some(line) if line.indent < indent => return self.close(line.start),
                None => return self.close(self.bytes.len()),
                Some(_) => return Err(Unsupported),
            }
        }
    }

    fn close(&mut self, next: usize) -> Read<usize> {
        let offset = self.offset(next);
        self.builder.close(offset, offset).map_err(|_| Unsupported)?;
        Ok(next)
    }

    /// The key starting at `at`; returns the position of its `:`.
    fn key(&mut self, at: usize) -> Read<usize> {
        match self.at(at) {
            Some(quote @ (b'"' | b'\'')) => {
                let (value, style, end) = self.quoted(at, quote)?;
                if self.at(end) != Some(b':') || !matches!(self.at(end + 1), None | Some(b' ' | b'\n')) {
                    return Err(Unsupported);
                }
                self.scalar(&value, style, at, end)?;
                Ok(end)
            }
            _ => {
                let colon = self.plain_key_colon(at).ok_or(Unsupported)?;
                // A key of one line, no blanks before its colon, and short
                // enough for saphyr-parser's 1024-character bound on implicit keys.
                if colon == at || self.bytes[colon - 1] == b' ' || colon - at > 1000 {
                    return Err(Unsupported);
                }
                let text = &self.text[at..colon];
                self.scalar(text, ScalarStyle::Plain, at, colon)?;
                Ok(colon)
            }
        }
    }

    /// If a plain key starts at `at`, the position of the `:` that ends it.
    fn plain_key_colon(&self, at: usize) -> Option<usize> {
        if !self.plain_may_start(at) {
            return None;
        }
        let mut pos = at;
        loop {
            pos += self.bytes.get(pos..)?.iter().position(|&b| matches!(b, b':' | b'\n' | b'#'))?;
            match self.bytes[pos] {
                b'\n' => return None,
                b':' if matches!(self.at(pos + 1), None | Some(b' ' | b'\n')) => return Some(pos),
                b'#' if pos > at && self.bytes[pos - 1] == b' ' => return None,
                _ => pos += 1,
            }
        }
    }

    /// Can a plain scalar start at `at`?
    fn plain_may_start(&self, at: usize) -> bool {
        match self.at(at) {
            None | Some(b'\n' | b' ') => false,
            Some(b'-' | b'?' | b':') => !matches!(self.at(at + 1), None | Some(b' ' | b'\n')),
            Some(b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%')
            | Some(b'@' | b'`') => false,
            Some(_) => true,
        }
    }

    /// The value of the mapping entry whose `:` is at `colon`, in a mapping at
    /// column `indent`; returns where the line after the value starts.
    fn mapping_value(&mut self, colon: usize, indent: usize, depth: u32) -> Read<usize> {
        let pos = self.skip_spaces(colon + 1);
        if self.ends_line(pos) {
            let rest = self.next_line(pos);
            return match self.next_content(rest) {
                Some(line) if line.indent > indent => self.block(line, depth + 1),
                // A sequence may sit at its key's column.
                Some(line) if line.indent == indent && self.is_item(line.content()) => {
                    self.sequence(line.content(), indent, true, depth + 1)
                }
                _ => {
                    self.scalar("", ScalarStyle::Plain, colon, colon)?;
                    Ok(rest)
                }
            };
        }
        self.inline_value(pos, indent)
    }

    /// A scalar that starts on the line of its key or `-`, at `pos`, in a
    /// collection at column `indent`.
    fn inline_value(&mut self, pos: usize, indent: usize) -> Read<usize> {
        match self.at(pos) {
            Some(b'|' | b'>') => self.block_scalar(pos, indent),
            Some(b'[' | b'{') => {
                let after = self.flow(pos, 0)?;
                if !self.ends_line(after) || (self.at(after) == Some(b'#') && self.bytes[after - 1] != b' ') {
                    return Err(Unsupported);
                }
                self.after_scalar(after, indent)
            }
            Some(quote @ (b'"' | b'\'')) => {
                let (value, style, after) = self.quoted(pos, quote)?;
                // Only blanks and a comment may follow; saphyr-parser ends the
                // scalar's range where the line ends, past them.
                let rest = self.skip_spaces(after);
                if !self.ends_line(rest) || (self.at(rest) == Some(b'#') && rest == after) {
                    return Err(Unsupported);
                }
                let end = self.line_end(rest);
                self.scalar(&value, style, pos, end)?;
                self.after_scalar(end, indent)
            }
            _ => {
                if !self.plain_may_start(pos) {
                    return Err(Unsupported);
                }
                let end = self.plain_end(pos)?;
                let text = &self.text[pos..end];
                self.scalar(text, ScalarStyle::Plain, pos, end)?;
                self.after_scalar(end, indent)
            }
        }
    }

    /// A flow sequence or mapping that opens at `at` and closes on the same
    /// line; returns where the blanks after its closing bracket end.
    fn flow(&mut self, at: usize, depth: u32) -> Read<usize> {
        if depth > MAX_NESTING {
            return Err(Unsupported);
        }
        let is_map = self.bytes[at] == b'{';
        let close = if is_map { b'}' } else { b']' };
        self.builder.open(is_map, false, 0, self.offset(at)).map_err(|_| Unsupported)?;
        let mut pos = self.skip_spaces(at + 1);
        loop {
            if self.at(pos) == Some(close) {
                break;
            }
            if is_map {
                pos = self.flow_node(pos, true, depth)?;
                if self.at(pos) != Some(b':') || self.at(pos + 1) != Some(b' ') {
                    return Err(Unsupported);
                }
                pos = self.skip_spaces(pos + 1);
            }
            pos = self.flow_node(pos, false, depth)?;
            match self.at(pos) {
                Some(b',') => pos = self.skip_spaces(pos + 1),
                Some(b) if b == close => break,
                _ => return Err(Unsupported),
            }
        }
        // Like a quoted scalar's, the range runs over the blanks after the
        // bracket, and over a comment to the end of the line.
        let after = self.skip_spaces(pos + 1);
        let end = if self.at(after) == Some(b'#') { self.line_end(after) } else { after };
        let offset = self.offset(end);
        self.builder.close(offset, offset).map_err(|_| Unsupported)?;
        Ok(after)
    }

    /// A node inside a flow collection (a key of a flow mapping when `is_key`);
    /// returns where the blanks after it end.
    fn flow_node(&mut self, pos: usize, is_key: bool, depth: u32) -> Read<usize> {
        match self.at(pos) {
            Some(b'[' | b'{') if !is_key => self.flow(pos, depth + 1),
            Some(quote @ (b'"' | b'\'')) => {
                let (value, style, after) = self.quoted(pos, quote)?;
                let end = if is_key { after } else { self.skip_spaces(after) };
                self.scalar(&value, style, pos, end)?;
                Ok(end)
            }
            _ => {
                if !self.plain_may_start(pos)
                    || matches!(self.at(pos + 1), Some(b',' | b'[' | b']' | b'{' | b'}'))
                        && matches!(self.at(pos), Some(b'-' | b'?' | b':'))
                {
                    return Err(Unsupported);
                }
                let mut end = pos;
                let mut i = pos;
                loop {
                    match self.at(i) {
                        None | Some(b'\n' | b'#') => return Err(Unsupported),
                        Some(b',' | b'[' | b']' | b'{' | b'}') => break,
                        Some(b':')
                            if matches!(
                                self.at(i + 1),
                                Some(b' ' | b',' | b'[' | b']' | b'{' | b'}' | b'\n') | None
                            ) =>
                        {
                            if !is_key || end != i {
                                return Err(Unsupported);
                            }
                            break;
                        }
                        Some(b' ') => {}
                        Some(_) => end = i + 1,
                    }
                    i += 1;
                }
                let text = &self.text[pos..end];
                self.scalar(text, ScalarStyle::Plain, pos, end)?;
                Ok(if is_key { end } else { i })
            }
        }
    }

    /// Where a one-line plain scalar starting at `pos` ends (trailing blanks
    /// and any comment excluded).
    fn plain_end(&self, pos: usize) -> Read<usize> {
        // Only a line break, a `:` or a `#` can end it: the search skips to the next of them.
        let mut i = pos;
        let stop = loop {
            let Some(skip) = self.bytes[i..].iter().position(|&b| matches!(b, b'\n' | b':' | b'#')) else {
                break self.bytes.len();
            };
            i += skip;
            match self.bytes[i] {
                b'\n' => break i,
                b':' if matches!(self.at(i + 1), None | Some(b' ' | b'\n')) => return Err(Unsupported),
                b'#' if self.bytes[i - 1] == b' ' => break i,
                _ => i += 1,
            }
        };
        // The scalar ends after its last byte that is not a blank (its first is not one).
        let written = &self.bytes[pos..stop];
        Ok(pos + written.iter().rposition(|&b| b != b' ').map_or(0, |last| last + 1))
    }

    /// After a one-line scalar ending at `end`: the next line, unless the
    /// scalar continues there (a multi-line plain scalar, or an error).
    fn after_scalar(&self, end: usize, indent: usize) -> Read<usize> {
        let rest = self.next_line(end);
        let mut pos = rest;
        // A comment line ends a plain scalar, but a more indented line after it is an error: give up on both.
        while pos < self.bytes.len() {
            let content = self.skip_spaces(pos);
            match self.at(content) {
                None => break,
                Some(b'\n') => pos = content + 1,
                Some(_) if content - pos > indent => return Err(Unsupported),
                Some(b'#') => pos = self.next_line(content),
                Some(_) => break,
            }
        }
        Ok(rest)
    }

    /// A quoted scalar on one line starting at `at`; returns its value, its
    /// style and the position after the closing quote.
    fn quoted(&self, at: usize, quote: u8) -> Read<(std::borrow::Cow<'t, str>, ScalarStyle, usize)> {
        let mut pos = at + 1;
        let mut doubled = false;
        let mut escaped = false;
        loop {
            match self.at(pos) {
                None | Some(b'\n') => return Err(Unsupported),
                Some(b'\\') if quote == b'"' => {
                    // An escape; a backslash that ends the line (a line folding) is left to saphyr-parser.
                    if matches!(self.at(pos + 1), None | Some(b'\n')) {
                        return Err(Unsupported);
                    }
                    escaped = true;
                    pos += 2;
                }
                Some(b) if b == quote => {
                    if quote == b'\'' && self.at(pos + 1) == Some(b'\'') {
                        doubled = true;
                        pos += 2;
                        continue;
                    }
                    break;
                }
                _ => pos += 1,
            }
        }
        let inner = &self.text[at + 1..pos];
        let value = if escaped {
            unescape(inner).ok_or(Unsupported)?.into()
        } else if doubled {
            inner.replace("''", "'").into()
        } else {
            inner.into()
        };
        let style = if quote == b'"' { ScalarStyle::DoubleQuoted } else { ScalarStyle::SingleQuoted };
        Ok((value, style, pos + 1))
    }

    /// A literal (`|`) or folded (`>`) block scalar whose indicator is at `at`,
    /// in a collection at column `indent`.
    fn block_scalar(&mut self, at: usize, indent: usize) -> Read<usize> {
        let literal = self.bytes[at] == b'|';
        let mut pos = at + 1;
        let chomping = match self.at(pos) {
            Some(b'-') => Some(false),
            Some(b'+') => Some(true),
            _ => None,
        };
        if chomping.is_some() {
            pos += 1;
        }
        // An explicit indentation indicator, or anything else on the line, is left to saphyr-parser.
        let after = self.skip_spaces(pos);
        if !self.ends_line(after) || (self.at(after) == Some(b'#') && after == pos) {
            return Err(Unsupported);
        }
        // Leading blank lines, then the first line of text sets the indentation.
        let mut line = self.next_line(after);
        if line >= self.bytes.len() || line == after {
            return Err(Unsupported);
        }
        let mut leading_blanks = 0;
        let content_indent = loop {
            let content = self.skip_spaces(line);
            match self.at(content) {
                None => return Err(Unsupported),
                Some(b'\n') => {
                    leading_blanks += 1;
                    line = content + 1;
                }
                Some(_) => break content - line,
            }
        };
        if content_indent <= indent || (leading_blanks > 0 && !literal) {
            return Err(Unsupported);
        }
        // Any blank line before it with more spaces than that is either text or an error.
        let first_text = line + content_indent;
        if self.bytes[self.next_line(after)..line].windows(content_indent + 1).any(|w| w.iter().all(|&b| b == b' ')) {
            return Err(Unsupported);
        }
        let mut value = String::new();
        for _ in 0..leading_blanks {
            value.push('\n');
        }
        // The text: lines at the indentation or deeper, and blank lines, until a line less indented.
        let mut trailing_blanks = 0usize;
        let mut any_text = false;
        let end;
        loop {
            if line >= self.bytes.len() {
                end = self.bytes.len();
                break;
            }
            let content = self.skip_spaces(line);
            let spaces = content - line;
            match self.at(content) {
                None | Some(b'\n') => {
                    if spaces > content_indent {
                        return Err(Unsupported);
                    }
                    trailing_blanks += 1;
                    line = (content + 1).min(self.bytes.len());
                    if content >= self.bytes.len() {
                        end = self.bytes.len();
                        break;
                    }
                }
                Some(_) if spaces < content_indent => {
                    end = content;
                    break;
                }
                Some(_) => {
                    let line_end = self.line_end(content);
                    if !literal && spaces > content_indent {
                        return Err(Unsupported);
                    }
                    if any_text {
                        if literal {
                            value.push('\n');
                            value.extend(std::iter::repeat_n('\n', trailing_blanks));
                        } else if trailing_blanks == 0 {
                            value.push(' ');
                        } else {
                            value.extend(std::iter::repeat_n('\n', trailing_blanks));
                        }
                    }
                    value.push_str(&self.text[line + content_indent..line_end]);
                    any_text = true;
                    trailing_blanks = 0;
                    line = (line_end + 1).min(self.bytes.len());
                    if line_end >= self.bytes.len() {
                        // The last line has no line break of its own.
                        return Err(Unsupported);
                    }
                }
            }
        }
        match chomping {
            Some(false) => {}
            None => value.push('\n'),
            Some(true) => {
                value.push('\n');
                value.extend(std::iter::repeat_n('\n', trailing_blanks));
            }
        }
        let style = if literal { ScalarStyle::Literal } else { ScalarStyle::Folded };
        self.scalar(&value, style, first_text, end)?;
        Ok(line.min(end))
    }

    /// A sequence whose first `-` is at `at`, in column `indent`. An
    /// indentless sequence (one at its key's column) ends at the first line
    /// of that column that is not an item.
    fn sequence(&mut self, at: usize, indent: usize, indentless: bool, depth: u32) -> Read<usize> {
        // saphyr-parser starts an indentless sequence at its first item's text, any other at the `-`.
        let first_text = self.skip_spaces(at + 1);
        let start = if indentless {
            if self.ends_line(first_text) {
                return Err(Unsupported);
            }
            first_text
        } else {
            at
        };
        self.builder.open(false, true, 0, self.offset(start)).map_err(|_| Unsupported)?;
        let mut dash = at;
        loop {
            let next = self.item(dash, indent, depth)?;
            match self.next_content(next) {
                Some(line) if line.indent == indent && self.is_item(line.content()) => dash = line.content(),
                Some(line) if line.indent < indent || (indentless && line.indent == indent) => {
                    return self.close(line.start)
                }
                None => return self.close(self.bytes.len()),
                Some(_) => return Err(Unsupported),
            }
        }
    }

    /// The item introduced by the `-` at `dash` in a sequence at column `indent`.
    fn item(&mut self, dash: usize, indent: usize, depth: u32) -> Read<usize> {
        let pos = self.skip_spaces(dash + 1);
        if self.ends_line(pos) {
            if self.at(pos) == Some(b'#') {
                return Err(Unsupported);
            }
            let rest = self.next_line(pos);
            return match self.next_content(rest) {
                Some(line) if line.indent > indent => self.block(line, depth + 1),
                _ => {
                    self.scalar("", ScalarStyle::Plain, pos, pos)?;
                    Ok(rest)
                }
            };
        }
        if self.is_item(pos) {
            return Err(Unsupported);
        }
        // The `-` sits in column `indent` of this line.
        let column = pos - (dash - indent);
        let is_key = match self.at(pos) {
            Some(quote @ (b'"' | b'\'')) => self.quoted(pos, quote).is_ok_and(|(_, _, end)| self.at(end) == Some(b':')),
            _ => self.plain_key_colon(pos).is_some(),
        };
        if is_key {
            if depth + 1 > MAX_NESTING {
                return Err(Unsupported);
            }
            self.mapping(pos, column, depth + 1)
        } else {
            self.inline_value(pos, indent)
        }
    }

    fn scalar(&mut self, value: &str, style: ScalarStyle, start: usize, end: usize) -> Read<()> {
        let (start, end) = (self.offset(start), self.offset(end));
        self.builder.scalar(value, style, None, 0, start, end).map_err(|_| Unsupported)
    }
}

#[cfg(test)]
mod tests;
