//! Image references as the container runtime reads them:
//! `[host[:port]/]path[:tag][@algorithm:digest]`.
//!
//! The first path component is a registry host when it contains `.` or `:`
//! or is `localhost`; otherwise the image comes from Docker Hub (and a
//! one-component path lives under `library/`). A reference without tag or
//! digest means the tag `latest`.

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageRef<'a> {
    /// The registry host (with port) as written; `None` when none is written (Docker Hub).
    pub host: Option<&'a str>,
    /// The repository path without the host (`library/nginx` is written `nginx`).
    pub path: &'a str,
    /// The tag as written.
    pub tag: Option<&'a str>,
    /// The digest as written (`sha256:...`).
    pub digest: Option<&'a str>,
}

/// Where the delimiters of a reference are: its first `@`, and the first and
/// last `/` and the last `:` before it.
#[derive(Default)]
struct Delimiters {
    at: Option<usize>,
    first_slash: Option<usize>,
    last_slash: Option<usize>,
    last_colon: Option<usize>,
}

/// The delimiters of `text`, found in one pass over its bytes (every
/// container's image is parsed by several checks); `None` when `text` holds
/// whitespace or a template placeholder (`{{`, `${`, `$(`).
fn delimiters(text: &str) -> Option<Delimiters> {
    let bytes = text.as_bytes();
    let mut found = Delimiters::default();
    let mut ascii = true;
    for (index, &byte) in bytes.iter().enumerate() {
        match byte {
            // ASCII's whitespace as `char::is_whitespace` counts it (with the vertical tab).
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => return None,
            b'{' if bytes.get(index + 1) == Some(&b'{') => return None,
            b'$' if matches!(bytes.get(index + 1), Some(b'{' | b'(')) => return None,
            // Before the digest's own bytes are skipped: Unicode whitespace there counts too.
            0x80.. => ascii = false,
            _ if found.at.is_some() => {}
            b'@' => found.at = Some(index),
            b'/' => {
                found.first_slash.get_or_insert(index);
                found.last_slash = Some(index);
            }
            b':' => found.last_colon = Some(index),
            _ => {}
        }
    }
    if !ascii && text.contains(char::is_whitespace) {
        return None;
    }
    Some(found)
}

/// Is `text` an image reference a container runtime accepts
/// (`[host[:port]/]path[:tag][@algorithm:hex]`, with the path in lower case)?
/// A runtime refuses any other (`InvalidImageName`), so such a container never
/// starts: a placeholder left unfilled (`{IMAGE}`, `${TAG}`) is the usual cause.
/// One pass over the bytes for the name, the tag and the digest each (every
/// container's image is read).
pub(crate) fn is_valid_reference(text: &str) -> bool {
    const MAX_NAME: usize = 255;
    let text = text.trim().as_bytes();
    let (name, digest) = match memchr::memchr(b'@', text) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    if digest.is_some_and(|digest| !is_digest(digest)) {
        return false;
    }
    let last_slash = memchr::memrchr(b'/', name);
    let (name, tag) = match memchr::memrchr(b':', name) {
        Some(colon) if last_slash.is_none_or(|slash| colon > slash) => (&name[..colon], Some(&name[colon + 1..])),
        _ => (name, None),
    };
    if tag.is_some_and(|tag| !is_tag(tag)) || name.is_empty() || name.len() > MAX_NAME {
        return false;
    }
    let (host, path) = match memchr::memchr(b'/', name) {
        Some(slash)
            if name[..slash].contains(&b'.') || name[..slash].contains(&b':') || &name[..slash] == b"localhost" =>
        {
            (Some(&name[..slash]), &name[slash + 1..])
        }
        _ => (None, name),
    };
    host.is_none_or(is_host) && is_path(path)
}

