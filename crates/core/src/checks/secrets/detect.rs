//! Recognising credentials written literally, by the name they are given and
//! by their shape, and masking them in messages.
//!
//! Precision decisions (each one tested below):
//! - a name is sensitive when one of its words is `password`, `passwd`, `pwd`,
//!   `secret`, `token`, `passphrase`, `credential(s)`, `apikey`, or a pair such as
//!   `api key`, `access key`, `private key`, `secret key`, `auth key`; unless its
//!   last word says the value is about the secret rather than the secret itself
//!   (`PASSWORD_FILE`, `PASSWORD_MIN_LENGTH`, `TOKEN_TTL`, `SECRET_NAME`, `..._PATH`, `..._URL`, ...);
//! - under a sensitive name, a value is not reported when it is empty, a
//!   reference (`${VAR}`, `$(VAR)`, `{{ .Values.x }}`, `%(x)s`), a path or file
//!   URL, a boolean, a placeholder (`changeme`, `<password>`, `xxxx`,
//!   `REPLACE_ME`, ...), or contains whitespace (prose, not a credential).
//!   Placeholders are default credentials, not leaked secrets: they are left to
//!   a review of defaults, not reported here;
//! - in ConfigMaps (configuration files, dashboards, scripts) a value under a
//!   sensitive name must also look random: at least 8 characters and 3 bits
//!   of entropy per character. Environment variables and arguments are
//!   explicit assignments and need no entropy;
//! - shapes are recognised anywhere, whatever the name: PEM private keys, AWS
//!   access key ids, GitHub, GitLab, Slack, Stripe and Google API tokens, JWTs,
//!   and URLs with a password (`scheme://user:password@host`).

use crate::text::find_str;

/// What was recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Detection {
    /// What kind of credential (`AWS access key id`, `password`).
    pub what: &'static str,
    /// The credential, masked for the message.
    pub masked: String,
}

/// How strict to be about a value found under a sensitive name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strictness {
    /// An explicit assignment (an env var, a command-line flag).
    Assignment,
    /// A key in free-form configuration: the value must also look random.
    Configuration,
}

/// Masks all but the first few characters.
pub(crate) fn mask(secret: &str) -> String {
    let count = secret.chars().count();
    let shown = if count >= 16 {
        4
    } else if count >= 8 {
        2
    } else {
        0
    };
    let head: String = secret.chars().take(shown).collect();
    format!("{head}**** ({count} characters)")
}

/// Splits a name into words (`AWS_SECRET_ACCESS_KEY`, `apiKey`, `db.password`),
/// compared without regard to case.
fn words(name: &str) -> Vec<&str> {
    let bytes = name.as_bytes();
    let mut words = Vec::new();
    let mut start = None;
    let mut previous_lower = false;
    for (at, &byte) in bytes.iter().enumerate() {
        if !byte.is_ascii_alphanumeric() {
            if let Some(from) = start.take() {
                words.push(&name[from..at]);
            }
            previous_lower = false;
            continue;
        }
        if byte.is_ascii_uppercase() && previous_lower {
            if let Some(from) = start.replace(at) {
                words.push(&name[from..at]);
            }
        }
        start.get_or_insert(at);
        previous_lower = byte.is_ascii_lowercase() || byte.is_ascii_digit();
    }
    if let Some(from) = start {
        words.push(&name[from..]);
    }
    words
}

/// Is `word` one of `list` (lower case), whatever its case?
fn among(list: &[&str], word: &str) -> bool {
    list.iter().any(|entry| entry.eq_ignore_ascii_case(word))
}

const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "secret",
    "token",
    "passphrase",
    "credential",
    "credentials",
    "apikey",
    "privatekey",
    "secretkey",
    "accesskey",
];
const SECRET_PAIRS: &[(&str, &str)] =
    &[("api", "key"), ("access", "key"), ("private", "key"), ("secret", "key"), ("auth", "key"), ("signing", "key")];
