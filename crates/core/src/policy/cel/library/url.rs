//! Kubernetes' URL library: `url()`, `isURL()` and the getters. URLs are read
//! as Go's `url.ParseRequestURI` reads them: an absolute URI (with a scheme)
//! or an absolute path; no fragment is split off.

use std::collections::HashMap;

use cel::common::types::{CelList, CelMap, CelMapKey, CelString, STRING_TYPE};
use cel::common::value::{CowVal, Val};
use cel::{DeclarationError, Env, ExecutionError};

use super::support::{arg, bool_out, fail, opaque_value, string_arg, string_out, Out};

/// A URL's parts, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Url {
    scheme: String,
    host: String,
    path: String,
    query: String,
}

opaque_value!(Url, URL_TYPE, "kubernetes.URL");

fn unhex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes `text` (and `+` to a space in a query); `None` on a bad escape.
fn unescape(text: &str, query: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'%' => {
                let high = unhex(*bytes.get(at + 1)?)?;
                let low = unhex(*bytes.get(at + 2)?)?;
                out.push(high << 4 | low);
                at += 3;
            }
            b'+' if query => {
                out.push(b' ');
                at += 1;
            }
            byte => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[') {
        let Some((address, port)) = inner.split_once(']') else { return false };
        return address.parse::<std::net::Ipv6Addr>().is_ok() && valid_port(port);
    }
    let (name, port) = match host.rfind(':') {
        Some(at) => (&host[..at], &host[at..]),
        None => (host, ""),
    };
    valid_port(port) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=%".contains(&b) || b >= 0x80)
}

fn valid_port(port: &str) -> bool {
    port.is_empty() || port.strip_prefix(':').is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
}

impl Url {
    pub(crate) fn parse(text: &str) -> Result<Url, String> {
        let wrong = || format!("URL parse error during conversion from string: {text:?}");
        if text.is_empty() || text.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return Err(wrong());
        }
        let (scheme, rest) = if text.starts_with('/') {
            ("", text)
        } else {
            let (scheme, rest) = text.split_once(':').ok_or_else(wrong)?;
            let mut bytes = scheme.bytes();
            let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
            if !first_ok || !bytes.all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) {
                return Err(wrong());
            }
            (scheme, rest)
        };
        let (before_query, query) = match rest.split_once('?') {
            Some((before, query)) => (before, query),
            None => (rest, ""),
        };
        let (host, path) = match before_query.strip_prefix("//") {
            Some(authority_and_path) => {
                let end = authority_and_path.find('/').unwrap_or(authority_and_path.len());
                let authority = &authority_and_path[..end];
                let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
                if !valid_host(host) {
                    return Err(wrong());
                }
                (host, &authority_and_path[end..])
            }
            None => {
                if !scheme.is_empty() && !before_query.starts_with('/') {
                    // An opaque URI (`mailto:x`) has no host or path of its own.
                    return Ok(Url {
                        scheme: scheme.to_string(),
                        host: String::new(),
                        path: String::new(),
                        query: query.to_string(),
                    });
                }
                ("", before_query)
            }
        };
        unescape(path, false).ok_or_else(wrong)?;
        Ok(Url { scheme: scheme.to_string(), host: host.to_string(), path: path.to_string(), query: query.to_string() })
    }

    fn hostname(&self) -> &str {
        if let Some(inner) = self.host.strip_prefix('[') {
            return inner.split_once(']').map_or(inner, |(address, _)| address);
        }
        self.host.rsplit_once(':').map_or(self.host.as_str(), |(name, _)| name)
    }

    fn port(&self) -> &str {
        if let Some(inner) = self.host.strip_prefix('[') {
            return inner.split_once("]:").map_or("", |(_, port)| port);
        }
        self.host.rsplit_once(':').map_or("", |(_, port)| port)
    }

    /// The path with every byte that needs it percent-encoded (escapes kept).
    fn escaped_path(&self) -> String {
        let mut out = String::with_capacity(self.path.len());
        for byte in self.path.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&byte) {
                out.push(byte as char);
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
        out
    }
}

