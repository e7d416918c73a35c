//! Kubernetes' semver library: `semver()`, `isSemver()`, `major()`,
//! `minor()`, `patch()` and comparisons, with Semantic Versioning 2.0.0
//! precedence (build metadata ignored). With `normalize` true, a leading `v`,
//! missing minor or patch numbers and leading zeros are accepted.

use std::cmp::Ordering;

use cel::common::types::{BOOL_TYPE, STRING_TYPE};
use cel::common::value::CowVal;
use cel::{DeclarationError, Env, ExecutionError};

use super::support::{arg, bool_arg, bool_out, fail, int_out, opaque_value, string_arg, Out};

/// A semantic version; equality is precedence equality.
#[derive(Debug, Clone, Eq)]
pub(crate) struct Semver {
    numbers: [u64; 3],
    pre: Vec<Identifier>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Identifier {
    Numeric(u64),
    Text(String),
}

impl PartialEq for Semver {
    fn eq(&self, other: &Semver) -> bool {
        self.precedence(other) == Ordering::Equal
    }
}

opaque_value!(Semver, SEMVER_TYPE, "kubernetes.Semver");

fn numeric(text: &str, strict: bool) -> Option<u64> {
    let leading_zero = text.len() > 1 && text.starts_with('0');
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || (strict && leading_zero) {
        return None;
    }
    text.parse().ok()
}

fn identifier_ok(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Semver {
    pub(crate) fn parse(text: &str, normalize: bool) -> Result<Semver, String> {
        let wrong = || format!("could not parse {text:?} as version");
        let mut rest = text;
        if normalize {
            rest = rest.strip_prefix('v').unwrap_or(rest);
        }
        let (rest, build) = match rest.split_once('+') {
            Some((rest, build)) => (rest, Some(build)),
            None => (rest, None),
        };
        if let Some(build) = build {
            if !build.split('.').all(identifier_ok) {
                return Err(wrong());
            }
        }
        let (core, pre) = match rest.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (rest, None),
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() > 3 || (parts.len() < 3 && !normalize) {
            return Err(wrong());
        }
        let mut numbers = [0u64; 3];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            *slot = numeric(part, !normalize).ok_or_else(wrong)?;
        }
        let mut identifiers = Vec::new();
        if let Some(pre) = pre {
            for part in pre.split('.') {
                if !identifier_ok(part) {
                    return Err(wrong());
                }
                identifiers.push(if part.bytes().all(|b| b.is_ascii_digit()) {
                    Identifier::Numeric(numeric(part, true).ok_or_else(wrong)?)
                } else {
                    Identifier::Text(part.to_string())
                });
            }
        }
        Ok(Semver { numbers, pre: identifiers })
    }

    fn precedence(&self, other: &Semver) -> Ordering {
        self.numbers.cmp(&other.numbers).then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => {
                for (a, b) in self.pre.iter().zip(&other.pre) {
                    let order = match (a, b) {
                        (Identifier::Numeric(a), Identifier::Numeric(b)) => a.cmp(b),
                        (Identifier::Numeric(_), Identifier::Text(_)) => Ordering::Less,
                        (Identifier::Text(_), Identifier::Numeric(_)) => Ordering::Greater,
                        (Identifier::Text(a), Identifier::Text(b)) => a.cmp(b),
                    };
                    if order != Ordering::Equal {
                        return order;
                    }
                }
                self.pre.len().cmp(&other.pre.len())
            }
        })
    }
}

fn version(args: &[CowVal<'_, '_>], index: usize) -> Result<Semver, ExecutionError> {
    arg::<Semver>(args, index).cloned()
}

fn semver<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    Semver::parse(string_arg(&args, 0)?, false).map(CowVal::owned).map_err(|message| fail("semver", message))
}

fn semver_normalized<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    Semver::parse(string_arg(&args, 0)?, bool_arg(&args, 1)?)
        .map(CowVal::owned)
        .map_err(|message| fail("semver", message))
}

fn is_semver<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(Semver::parse(string_arg(&args, 0)?, false).is_ok())
}

fn is_semver_normalized<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(Semver::parse(string_arg(&args, 0)?, bool_arg(&args, 1)?).is_ok())
}

fn number(args: &[CowVal<'_, '_>], index: usize) -> Result<i64, ExecutionError> {
    let value = version(args, 0)?.numbers[index];
    i64::try_from(value).map_err(|_| fail("semver", "version number out of range"))
}

fn major<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    int_out(number(&args, 0)?)
}

fn minor<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    int_out(number(&args, 1)?)
}

fn patch<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    int_out(number(&args, 2)?)
}

fn order(args: &[CowVal<'_, '_>]) -> Result<Ordering, ExecutionError> {
    Ok(version(args, 0)?.precedence(&version(args, 1)?))
}

fn compare_to<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    int_out(order(&args)? as i64)
}

fn is_greater_than<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(order(&args)? == Ordering::Greater)
}

fn is_less_than<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(order(&args)? == Ordering::Less)
}

/// Registers the semver library.
pub(super) fn register(env: &mut Env) -> Result<(), DeclarationError> {
    let s = || SEMVER_TYPE.to_owned();
    env.add_type(s())?;
    env.add_overload("semver", "string_to_semver", vec![STRING_TYPE], semver)?;
    env.add_overload("semver", "string_bool_to_semver", vec![STRING_TYPE, BOOL_TYPE], semver_normalized)?;
    env.add_overload("isSemver", "is_semver_string", vec![STRING_TYPE], is_semver)?;
    env.add_overload("isSemver", "is_semver_string_bool", vec![STRING_TYPE, BOOL_TYPE], is_semver_normalized)?;
    env.add_member_overload("major", "semver_major", s(), vec![], major)?;
    env.add_member_overload("minor", "semver_minor", s(), vec![], minor)?;
    env.add_member_overload("patch", "semver_patch", s(), vec![], patch)?;
    env.add_member_overload("compareTo", "semver_compare_to", s(), vec![s()], compare_to)?;
    env.add_member_overload("isGreaterThan", "semver_is_greater_than", s(), vec![s()], is_greater_than)?;
    env.add_member_overload("isLessThan", "semver_is_less_than", s(), vec![s()], is_less_than)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Semver;
    use std::cmp::Ordering;

    fn v(text: &str) -> Semver {
        Semver::parse(text, false).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn strict_and_normalized_reading() {
        assert!(Semver::parse("1.2.3-alpha.1+build.5", false).is_ok());
        for bad in ["v1.2.3", "1.2", "01.2.3", "1.2.3-", "1.2.3-01", "1.2.3+", ""] {
            assert!(Semver::parse(bad, false).is_err(), "{bad}");
        }
        assert_eq!(Semver::parse("v1.2", true).unwrap(), v("1.2.0"));
        assert_eq!(Semver::parse("01.02.03", true).unwrap(), v("1.2.3"));
    }

    #[test]
    fn precedence_follows_the_specification() {
        let ordered = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ];
        for pair in ordered.windows(2) {
            assert_eq!(v(pair[0]).precedence(&v(pair[1])), Ordering::Less, "{pair:?}");
        }
        assert_eq!(v("1.0.0+a"), v("1.0.0+b"));
    }
}