/// Last words that make a name about a secret, not the secret itself.
const NOT_THE_SECRET: &[&str] = &[
    "file",
    "files",
    "path",
    "dir",
    "directory",
    "length",
    "len",
    "min",
    "max",
    "ttl",
    "expiry",
    "expiration",
    "expires",
    "lifetime",
    "timeout",
    "age",
    "policy",
    "name",
    "names",
    "ref",
    "enabled",
    "enable",
    "disabled",
    "required",
    "type",
    "mode",
    "header",
    "field",
    "url",
    "uri",
    "endpoint",
    "id",
    "count",
    "size",
    "version",
    "prefix",
    "format",
    "algorithm",
    "algo",
    "rotation",
    "interval",
    "length",
    "hash",
    "env",
    "source",
    "provider",
    "store",
    "namespace",
    "selector",
    "mount",
    "volume",
    "location",
    "audience",
    "issuer",
    "scope",
    "scopes",
    "method",
    "kind",
    "strength",
    "regex",
    "pattern",
    "complexity",
    "reset",
    "hint",
    "label",
    "key",
];

/// Is this name one under which a credential is written?
pub(crate) fn is_sensitive_name(name: &str) -> bool {
    may_name_a_secret(name) && words_name_a_secret(name)
}

/// Whatever the case, does `name` hold a text that every secret word and
/// every pair's last word holds? Most names hold none (`image`, `port`,
/// `LOG_LEVEL`), and saying so costs one pass without splitting them into words.
fn may_name_a_secret(name: &str) -> bool {
    const PARTS: [&[u8]; 6] = [b"pass", b"pwd", b"secret", b"token", b"credential", b"key"];
    let bytes = name.as_bytes();
    (0..bytes.len()).any(|at| {
        matches!(bytes[at] | 0x20, b'p' | b's' | b't' | b'c' | b'k')
            && PARTS
                .iter()
                .any(|part| bytes[at..].get(..part.len()).is_some_and(|text| text.eq_ignore_ascii_case(part)))
    })
}

/// [`is_sensitive_name`] word by word.
fn words_name_a_secret(name: &str) -> bool {
    let words = words(name);
    let Some(&last) = words.last() else {
        return false;
    };
    let pair = words
        .windows(2)
        .any(|w| SECRET_PAIRS.iter().any(|(a, b)| a.eq_ignore_ascii_case(w[0]) && b.eq_ignore_ascii_case(w[1])));
    if pair && last.eq_ignore_ascii_case("key") {
        return true;
    }
    if among(NOT_THE_SECRET, last) {
        return false;
    }
    pair || words.iter().any(|w| among(SECRET_WORDS, w))
}

const PLACEHOLDERS: &[&str] = &[
    "changeme",
    "change-me",
    "change_me",
    "changeit",
    "password",
    "passwd",
    "secret",
    "token",
    "example",
    "dummy",
    "placeholder",
    "replaceme",
    "replace-me",
    "replace_me",
    "todo",
    "tbd",
    "none",
    "null",
    "nil",
    "redacted",
    "default",
    "test",
    "your-password",
    "yourpassword",
    "mypassword",
    "xxx",
];

/// A value that is not a credential: empty, a reference, a path, a placeholder.
fn is_not_a_credential(value: &str) -> bool {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    value.len() < 4
        || value.contains(char::is_whitespace)
        || value.contains("${")
        || value.contains("$(")
        || value.contains("{{")
        || value.contains("%(")
        || value.starts_with('$')
        || value.starts_with('/')
        || value.starts_with("./")
        || value.starts_with("~/")
        || lower.starts_with("file://")
        || (value.starts_with('<') && value.ends_with('>'))
        || (value.starts_with('[') && value.ends_with(']'))
        || matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "on" | "off")
        || PLACEHOLDERS.contains(&lower.as_str())
        || lower.chars().all(|c| c == 'x' || c == '*' || c == '.' || c == '-')
        || lower.starts_with("enc[")
}