/// `registry.example.com`, `localhost:5000`, `[::1]:5000`.
fn is_host(host: &[u8]) -> bool {
    let (name, port) = match memchr::memrchr(b':', host) {
        Some(colon) if !host.starts_with(b"[") || host.get(colon.wrapping_sub(1)) == Some(&b']') => {
            (&host[..colon], Some(&host[colon + 1..]))
        }
        _ => (host, None),
    };
    if port.is_some_and(|port| port.is_empty() || !port.iter().all(u8::is_ascii_digit)) {
        return false;
    }
    if let Some(address) = name.strip_prefix(b"[").and_then(|rest| rest.strip_suffix(b"]")) {
        return !address.is_empty() && address.iter().all(|b| b.is_ascii_hexdigit() || *b == b':' || *b == b'.');
    }
    // Labels of letters, digits and inner `-`, joined by single dots.
    let mut previous = b'.';
    for &byte in name {
        let ok = match byte {
            b'.' => previous.is_ascii_alphanumeric(),
            b'-' => previous != b'.',
            _ => byte.is_ascii_alphanumeric(),
        };
        if !ok {
            return false;
        }
        previous = byte;
    }
    previous.is_ascii_alphanumeric()
}

/// A repository path: components of lower-case letters and digits, joined by
/// one `.` or `_`, two `_`, or any number of `-`, separated by single `/`.
fn is_path(path: &[u8]) -> bool {
    let alphanumeric = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    // The separator run since the last letter or digit: (length, its one kind of byte).
    let mut run: (usize, u8) = (0, b'/');
    for &byte in path {
        if alphanumeric(byte) {
            let (length, kind) = run;
            let ok = match kind {
                b'/' | b'.' => length <= 1,
                b'_' => length <= 2,
                _ => true,
            };
            if !ok {
                return false;
            }
            run = (0, 0);
        } else if matches!(byte, b'.' | b'_' | b'-' | b'/') {
            // A separator right after a `/` (or at the start), or a mixed run, is refused.
            match run {
                (0, 0) => run = (1, byte),
                (length, kind) if kind == byte && kind != b'/' && length > 0 => run = (length + 1, kind),
                _ => return false,
            }
        } else {
            return false;
        }
    }
    run == (0, 0)
}

/// A tag: a word character, then up to 127 word characters, `.` or `-`.
fn is_tag(tag: &[u8]) -> bool {
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    tag.len() <= 128 && tag.first().is_some_and(word) && tag.iter().all(|b| word(b) || *b == b'.' || *b == b'-')
}

/// `algorithm:hex`, the hex at least 32 digits.
fn is_digest(digest: &[u8]) -> bool {
    let Some(colon) = memchr::memchr(b':', digest) else { return false };
    let (algorithm, hex) = (&digest[..colon], &digest[colon + 1..]);
    let algorithm_ok = algorithm
        .split(|b| matches!(b, b'-' | b'_' | b'+' | b'.'))
        .all(|part| part.first().is_some_and(u8::is_ascii_alphabetic) && part.iter().all(u8::is_ascii_alphanumeric));
    algorithm_ok && hex.len() >= 32 && hex.iter().all(u8::is_ascii_hexdigit)
}

/// Docker Hub's names for itself.
const DOCKER_HUB_HOSTS: &[&str] = &["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"];

impl<'a> ImageRef<'a> {
    /// Parses a reference; `None` for text that is not one (empty, templated, with spaces).
    pub(crate) fn parse(text: &'a str) -> Option<ImageRef<'a>> {
        let text = text.trim();
        let found = delimiters(text)?;
        if text.is_empty() {
            return None;
        }
        let (name, digest) = match found.at {
            Some(at) => (&text[..at], Some(&text[at + 1..]).filter(|d| d.contains(':'))),
            None => (text, None),
        };
        let (name, tag) = match found.last_colon {
            Some(colon) if found.last_slash.is_none_or(|slash| colon > slash) => {
                (&name[..colon], Some(&name[colon + 1..]).filter(|t| !t.is_empty()))
            }
            _ => (name, None),
        };
        // The first `/` of the name is before its tag's `:`, so still within it.
        let (host, path) = match found.first_slash {
            Some(slash) if name[..slash].contains(['.', ':']) || &name[..slash] == "localhost" => {
                (Some(&name[..slash]), &name[slash + 1..])
            }
            _ => (None, name),
        };
        if path.is_empty() {
            return None;
        }
        Some(ImageRef { host, path, tag, digest })
    }

    /// Is the image pulled from Docker Hub?
    pub(crate) fn is_docker_hub(&self) -> bool {
        self.host.is_none_or(|host| DOCKER_HUB_HOSTS.iter().any(|hub| host.eq_ignore_ascii_case(hub)))
    }

    /// The registry host, `docker.io` for Docker Hub.
    pub(crate) fn registry(&self) -> &'a str {
        if self.is_docker_hub() {
            "docker.io"
        } else {
            self.host.unwrap_or("docker.io")
        }
    }

