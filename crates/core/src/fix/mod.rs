//! Fixes: what a finding offers to change, and how a change is written.
//!
//! A check that can repair what it reports plans the repair as structured
//! operations on the document ([`Op`]: set a value at a JSON Pointer, add
//! items to a list, remove a key, add a document). [`render`] turns the
//! operations of one document, merged, into the fewest text edits, written in
//! the style of the text around them; everything outside the edits stays byte
//! for byte. The public types ([`Fix`], [`FixSafety`], [`TextEdit`]) are what
//! a report carries.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod render;

pub(crate) use render::{lookup, render, scalar_value, Edit};

/// How far a fix can be trusted to leave a workload working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum FixSafety {
    /// It only sets what the check asks for, and a workload that already
    /// behaves as the checklist wants keeps working
    /// (`allowPrivilegeEscalation: false`). `kubeward fix` applies it.
    Safe,
    /// It may stop a workload and needs a human look (`readOnlyRootFilesystem:
    /// true`, `drop: [ALL]`); `kubeward fix --unsafe` applies it.
    Unsafe,
    /// Not a repair: it exempts the object from the check with a reason to
    /// fill in (the `kubeward.io/ignore` annotation). Offered to editors as
    /// the second choice, never applied by `kubeward fix`.
    Exemption,
}

impl FixSafety {
    /// `safe`, `unsafe` or `exemption`.
    pub fn as_str(self) -> &'static str {
        match self {
            FixSafety::Safe => "safe",
            FixSafety::Unsafe => "unsafe",
            FixSafety::Exemption => "exemption",
        }
    }
}

/// One text edit: replace the bytes `start..end` of the file with `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct TextEdit {
    /// What to replace: a range of the file as it was scanned (empty to insert).
    pub range: crate::Range,
    /// What to write there.
    pub text: String,
}

/// A change that makes a finding go away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Fix {
    /// What it does, in a few words (`Set allowPrivilegeEscalation: false`).
    pub title: String,
    /// Whether `kubeward fix` applies it alone, with `--unsafe`, or never.
    pub safety: FixSafety,
    /// The edits, in file order and not overlapping, against the scanned text.
    pub edits: Vec<TextEdit>,
}

/// What a check declares about its fixes, for the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FixClass {
    /// Its findings carry a fix of this safety (when the document allows one).
    Fixes(FixSafety),
    /// No fix, and why.
    None(&'static str),
}

/// A value a fix writes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Bool(bool),
    Int(i64),
    Str(String),
    Seq(Vec<Val>),
    /// Keys in the order they are written.
    Map(Vec<(String, Val)>),
}

impl Val {
    /// A string value.
    pub(crate) fn str(text: impl Into<String>) -> Val {
        Val::Str(text.into())
    }

    /// A mapping of the given entries.
    pub(crate) fn map<const N: usize>(entries: [(&str, Val); N]) -> Val {
        Val::Map(entries.into_iter().map(|(key, value)| (key.to_string(), value)).collect())
    }

    /// Sets `other` over `self`: mappings merge key by key, anything else is replaced.
    pub(crate) fn merge(&mut self, other: Val) {
        match (self, other) {
            (Val::Map(mine), Val::Map(theirs)) => {
                for (key, value) in theirs {
                    match mine.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, existing)) => existing.merge(value),
                        None => mine.push((key, value)),
                    }
                }
            }
            (slot, other) => *slot = other,
        }
    }
}

/// One structured change to a document. Pointers are RFC 6901, relative to the document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// Sets the value at `path`, creating the missing mappings under its
    /// nearest existing ancestor; a mapping value merges into an existing mapping.
    Set { path: String, value: Val },
    /// Adds to the list at `path` those of `items` it does not hold (a new list when missing).
    Append { path: String, items: Vec<Val> },
    /// Removes the key at `path`; where the key cannot go without disturbing
    /// the text around it (the only key of its mapping, a comment on its line,
    /// a flow mapping), its value is set to `otherwise`.
    Remove { path: String, otherwise: Val },
    /// Adds a new document (YAML) after this one.
    NewDocument { value: Val },
}

/// The reference tokens of a JSON Pointer, unescaped.
pub(crate) fn tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer.split('/').skip(1).map(|token| token.replace("~1", "/").replace("~0", "~")).collect()
}

/// Applies non-overlapping edits (byte ranges of `text`) to `text`.
pub(crate) fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len() + edits.iter().map(|edit| edit.text.len()).sum::<usize>());
    let mut at = 0usize;
    for edit in edits {
        let (start, end) = (edit.start as usize, edit.end as usize);
        out.push_str(&text[at..start]);
        out.push_str(&edit.text);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}
