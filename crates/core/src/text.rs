//! Small text helpers shared by every layer: searches in the short texts of a
//! manifest (names, images, values), and JSON Pointer escaping.

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