fn url_of(args: &[CowVal<'_, '_>]) -> Result<Url, ExecutionError> {
    arg::<Url>(args, 0).cloned()
}

fn url<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    Url::parse(string_arg(&args, 0)?).map(CowVal::owned).map_err(|message| fail("url", message))
}

fn is_url<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(Url::parse(string_arg(&args, 0)?).is_ok())
}

fn get_scheme<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    string_out(url_of(&args)?.scheme)
}

fn get_host<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    string_out(url_of(&args)?.host)
}

fn get_hostname<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    string_out(url_of(&args)?.hostname().to_string())
}

fn get_port<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    string_out(url_of(&args)?.port().to_string())
}

fn get_escaped_path<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    string_out(url_of(&args)?.escaped_path())
}

/// The query as a map of each key to its values, in order (pairs that do not
/// decode are left out, as Go's `Query()` does).
fn get_query<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let url = url_of(&args)?;
    let mut values: Vec<(String, Vec<String>)> = Vec::new();
    for pair in url.query.split('&').filter(|pair| !pair.is_empty()) {
        if pair.contains(';') {
            continue;
        }
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (Some(key), Some(value)) = (unescape(key, true), unescape(value, true)) else { continue };
        match values.iter_mut().find(|(seen, _)| *seen == key) {
            Some((_, list)) => list.push(value),
            None => values.push((key, vec![value])),
        }
    }
    let map: HashMap<CelMapKey<'v>, Box<dyn Val + 'v>> = values
        .into_iter()
        .map(|(key, list)| {
            let list: Vec<Box<dyn Val + 'v>> =
                list.into_iter().map(|value| Box::new(CelString::from(value)) as Box<dyn Val + 'v>).collect();
            (CelMapKey::from(key), Box::new(CelList::from(list)) as Box<dyn Val + 'v>)
        })
        .collect();
    Ok(CowVal::owned(CelMap::from(map)))
}

/// Registers the URL library.
pub(super) fn register(env: &mut Env) -> Result<(), DeclarationError> {
    let u = || URL_TYPE.to_owned();
    env.add_type(u())?;
    env.add_overload("url", "string_to_url", vec![STRING_TYPE], url)?;
    env.add_overload("isURL", "is_url_string", vec![STRING_TYPE], is_url)?;
    env.add_member_overload("getScheme", "url_get_scheme", u(), vec![], get_scheme)?;
    env.add_member_overload("getHost", "url_get_host", u(), vec![], get_host)?;
    env.add_member_overload("getHostname", "url_get_hostname", u(), vec![], get_hostname)?;
    env.add_member_overload("getPort", "url_get_port", u(), vec![], get_port)?;
    env.add_member_overload("getEscapedPath", "url_get_escaped_path", u(), vec![], get_escaped_path)?;
    env.add_member_overload("getQuery", "url_get_query", u(), vec![], get_query)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Url;

    #[test]
    fn request_uris_and_their_parts() {
        let url = Url::parse("https://user@example.com:8080/a%20b/c?x=1&x=2&y=%41").unwrap();
        assert_eq!((url.scheme.as_str(), url.host.as_str()), ("https", "example.com:8080"));
        assert_eq!((url.hostname(), url.port()), ("example.com", "8080"));
        assert_eq!(url.escaped_path(), "/a%20b/c");
        let v6 = Url::parse("http://[::1]:80/").unwrap();
        assert_eq!((v6.hostname(), v6.port()), ("::1", "80"));
        let path = Url::parse("/just/a/path").unwrap();
        assert_eq!((path.scheme.as_str(), path.host.as_str()), ("", ""));
        for bad in ["", "example.com/x", "1http://x", "http://a b/", "http://x/%zz", "http://x:port/"] {
            assert!(Url::parse(bad).is_err(), "{bad}");
        }
    }
}
