//! What the compiler wires into every expression: the cost meter's tick, the
//! size guard on what calls and comprehensions build, and bounded versions of
//! the functions that can grow a value fastest (`+`, `replace`, `join`).

use cel::common::types::{CelBytes, CelString, DYN_TYPE, INT_TYPE, LIST_TYPE, STRING_TYPE};
use cel::common::value::{CowVal, Val};
use cel::{DeclarationError, Env, ExecutionError};

use super::support::{fail, int_arg, string_arg, string_out, Out};
use crate::policy::cel::cost::{self, MAX_VALUE_SIZE};

/// The name calls and comprehensions are wrapped in, to bound what they build
/// (its length, and the bytes of its strings).
pub(crate) const SIZED: &str = "@kubeward_sized";
/// The name each element a `map` or `filter` appends is wrapped in: it is
/// charged and bounded by its whole size, nested values included, since each
/// append copies it.
pub(crate) const ITEM: &str = "@kubeward_item";
/// The name `replace` calls are compiled to.
pub(crate) const REPLACE: &str = "@kubeward_replace";
/// The name `join` calls are compiled to.
pub(crate) const JOIN: &str = "@kubeward_join";

/// The name comprehension ranges are wrapped in: each step copies an element
/// of the range, so a comprehension is charged the range's size.
pub(crate) const CHARGED: &str = "@kubeward_charged";

/// The size of a value in bytes and elements, counted up to just past `cap`.
pub(crate) fn size_of(value: &dyn Val, cap: usize) -> usize {
    fn walk(value: &dyn Val, total: &mut usize, cap: usize) {
        if *total > cap {
            return;
        }
        if let Some(text) = value.downcast_ref::<CelString>() {
            *total += text.inner().len();
            return;
        }
        if let Some(bytes) = value.downcast_ref::<CelBytes>() {
            *total += bytes.inner().len();
            return;
        }
        *total += 1;
        // An object's lists and maps are shared, not copied: one unit each.
        if crate::policy::value::is_shared(value) {
            return;
        }
        let Some(iterable) = value.as_iterable() else { return };
        let indexer = value.as_indexer();
        let is_map = value.get_type().name() == "map";
        let mut items = iterable.iter();
        while let Some(item) = items.next() {
            walk(item, total, cap);
            if is_map {
                if let Some(Ok(entry)) = indexer.map(|indexer| indexer.get(item)) {
                    walk(entry.as_ref(), total, cap);
                }
            }
            if *total > cap {
                return;
            }
        }
    }
    let mut total = 0;
    walk(value, &mut total, cap);
    total
}

/// `@kubeward_tick(condition)`: one comprehension step.
fn tick<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    cost::charge(1)?;
    args.into_iter().next().ok_or_else(|| fail("tick", "missing argument"))
}

/// `@kubeward_sized(value)`: the value, if its length and the bytes of its
/// strings are within bounds; charged one unit and that size. (Nested values
/// were bounded when they were built: by this, by [`ITEM`], or as a variable.)
fn sized<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let value = args.into_iter().next().ok_or_else(|| fail("size", "missing argument"))?;
    let is_scalar = value.as_iterable().is_none() && value.downcast_ref::<CelString>().is_none();
    if is_scalar {
        cost::charge(1)?;
    } else {
        cost::check_size("expression", shallow_size(value.as_ref()))?;
    }
    Ok(value)
}

/// `@kubeward_item(value)`: an appended element, bounded and charged by its whole size.
fn item<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let value = args.into_iter().next().ok_or_else(|| fail("size", "missing argument"))?;
    cost::check_size("expression", size_of(value.as_ref(), MAX_VALUE_SIZE))?;
    Ok(value)
}

/// `@kubeward_charged(range)`: the range of a comprehension, charged one unit
/// per element and the bytes of its string elements (each step copies one).
fn charged<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let value = args.into_iter().next().ok_or_else(|| fail("size", "missing argument"))?;
    cost::charge_bytes(shallow_size(value.as_ref()))?;
    Ok(value)
}

