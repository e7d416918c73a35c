//! Regular expressions: CEL's `matches()` and Kubernetes' `find()` and
//! `findAll()`, with `regex-lite` (RE2 syntax; `\d`, `\w`, `\s` and `\b` are
//! ASCII-only, as in RE2; Unicode classes such as `\pL` are not supported).
//! Compiled patterns are cached per thread.

use std::cell::RefCell;

use cel::common::types::{CelList, CelString, INT_TYPE, STRING_TYPE};
use cel::common::value::{CowVal, Val};
use cel::{DeclarationError, Env, ExecutionError};
use regex_lite::Regex;

use super::support::{bool_out, fail, int_arg, string_arg, string_out, Out};
use crate::policy::cel::cost;

/// How many compiled patterns each thread keeps.
const CACHED_PATTERNS: usize = 64;

/// Longest pattern accepted, in bytes.
pub(crate) const MAX_PATTERN_BYTES: usize = 4096;

thread_local! {
    static CACHE: RefCell<Vec<(String, Regex)>> = const { RefCell::new(Vec::new()) };
}

/// Compiles `pattern` (for the checks made when a policy is loaded, too).
pub(crate) fn compile(pattern: &str) -> Result<Regex, String> {
    if pattern.len() > MAX_PATTERN_BYTES {
        return Err(format!("the pattern is {} bytes, longer than the limit of {MAX_PATTERN_BYTES}", pattern.len()));
    }
    Regex::new(pattern).map_err(|error| format!("invalid regular expression {pattern:?}: {error}"))
}

fn with_regex<T>(
    function: &str,
    pattern: &str,
    text: &str,
    run: impl FnOnce(&Regex) -> T,
) -> Result<T, ExecutionError> {
    cost::charge_bytes(text.len().saturating_mul(1 + pattern.len() / 16))?;
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(at) = cache.iter().position(|(seen, _)| seen == pattern) {
            return Ok(run(&cache[at].1));
        }
        let regex = compile(pattern).map_err(|message| fail(function, message))?;
        let result = run(&regex);
        if cache.len() >= CACHED_PATTERNS {
            cache.remove(0);
        }
        cache.push((pattern.to_string(), regex));
        Ok(result)
    })
}

fn matches<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let (text, pattern) = (string_arg(&args, 0)?, string_arg(&args, 1)?);
    bool_out(with_regex("matches", pattern, text, |regex| regex.is_match(text))?)
}

fn find<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let (text, pattern) = (string_arg(&args, 0)?, string_arg(&args, 1)?);
    string_out(with_regex("find", pattern, text, |regex| {
        regex.find(text).map_or(String::new(), |m| m.as_str().to_string())
    })?)
}

fn find_all_limited<'b, 'v>(text: &str, pattern: &str, limit: i64) -> Out<'b, 'v> {
    let found = with_regex("findAll", pattern, text, |regex| {
        let all = regex.find_iter(text).map(|m| m.as_str().to_string());
        let found: Vec<String> = if limit < 0 { all.collect() } else { all.take(limit as usize).collect() };
        found
    })?;
    let list: Vec<Box<dyn Val + 'v>> =
        found.into_iter().map(|s| Box::new(CelString::from(s)) as Box<dyn Val + 'v>).collect();
    Ok(CowVal::owned(CelList::from(list)))
}

fn find_all<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    find_all_limited(string_arg(&args, 0)?, string_arg(&args, 1)?, -1)
}

fn find_all_n<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    find_all_limited(string_arg(&args, 0)?, string_arg(&args, 1)?, int_arg(&args, 2)?)
}

/// Registers `matches`, `find` and `findAll`.
pub(super) fn register(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_overload("matches", "matches", vec![STRING_TYPE, STRING_TYPE], matches)?;
    env.add_member_overload("matches", "string_matches", STRING_TYPE, vec![STRING_TYPE], matches)?;
    env.add_member_overload("find", "string_find", STRING_TYPE, vec![STRING_TYPE], find)?;
    env.add_member_overload("findAll", "string_find_all", STRING_TYPE, vec![STRING_TYPE], find_all)?;
    env.add_member_overload("findAll", "string_find_all_n", STRING_TYPE, vec![STRING_TYPE, INT_TYPE], find_all_n)?;
    Ok(())
}
