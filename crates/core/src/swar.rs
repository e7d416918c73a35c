//! Tests on eight bytes at a time, for the scans that run over every byte of
//! the input (line tables, the fast YAML reader) or of the output (JSON
//! escaping). Each test is exact for any bytes, however the word was cut.

/// A one in every byte.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
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
    byte_mask(word, byte) != 0
}

/// Is a byte of `word`, whose bytes are all ASCII, in `low..high` (`low` at
/// least 1, `high` at most 0x80)? Exact for every byte: no borrow or carry
/// crosses from one byte to the next.
pub(crate) fn has_ascii_byte_in(word: u64, low: u8, high: u8) -> bool {
    let below_high = (ONES * (127 + high as u64)).wrapping_sub(word);
    let from_low = word + ONES * (128 - low as u64);
    below_high & from_low & HIGHS != 0
}

/// A mask whose lowest set bit is the high bit of the first byte of `word`
/// equal to `byte`; zero when there is none. (Bits above the lowest may be
/// set for bytes that do not match: only the lowest is exact.)
pub(crate) fn byte_mask(word: u64, byte: u8) -> u64 {
    let diff = word ^ (ONES * byte as u64);
    diff.wrapping_sub(ONES) & !diff & HIGHS
}

/// [`byte_mask`] for the first byte below `limit` (at most 0x80).
pub(crate) fn below_mask(word: u64, limit: u8) -> u64 {
    word.wrapping_sub(ONES * limit as u64) & !word & HIGHS
}

/// The index in a word of the byte whose high bit is a mask's lowest set bit.
pub(crate) fn first_byte(mask: u64) -> usize {
    mask.trailing_zeros() as usize / 8
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
            let first_equal = chunk.iter().position(|&b| b == byte);
            proptest::prop_assert_eq!(Some(byte_mask(word, byte)).filter(|&m| m != 0).map(first_byte), first_equal);
            let ascii = word & !HIGHS;
            let (low, high) = (limit.max(1), (byte & 0x7F).max(limit.max(1)).min(0x80));
            proptest::prop_assert_eq!(has_ascii_byte_in(ascii, low, high), ascii.to_le_bytes().iter().any(|&b| (low..high).contains(&b)));
            let first_below = chunk.iter().position(|&b| b < limit);
            proptest::prop_assert_eq!(Some(below_mask(word, limit)).filter(|&m| m != 0).map(first_byte), first_below);
        }
    }
}