/// Shannon entropy in bits per character.
fn entropy(value: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut total = 0u32;
    for byte in value.bytes() {
        if let Some(count) = counts.get_mut(byte as usize) {
            *count += 1;
        }
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let total = f64::from(total);
    counts.iter().filter(|&&c| c > 0).map(|&c| f64::from(c) / total).map(|p| -p * p.log2()).sum()
}

/// Recognises a credential written under a name.
pub(crate) fn named(name: &str, value: &str, strictness: Strictness) -> Option<Detection> {
    if let Some(found) = shaped(value) {
        return Some(found);
    }
    if !is_sensitive_name(name) || is_not_a_credential(value) {
        return None;
    }
    let value = value.trim();
    if strictness == Strictness::Configuration && (value.chars().count() < 8 || entropy(value) < 3.0) {
        return None;
    }
    Some(Detection { what: "credential", masked: mask(value) })
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The tokens of a text: runs of letters, digits, `_`, `-` and `.`.
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(is_token_char(c) || c == '.')).filter(|t| !t.is_empty())
}

/// Recognises a credential by its shape, anywhere in a text.
pub(crate) fn shaped(text: &str) -> Option<Detection> {
    if let Some(at) = find_str(text, "-----BEGIN ") {
        let rest = text.get(at..).unwrap_or_default();
        if let Some(end) = rest.find("-----\n").or_else(|| rest.find("-----\r\n")).or_else(|| rest.find("----- ")) {
            let header = rest.get(..end + 5).unwrap_or_default();
            if header.ends_with("PRIVATE KEY-----") && !header.contains('\n') {
                return Some(Detection { what: "private key", masked: format!("{header} (contents masked)") });
            }
        }
    }
    for token in tokens(text) {
        let token = token.trim_matches('.');
        if let Some(what) = token_shape(token) {
            return Some(Detection { what, masked: mask(token) });
        }
    }
    url_password(text)
}

fn all(text: &str, allowed: impl Fn(char) -> bool) -> bool {
    !text.is_empty() && text.chars().all(allowed)
}

fn token_shape(token: &str) -> Option<&'static str> {
    // Every shape below is at least 20 characters long; most tokens are words.
    if token.len() < 20 {
        return None;
    }
    let upper_digit = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit();
    let alnum = |c: char| c.is_ascii_alphanumeric();
    if token.len() == 20
        && ["AKIA", "ASIA", "AROA", "AIDA"].iter().any(|p| token.starts_with(p))
        && all(token, upper_digit)
        && token.chars().skip(4).any(|c| c.is_ascii_digit())
        && !token.ends_with("EXAMPLE")
    {
        return Some("AWS access key id");
    }
    for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
        if let Some(rest) = token.strip_prefix(prefix) {
            if rest.len() == 36 && all(rest, alnum) {
                return Some("GitHub token");
            }
        }
    }
    if let Some(rest) = token.strip_prefix("github_pat_") {
        if rest.len() >= 40 && all(rest, |c| alnum(c) || c == '_') {
            return Some("GitHub token");
        }
    }
    if let Some(rest) = token.strip_prefix("glpat-") {
        if rest.len() >= 20 && all(rest, |c| alnum(c) || c == '_' || c == '-') {
            return Some("GitLab token");
        }
    }
    for prefix in ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-"] {
        if let Some(rest) = token.strip_prefix(prefix) {
            if rest.len() >= 20 && all(rest, |c| alnum(c) || c == '-') && rest.chars().any(|c| c.is_ascii_digit()) {
                return Some("Slack token");
            }
        }
    }
    for prefix in ["sk_live_", "rk_live_"] {
        if let Some(rest) = token.strip_prefix(prefix) {
            if rest.len() >= 20 && all(rest, alnum) {
                return Some("Stripe secret key");
            }
        }
    }
    if let Some(rest) = token.strip_prefix("AIza") {
        if rest.len() == 35 && all(rest, |c| alnum(c) || c == '_' || c == '-') {
            return Some("Google API key");
        }
    }
    if is_jwt(token) {
        return Some("JSON Web Token");
    }
    None
}