    /// `registry/path` with Docker Hub's implicit `library/` made explicit;
    /// written straight into the messages that name it.
    pub(crate) fn repository(&self) -> Repository<'a> {
        let registry =
            if self.is_docker_hub() && !self.path.contains('/') { "docker.io/library" } else { self.registry() };
        Repository { registry, path: self.path }
    }

    /// Is the image pinned to a digest?
    pub(crate) fn is_pinned(&self) -> bool {
        self.digest.is_some()
    }

    /// The tag the runtime pulls: the written one, or `latest` when there is neither tag nor digest.
    pub(crate) fn effective_tag(&self) -> Option<&'a str> {
        match (self.tag, self.digest) {
            (Some(tag), _) => Some(tag),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// The last path component (`nginx` of `docker.io/library/nginx`).
    pub(crate) fn base_name(&self) -> &'a str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }

    /// Does this image match an allowed-registry pattern (`host`, `host/prefix`, `*` wildcards)?
    pub(crate) fn matches_registry(&self, pattern: &str) -> bool {
        let pattern = pattern.trim().trim_end_matches('/');
        let pattern =
            DOCKER_HUB_HOSTS.iter().fold(pattern.to_string(), |pattern, hub| match pattern.strip_prefix(hub) {
                Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("docker.io{rest}"),
                _ => pattern,
            });
        let repository = self.repository().to_string();
        let registry = self.registry();
        if pattern.contains('*') {
            return crate::config::glob_match(&pattern, registry) || crate::config::glob_match(&pattern, &repository);
        }
        if pattern.contains('/') {
            repository == pattern || repository.starts_with(&format!("{pattern}/"))
        } else {
            registry.eq_ignore_ascii_case(&pattern)
        }
    }
}

/// An image's repository, `registry/path` (see [`ImageRef::repository`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Repository<'a> {
    registry: &'a str,
    path: &'a str,
}

