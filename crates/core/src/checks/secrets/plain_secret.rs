//! Secret objects with plain (base64) values in the scanned set (items 4.4, 4.7).

use crate::checks::secrets::detect;
use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "plain-secret",
        title: "Secret with unencrypted values in the manifests",
        severity: Severity::Medium,
        items: &[("4.4", "the Secret's values are written in the manifest"), ("4.7", "a Secret kept in the manifests is neither sealed nor SOPS-encrypted")],
        section: "secrets",
        rationale: "A Secret's `data` is base64, an encoding anyone can reverse; `stringData` is plain text. A \
            Secret with values in a repository or a rendered bundle gives its contents to everyone who can read \
            them. Values encrypted with SOPS (`ENC[...]` with a `sops` metadata block) are not reported, nor \
            Secrets with no values (placeholders filled in at run time). When a value also has the shape of a \
            private key or token, the finding is high.",
        remediation: "Commit a SealedSecret or a SOPS-encrypted file instead, or create the Secret from an \
            external manager (an ExternalSecret, or a SecretProviderClass of the Secrets Store CSI driver), and \
            rotate the values that were committed.",
        fail_example: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: cGFzc3dvcmQxMjM=\n",
        pass_example: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: ENC[AES256_GCM,data:Tr3Kx9==,iv:abc=,tag:def=,type:str]\nsops:\n  age:\n  - recipient: age1examplerecipient\n  lastmodified: \"2025-01-01T00:00:00Z\"\n  version: 3.9.0\n",
    },
    run: Run::Object(run),
};

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    if !ctx.object.identity.is("", "Secret") {
        return;
    }
    let label = ctx.object.label();
    for field in ["data", "stringData"] {
        let view = ctx.object.root.get(field);
        let mut plain = Vec::new();
        let mut shaped = None;
        for (key, value) in view.entries() {
            let Some(text) = value.str().present() else {
                continue;
            };
            let text = text.trim();
            if text.is_empty() || text.starts_with("ENC[") {
                continue;
            }
            if shaped.is_none() {
                shaped = if field == "data" {
                    decode_base64(text).and_then(|t| detect::shaped(&t))
                } else {
                    detect::shaped(text)
                };
            }
            plain.push(key);
        }
        if plain.is_empty() {
            continue;
        }
        let encoding = if field == "data" { "base64, not encrypted" } else { "plain text" };
        let keys = plain.join(", ");
        match shaped {
            Some(found) => sink.report_with_severity(
                &view,
                None,
                Severity::High,
                message!(
                    "{label} holds {} value(s) in {field} ({encoding}), among them a {}: {keys}",
                    plain.len(),
                    found.what
                ),
            ),
            None => {
                sink.report(&view, message!("{label} holds {} value(s) in {field} ({encoding}): {keys}", plain.len()))
            }
        }
    }
}

/// Decodes standard base64 (padding optional); `None` when it is not base64 text.
fn decode_base64(text: &str) -> Option<String> {
    let mut bits = 0u32;
    let mut count = 0u32;
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for byte in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => continue,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::decode_base64;

    #[test]
    fn base64_decodes() {
        assert_eq!(decode_base64("cGFzc3dvcmQxMjM=").as_deref(), Some("password123"));
        assert_eq!(decode_base64("aGk").as_deref(), Some("hi"));
        assert_eq!(decode_base64("not base64!"), None);
    }
}