fn is_jwt(token: &str) -> bool {
    if token.len() < 60 || !token.starts_with("eyJ") {
        return false;
    }
    let parts: Vec<&str> = token.split('.').collect();
    let base64url = |part: &&str| all(part, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    matches!(parts.as_slice(), [header, payload, signature]
        if header.starts_with("eyJ") && payload.starts_with("eyJ") && signature.len() >= 16
            && parts.iter().all(base64url) && token.len() >= 60)
}

/// `scheme://user:password@host` with a real password.
fn url_password(text: &str) -> Option<Detection> {
    let mut rest = text;
    while let Some(at) = find_str(rest, "://") {
        let after = rest.get(at + 3..).unwrap_or_default();
        let authority_end =
            after.find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace() || c == '"' || c == '\'');
        let authority = after.get(..authority_end.unwrap_or(after.len())).unwrap_or_default();
        if let Some((userinfo, _host)) = authority.rsplit_once('@') {
            if let Some((_user, password)) = userinfo.split_once(':') {
                if !is_not_a_credential(password) {
                    return Some(Detection { what: "password in a URL", masked: mask(password) });
                }
            }
        }
        rest = after;
    }
    None
}

/// Recognises `key: value`, `key = value` and `key=value` lines of a
/// configuration file with a sensitive key, and credential shapes anywhere.
pub(crate) fn in_text(text: &str) -> Option<Detection> {
    if let Some(found) = shaped(text) {
        return Some(found);
    }
    for line in text.lines() {
        let line = line.trim().trim_start_matches("- ").trim_start_matches("export ");
        if line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        let split = line.find([':', '=']).and_then(|at| Some((line.get(..at)?, line.get(at + 1..)?)));
        let Some((key, value)) = split else {
            continue;
        };
        let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
        if key.is_empty() || key.contains(char::is_whitespace) {
            continue;
        }
        let value = value.trim().trim_end_matches([',', ';']);
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        if let Some(found) = named(key, value, Strictness::Configuration) {
            return Some(found);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_words() {
        assert_eq!(words("AWS_SECRET_ACCESS_KEY"), ["AWS", "SECRET", "ACCESS", "KEY"]);
        assert_eq!(words("apiKey2fa.dbPassword"), ["api", "Key2fa", "db", "Password"]);
        assert_eq!(words("--caf\u{e9}Token-x"), ["caf", "Token", "x"]);
        assert_eq!(words("HTTPServer"), ["HTTPServer"]);
        assert!(words("__").is_empty());
    }

    proptest::proptest! {
        /// Every name the words call sensitive passes the quick screen.
        #[test]
        fn the_quick_screen_lets_every_sensitive_name_through(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "PASSWORD", "passwd", "Pwd", "pass", "Secret", "TOKEN", "passphrase", "credential", "Credentials",
                "apikey", "PrivateKey", "secretKey", "accessKey", "api", "KEY", "access", "private", "auth",
                "signing", "file", "db", "x", "url", "name", "s3", "", "ttl",
            ]), 1..5),
            separators in proptest::collection::vec(proptest::sample::select(vec!["", "_", "-", ".", "__"]), 4),
        ) {
            let mut name = String::new();
            for (part, separator) in parts.iter().zip(separators.iter().cycle()) {
                name.push_str(part);
                name.push_str(separator);
            }
            if words_name_a_secret(&name) {
                proptest::prop_assert!(may_name_a_secret(&name), "{name}");
            }
        }
    }

    #[test]
    fn names() {
        for name in [
            "DB_PASSWORD",
            "password",
            "apiKey",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "client-secret",
            "auth.token",
            "PRIVATE_KEY",
            "redisPass",
            "apikey",
            "x_api_key",
            "SIGNING-KEY",
            "dbPwd",
        ] {
            assert!(may_name_a_secret(name), "the quick screen lets {name} through");
            assert!(is_sensitive_name(name), "{name}");
        }
        for name in [
            "PASSWORD_FILE",
            "password_file",
            "PASSWORD_MIN_LENGTH",
            "TOKEN_TTL",
            "SECRET_NAME",
            "tokenUrl",
            "CACHE_KEY",
            "monkey",
            "passwordPolicy",
            "keyspace",
            "TOKEN_AUDIENCE",
        ] {
            assert!(!is_sensitive_name(name), "{name}");
        }
    }

    #[test]
    fn values_under_sensitive_names() {
        assert!(named("DB_PASSWORD", "s3cr3t-Pa55", Strictness::Assignment).is_some());
        for value in [
            "",
            "${DB_PASSWORD}",
            "$(DB_PASSWORD)",
            "{{ .Values.password }}",
            "/etc/secret/pw",
            "changeme",
            "<password>",
            "xxxxxxxx",
            "true",
            "ENC[AES256_GCM,data:abc]",
        ] {
            assert!(named("DB_PASSWORD", value, Strictness::Assignment).is_none(), "{value}");
        }
        // Configuration needs randomness too.
        assert!(named("admin_password", "hello123", Strictness::Configuration).is_none());
        assert!(named("admin_password", "q7#Lm2!xZ9pR", Strictness::Configuration).is_some());
        assert!(named("PASSWORD_MIN_LENGTH", "8", Strictness::Assignment).is_none());
    }

    #[test]
    fn shapes() {
        let aws = ["AKIA", "Z7Q2XK4M3N5P6R7T"].concat();
        assert_eq!(shaped(&format!("key={aws}")).map(|d| d.what), Some("AWS access key id"));
        let github = ["ghp_", &"a1B2c3D4e5".repeat(3), "F6g7H8"].concat();
        assert_eq!(shaped(&github).map(|d| d.what), Some("GitHub token"));
        let slack = ["xoxb-", "1234567890-0987654321-AbCdEfGhIj"].concat();
        assert_eq!(shaped(&slack).map(|d| d.what), Some("Slack token"));
        let jwt =
            ["eyJhbGciOiJIUzI1NiJ9", ".eyJzdWIiOiIxMjM0NTY3ODkwIn0", ".dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"]
                .concat();
        assert_eq!(shaped(&jwt).map(|d| d.what), Some("JSON Web Token"));
        let pem = ["-----BEGIN RSA ", "PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n"].concat();
        assert_eq!(shaped(&pem).map(|d| d.what), Some("private key"));
        assert!(shaped("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").is_none());
        assert_eq!(shaped("postgres://app:Wq8zLm2pT@db:5432/app").map(|d| d.what), Some("password in a URL"));
        assert!(shaped("postgres://app:${PASSWORD}@db:5432/app").is_none());
        assert!(shaped("https://example.com/a/b?c=d").is_none());
        assert!(shaped("AKIAIOSFODNN7EXAMPLEX-not-a-key").is_none());
    }

    #[test]
    fn masking_hides_all_but_a_few_characters() {
        let masked = mask("AKIAZ7Q2XK4M3N5P6R7T");
        assert_eq!(masked, "AKIA**** (20 characters)");
        assert_eq!(mask("short"), "**** (5 characters)");
    }

    #[test]
    fn configuration_files() {
        assert!(in_text("password_file: /etc/x\nPASSWORD_MIN_LENGTH: \"8\"\nadmin_password: ${ADMIN}\n").is_none());
        assert!(in_text("# password: Zx81kPq0vN2m\nlog_level: info\n").is_none());
        assert!(in_text("[security]\nadmin_password = Zx81kPq0vN2mW\n").is_some());
        assert!(in_text("{\"title\": \"password resets\", \"tokenUrl\": \"https://x\"}").is_none());
    }
}
