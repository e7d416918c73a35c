//! Searches in the short texts of a manifest (names, images, values).

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
}
