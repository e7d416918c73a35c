//! Plain-scalar resolution with the YAML 1.1 rules that Kubernetes applies.
//!
//! `kubectl` and the API server decode manifests with a YAML 1.1 reader before
//! converting them to JSON, so `privileged: yes` is the boolean `true` there. A
//! YAML 1.2 reading would see the string `"yes"` and let a privileged container
//! through; this module resolves plain scalars the way Kubernetes does.

/// A resolved scalar value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

/// Resolves a plain (unquoted, untagged) scalar.
pub(crate) fn resolve_plain(text: &str) -> Scalar {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return Scalar::Null;
    };
    // Fast path: most plain scalars are words that start with a letter other
    // than the ones that can begin a boolean, null or special float.
    if first.is_ascii_alphabetic()
        && !matches!(first, b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O')
    {
        return Scalar::Str;
    }
    match text {
        "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => return Scalar::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Scalar::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Scalar::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        _ => {}
    }
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Scalar::Str;
    }
    resolve_number(text).unwrap_or(Scalar::Str)
}

fn resolve_number(text: &str) -> Option<Scalar> {
    let cleaned: String;
    let text = if text.contains('_') {
        cleaned = text.replace('_', "");
        cleaned.as_str()
    } else {
        text
    };
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let signed = |magnitude: u64| -> Option<Scalar> {
        if negative {
            if magnitude == 1u64 << 63 {
                Some(Scalar::Int(i64::MIN))
            } else {
                i64::try_from(magnitude).ok().map(|v| Scalar::Int(-v))
            }
        } else {
            i64::try_from(magnitude).ok().map(Scalar::Int)
        }
    };
    // Go's integer syntax (`strconv.ParseInt(s, 0, 64)`, which go-yaml uses): a
    // base prefix in either case, or a leading zero for octal.
    let radix = match digits.get(..2) {
        Some("0x" | "0X") => Some(16),
        Some("0o" | "0O") => Some(8),
        Some("0b" | "0B") => Some(2),
        _ => None,
    };
    if let Some(radix) = radix {
        return u64::from_str_radix(&digits[2..], radix).ok().and_then(signed);
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        // YAML 1.1: a leading zero means octal (`0755` is 493).
        if digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return u64::from_str_radix(&digits[1..], 8).ok().and_then(signed);
        }
        // Too large for 64 bits, or not octal (`08`): go-yaml reads it as a float.
        return match digits.parse::<u64>() {
            Ok(value) if !(digits.len() > 1 && digits.starts_with('0')) => signed(value),
            _ => float(digits, negative),
        };
    }
    if is_float_syntax(digits) {
        return float(digits, negative);
    }
    None
}

/// A float, unless it overflows (Go's `ParseFloat` fails there, and go-yaml keeps the text).
fn float(digits: &str, negative: bool) -> Option<Scalar> {
    let value = digits.parse::<f64>().ok().filter(|v| v.is_finite())?;
    Some(Scalar::Float(if negative { -value } else { value }))
}

/// `[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?` and `[0-9]+\.[0-9]*(...)`: what YAML 1.1 calls a float.
fn is_float_syntax(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut mantissa_digits = 0;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
        mantissa_digits += 1;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
            mantissa_digits += 1;
        }
    }
    if mantissa_digits == 0 {
        return false;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        let exponent_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == exponent_start {
            return false;
        }
    }
    i == bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_1_1_booleans() {
        for word in ["yes", "Yes", "YES", "on", "ON", "true", "True", "y", "Y"] {
            assert_eq!(resolve_plain(word), Scalar::Bool(true), "{word}");
        }
        for word in ["no", "No", "off", "OFF", "false", "n", "N"] {
            assert_eq!(resolve_plain(word), Scalar::Bool(false), "{word}");
        }
        assert_eq!(resolve_plain("yess"), Scalar::Str);
        assert_eq!(resolve_plain("tRue"), Scalar::Str);
    }

    #[test]
    fn numbers() {
        assert_eq!(resolve_plain("0"), Scalar::Int(0));
        assert_eq!(resolve_plain("-1"), Scalar::Int(-1));
        assert_eq!(resolve_plain("+12"), Scalar::Int(12));
        assert_eq!(resolve_plain("1_000"), Scalar::Int(1000));
        assert_eq!(resolve_plain("0755"), Scalar::Int(0o755));
        assert_eq!(resolve_plain("0x1F"), Scalar::Int(31));
        assert_eq!(resolve_plain("1.5"), Scalar::Float(1.5));
        assert_eq!(resolve_plain("1e3"), Scalar::Float(1000.0));
        // As go-yaml reads them: not octal, so a float; a base prefix in either case.
        assert_eq!(resolve_plain("089"), Scalar::Float(89.0));
        assert_eq!(resolve_plain("08"), Scalar::Float(8.0));
        assert_eq!(resolve_plain("0O17"), Scalar::Int(15));
        assert_eq!(resolve_plain("0o17"), Scalar::Int(15));
        assert_eq!(resolve_plain("0X1f"), Scalar::Int(31));
        assert_eq!(resolve_plain("-0B101"), Scalar::Int(-5));
        assert_eq!(resolve_plain("+.5"), Scalar::Float(0.5));
        assert_eq!(resolve_plain("1."), Scalar::Float(1.0));
        // A float too large for 64 bits stays text, as in go-yaml.
        assert_eq!(resolve_plain("1e400"), Scalar::Str);
        assert_eq!(resolve_plain("99999999999999999999"), Scalar::Float(1e20));
        // Sexagesimal numbers and timestamps are text to go-yaml.
        assert_eq!(resolve_plain("1:20"), Scalar::Str);
        assert_eq!(resolve_plain("2001-12-14"), Scalar::Str);
        assert_eq!(resolve_plain("1.2.3"), Scalar::Str);
        assert_eq!(resolve_plain("-"), Scalar::Str);
        assert_eq!(resolve_plain("100m"), Scalar::Str);
        assert_eq!(resolve_plain("8.8.8.8"), Scalar::Str);
        assert_eq!(resolve_plain("-9223372036854775808"), Scalar::Int(i64::MIN));
    }

    #[test]
    fn nulls_and_strings() {
        assert_eq!(resolve_plain(""), Scalar::Null);
        assert_eq!(resolve_plain("~"), Scalar::Null);
        assert_eq!(resolve_plain("null"), Scalar::Null);
        assert_eq!(resolve_plain("nginx"), Scalar::Str);
        assert_eq!(resolve_plain("::1"), Scalar::Str);
        // YAML 1.1 has an obscure "value" type for `=`; Kubernetes reads it as a string.
        assert_eq!(resolve_plain("="), Scalar::Str);
    }
}
