//! Small text helpers shared by every layer: searches in the short texts of a
//! manifest (names, images, values), JSON Pointer escaping, and fingerprints
//! and hashing of bytes.

/// `haystack.find(needle)`, cheaper on short texts: no searcher to set up,
/// candidates are found by the needle's first byte.
pub(crate) fn find_str(haystack: &str, needle: &str) -> Option<usize> {
    let (bytes, wanted) = (haystack.as_bytes(), needle.as_bytes());
    let first = *wanted.first()?;
    let mut from = 0;
    while let Some(at) = memchr::memchr(first, &bytes[from..]) {
        let at = from + at;
        if bytes[at..].starts_with(wanted) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Escapes one JSON Pointer reference token (RFC 6901).
pub(crate) fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// A hasher for map keys that are fingerprints or addresses already: a
/// multiplication per word, where the standard hasher runs SipHash.
#[derive(Default)]
pub(crate) struct QuickHasher(u64);

impl std::hash::Hasher for QuickHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }
    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_u128(&mut self, word: u128) {
        self.write_u64(word as u64);
        self.write_u64((word >> 64) as u64);
    }
    fn write_u32(&mut self, word: u32) {
        self.write_u64(u64::from(word));
    }
    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }
}

/// Builds [`QuickHasher`]s, for `HashMap::default()`.
pub(crate) type BuildQuickHasher = std::hash::BuildHasherDefault<QuickHasher>;

/// A fingerprint of some bytes, to tell whether a file read twice changed in
/// between (a sum of rotated eight-byte words: fast, not cryptographic).
pub(crate) fn fingerprint(bytes: &[u8]) -> u64 {
    fingerprint_with(bytes, 0x9E37_79B9_7F4A_7C15)
}

/// A 128-bit fingerprint of some bytes: two fingerprints with different
/// multipliers, for telling byte-identical texts from different ones with no
/// chance worth counting of taking two different ones for the same.
pub(crate) fn fingerprint128(bytes: &[u8]) -> u128 {
    const SECOND: u64 = 0xC2B2_AE3D_27D4_EB4F;
    let (words, rest) = crate::swar::words(bytes);
    let (mut a, mut b) = (bytes.len() as u64, bytes.len() as u64);
    for (word, _) in words {
        a = (a.rotate_left(5) ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        b = (b.rotate_left(5) ^ word).wrapping_mul(SECOND);
    }
    for &byte in rest {
        a = (a.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        b = (b.rotate_left(5) ^ u64::from(byte)).wrapping_mul(SECOND);
    }
    (u128::from(a) << 64) | u128::from(b)
}

fn fingerprint_with(bytes: &[u8], multiplier: u64) -> u64 {
    let (words, rest) = crate::swar::words(bytes);
    let mut hash = bytes.len() as u64;
    for (word, _) in words {
        hash = hash.rotate_left(5) ^ word;
        hash = hash.wrapping_mul(multiplier);
    }
    for &byte in rest {
        hash = (hash.rotate_left(5) ^ u64::from(byte)).wrapping_mul(multiplier);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_str_is_str_find() {
        for (haystack, needle) in
            [("a://b", "://"), ("::/://", "://"), ("", "x"), ("abc", "c"), ("aaab", "aab"), ("x", "xy")]
        {
            assert_eq!(find_str(haystack, needle), haystack.find(needle), "{haystack} {needle}");
        }
    }

    #[test]
    fn fingerprints_tell_files_apart() {
        let a = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n".to_vec();
        let mut b = a.clone();
        b[10] = b'2';
        assert_eq!(fingerprint(&a), fingerprint(&a.clone()));
        assert_ne!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&a[..a.len() - 1]));
        assert_ne!(fingerprint(b"ab"), fingerprint(b"ba"));
    }

    #[test]
    fn the_wide_fingerprint_is_two_fingerprints_in_one_pass() {
        let text = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n";
        assert_eq!(fingerprint128(text) >> 64, u128::from(fingerprint(text)));
        assert_eq!(fingerprint128(text) as u64, fingerprint_with(text, 0xC2B2_AE3D_27D4_EB4F));
    }

    #[test]
    fn wide_fingerprints_tell_texts_apart() {
        assert_eq!(fingerprint128(b"kind: Pod\n"), fingerprint128(b"kind: Pod\n"));
        assert_ne!(fingerprint128(b"kind: Pod\n"), fingerprint128(b"kind: Pod \n"));
        assert_ne!(fingerprint128(b""), fingerprint128(b"\0"));
    }
}

/// The candidate closest to `word` by edit distance, when it is close enough to
/// be what was meant (at most a third of the word's length, and at least one
/// edit): for "did you mean" hints on mistyped check ids and keys.
///
/// ```
/// let ids = ["no-privileged", "run-as-non-root"];
/// assert_eq!(kubeward::closest("no-priviliged", ids), Some("no-privileged"));
/// assert_eq!(kubeward::closest("memory", ids), None);
/// ```
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.len() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance between two short texts, by bytes (ids and keys are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.bytes().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb)).min(above + 1).min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod closest_tests {
    use super::{closest, edit_distance};

    #[test]
    fn distances_and_suggestions() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(closest("checkz", ["checks", "today"]), Some("checks"));
        assert_eq!(closest("x", ["checks"]), None);
    }
}