impl std::fmt::Display for Repository<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.registry)?;
        f.write_str("/")?;
        f.write_str(self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference parsed the plain way, with a search per delimiter.
    fn parse_by_searches(text: &str) -> Option<ImageRef<'_>> {
        let text = text.trim();
        let spaced_or_templated =
            text.contains(char::is_whitespace) || text.contains("{{") || text.contains("${") || text.contains("$(");
        if text.is_empty() || spaced_or_templated {
            return None;
        }
        let (name, digest) = match text.split_once('@') {
            Some((name, digest)) => (name, Some(digest).filter(|d| d.contains(':'))),
            None => (text, None),
        };
        let last_slash = name.rfind('/');
        let (name, tag) = match name.rfind(':') {
            Some(colon) if last_slash.is_none_or(|slash| colon > slash) => {
                (name.get(..colon)?, Some(name.get(colon + 1..)?).filter(|t| !t.is_empty()))
            }
            _ => (name, None),
        };
        let (host, path) = match name.split_once('/') {
            Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => (Some(first), rest),
            _ => (None, name),
        };
        if path.is_empty() {
            return None;
        }
        Some(ImageRef { host, path, tag, digest })
    }

    proptest::proptest! {
        #[test]
        fn one_pass_agrees_with_a_search_per_delimiter(text in "([a-z:/.@-]|localhost|\\{\\{|\\$\\{|\\$\\(|[{$(]|[ \t\n\x0b\x0c\r]|[\u{85}\u{a0}\u{3000}é]){0,14}") {
            proptest::prop_assert_eq!(ImageRef::parse(&text), parse_by_searches(&text));
        }
    }

    fn parse(text: &str) -> ImageRef<'_> {
        ImageRef::parse(text).expect(text)
    }

    #[test]
    fn references_a_runtime_accepts() {
        for valid in [
            "nginx",
            "nginx:1.27",
            "library/nginx:1.27-alpine",
            "registry.example.com:5000/team/app_v2:2024.01",
            "ghcr.io/org/my-app--x/sub__mod:v1",
            "localhost/app",
            "[::1]:5000/app:1",
            "quay.io/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "app:1.0@sha256:0123456789abcdef0123456789abcdef",
        ] {
            assert!(is_valid_reference(valid), "{valid}");
        }
        for invalid in [
            "{IMAGE}",
            "${IMAGE}",
            "{{ .Values.image }}",
            "<image>",
            "IMAGE_PLACEHOLDER",
            "Registry.example.com/App:1",
            "nginx:",
            "nginx:-bad",
            "nginx@sha256:short",
            "nginx@latest",
            "app/../x",
            "a//b",
            "-app",
            "app-",
            "app._x",
            "",
            "my app",
            "registry.example.com:port/app",
        ] {
            assert!(!is_valid_reference(invalid), "{invalid}");
        }
    }

    #[test]
    fn unicode_whitespace_after_the_at_sign_is_no_reference() {
        // Found by the proptest above: the bytes after `@` were skipped before they were seen to be non-ASCII.
        for text in ["localhost@\u{3000}a", "nginx@sha256:\u{a0}abc", "app@\u{85}x"] {
            assert_eq!(ImageRef::parse(text), None, "{text:?}");
            assert_eq!(parse_by_searches(text), None, "{text:?}");
        }
        assert_eq!(parse("nginx@sha256:\u{e9}").digest, Some("sha256:\u{e9}"));
    }

    #[test]
    fn hosts_are_told_apart_from_docker_hub_paths() {
        assert_eq!(parse("nginx").host, None);
        assert!(parse("nginx").is_docker_hub());
        assert_eq!(parse("bitnami/redis:7").host, None);
        assert_eq!(parse("bitnami/redis:7").repository().to_string(), "docker.io/bitnami/redis");
        assert_eq!(parse("nginx").repository().to_string(), "docker.io/library/nginx");
        assert_eq!(parse("quay.io/argoproj/argocd:v3").host, Some("quay.io"));
        assert_eq!(parse("localhost/app").host, Some("localhost"));
        assert_eq!(parse("registry:5000/app:1").host, Some("registry:5000"));
        assert!(parse("docker.io/library/nginx:1.27").is_docker_hub());
        assert!(!parse("ghcr.io/org/app").is_docker_hub());
    }

    #[test]
    fn tags_ports_and_digests() {
        let r = parse("registry.example.com:5000/team/app:1.2.3");
        assert_eq!(
            (r.host, r.path, r.tag, r.digest),
            (Some("registry.example.com:5000"), "team/app", Some("1.2.3"), None)
        );
        let r = parse("registry.example.com:5000/team/app");
        assert_eq!((r.tag, r.effective_tag()), (None, Some("latest")));
        let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let text = format!("nginx:1.27@{digest}");
        let r = parse(&text);
        assert_eq!((r.tag, r.digest, r.is_pinned()), (Some("1.27"), Some(digest), true));
        let text = format!("nginx@{digest}");
        assert_eq!(parse(&text).effective_tag(), None);
        assert_eq!(parse("nginx:latest").effective_tag(), Some("latest"));
        assert_eq!(parse("nginx:").tag, None);
        assert!(ImageRef::parse("").is_none());
        assert!(ImageRef::parse("{{ .Values.image }}").is_none());
        assert!(ImageRef::parse("${IMAGE}").is_none());
    }

    #[test]
    fn allowed_registry_patterns() {
        let r = parse("ghcr.io/example-org/app:1");
        assert!(r.matches_registry("ghcr.io"));
        assert!(r.matches_registry("ghcr.io/example-org"));
        assert!(!r.matches_registry("ghcr.io/other"));
        assert!(!r.matches_registry("ghcr.io/example"));
        assert!(r.matches_registry("*.io"));
        assert!(parse("nginx").matches_registry("docker.io"));
        assert!(parse("nginx").matches_registry("index.docker.io/library"));
        assert!(!parse("registry.example.com/app").matches_registry("docker.io"));
        assert!(parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app").matches_registry("*.dkr.ecr.*.amazonaws.com"));
    }
}
