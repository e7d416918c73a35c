//! Tests on eight bytes at a time, for the scans that run over every byte of
//! the input (line tables, the fast YAML reader) or of the output (JSON
//! escaping). Each test is exact for any bytes, however the word was cut.

/// A one in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte.
pub(crate) const HIGHS: u64 = 0x8080_8080_8080_8080;

/// `bytes` as little-endian words, eight bytes each, and the bytes left over.
pub(crate) fn words(bytes: &[u8]) -> (impl Iterator<Item = (u64, &[u8])>, &[u8]) {
    let chunks = bytes.chunks_exact(8);
    let rest = chunks.remainder();
    (chunks.map(|chunk| (u64::from_le_bytes(chunk.try_into().unwrap_or_default()), chunk)), rest)
}

/// Does a byte of `word` equal `byte`?
pub(crate) fn has_byte(word: u64, byte: u8) -> bool {
    let diff = word ^ (ONES * byte as u64);
    diff.wrapping_sub(ONES) & !diff & HIGHS != 0
}

/// Is a byte of `word` below `limit` (at most 0x80)?
pub(crate) fn has_byte_below(word: u64, limit: u8) -> bool {
    word.wrapping_sub(ONES * limit as u64) & !word & HIGHS != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn word_tests_agree_with_byte_tests(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 8), byte in 0u8..=255, limit in 0u8..=0x80) {
            let (mut words, _) = words(&bytes);
            let (word, chunk) = words.next().expect("eight bytes");
            proptest::prop_assert_eq!(has_byte(word, byte), chunk.contains(&byte));
            proptest::prop_assert_eq!(has_byte_below(word, limit), chunk.iter().any(|&b| b < limit));
        }
    }
}