/// The elements of a list or map and the bytes of its string elements (not
/// those of nested values, which were sized when they were built).
fn shallow_size(value: &dyn Val) -> usize {
    let Some(iterable) = value.as_iterable() else {
        return value.downcast_ref::<CelString>().map_or(1, |text| text.inner().len());
    };
    let mut total = 1usize;
    let mut items = iterable.iter();
    while let Some(item) = items.next() {
        total = total.saturating_add(item.downcast_ref::<CelString>().map_or(1, |text| 1 + text.inner().len()));
    }
    total
}

/// `a + b`, refused when a string or list result would be too large.
fn add<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let (Some(lhs), Some(rhs)) = (args.first(), args.get(1)) else {
        return Err(fail("_+_", "missing argument"));
    };
    if lhs.downcast_ref::<CelString>().is_some() || lhs.as_iterable().is_some() {
        cost::check_size(
            "_+_",
            size_of(lhs.as_ref(), MAX_VALUE_SIZE).saturating_add(size_of(rhs.as_ref(), MAX_VALUE_SIZE)),
        )?;
    }
    let adder = lhs.as_adder().ok_or_else(|| {
        ExecutionError::no_such_overload(
            "_+_",
            vec![lhs.get_type().name().to_string(), rhs.get_type().name().to_string()],
        )
    })?;
    Ok(CowVal::Owned(adder.add(rhs.as_ref())?.into_owned()))
}

fn replace_n<'b, 'v>(args: &[CowVal<'b, 'v>], limit: i64) -> Out<'b, 'v> {
    let (text, from, to) = (string_arg(args, 0)?, string_arg(args, 1)?, string_arg(args, 2)?);
    let possible = if from.is_empty() { text.chars().count() + 1 } else { text.len() / from.len() };
    let count = if limit < 0 { possible } else { possible.min(limit as usize) };
    cost::check_size("replace", text.len().saturating_add(count.saturating_mul(to.len())))?;
    if limit < 0 {
        return string_out(text.replace(from, to));
    }
    string_out(text.replacen(from, to, limit as usize))
}

fn replace<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    replace_n(&args, -1)
}

fn replace_limited<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    replace_n(&args, int_arg(&args, 3)?)
}

fn join_with<'b, 'v>(args: &[CowVal<'b, 'v>], separator: &str) -> Out<'b, 'v> {
    let list = args.first().ok_or_else(|| fail("join", "missing argument"))?;
    let iterable = list.as_iterable().ok_or_else(|| fail("join", "the receiver is not a list"))?;
    let mut parts = Vec::new();
    let mut total = 0usize;
    let mut items = iterable.iter();
    while let Some(item) = items.next() {
        let part = item
            .downcast_ref::<CelString>()
            .ok_or_else(|| fail("join", format!("the list holds a {} value, not a string", item.get_type().name())))?;
        total = total.saturating_add(part.inner().len() + separator.len());
        parts.push(part.inner());
    }
    cost::check_size("join", total)?;
    string_out(parts.join(separator))
}

fn join<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    join_with(&args, "")
}

fn join_separated<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let separator = string_arg(&args, 1)?.to_string();
    join_with(&args, &separator)
}

/// Registers the compiler's functions.
pub(super) fn register(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_overload(cost::TICK, "kubeward_tick_dyn", vec![DYN_TYPE], tick)?;
    env.add_overload(SIZED, "kubeward_sized", vec![DYN_TYPE], sized)?;
    env.add_overload(CHARGED, "kubeward_charged", vec![DYN_TYPE], charged)?;
    env.add_overload(ITEM, "kubeward_item", vec![DYN_TYPE], item)?;
    env.add_overload(cost::ADD, "kubeward_add", vec![DYN_TYPE, DYN_TYPE], add)?;
    env.add_member_overload(REPLACE, "kubeward_replace", STRING_TYPE, vec![STRING_TYPE, STRING_TYPE], replace)?;
    env.add_member_overload(
        REPLACE,
        "kubeward_replace_n",
        STRING_TYPE,
        vec![STRING_TYPE, STRING_TYPE, INT_TYPE],
        replace_limited,
    )?;
    env.add_member_overload(JOIN, "kubeward_join", LIST_TYPE, vec![], join)?;
    env.add_member_overload(JOIN, "kubeward_join_separated", LIST_TYPE, vec![STRING_TYPE], join_separated)?;
    Ok(())
}
