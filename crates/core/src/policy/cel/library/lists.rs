//! Kubernetes' list library: `isSorted()`, `sum()`, `min()`, `max()`,
//! `indexOf()` and `lastIndexOf()`; and the sets library: `sets.contains()`,
//! `sets.equivalent()` and `sets.intersects()`.

use std::cmp::Ordering;

use cel::common::types::{CelDouble, CelInt, CelUInt, DYN_TYPE, LIST_TYPE};
use cel::common::value::{CowVal, Val};
use cel::{DeclarationError, Env, ExecutionError};

use super::support::{bool_out, fail, int_out, Out};
use crate::policy::cel::cost;

/// The elements of list argument `index`, borrowed.
fn elements<'a, 'v>(args: &'a [CowVal<'_, 'v>], index: usize) -> Result<Vec<&'a (dyn Val + 'v)>, ExecutionError> {
    let list = args.get(index).ok_or_else(|| fail("list", "missing argument"))?;
    let iterable = list.as_iterable().ok_or_else(|| ExecutionError::UnexpectedType {
        got: list.get_type().name().to_string(),
        want: "list".to_string(),
    })?;
    let mut iterator = iterable.iter();
    let mut out = Vec::new();
    while let Some(item) = iterator.next() {
        out.push(item);
    }
    cost::charge(1 + out.len() as u64)?;
    Ok(out)
}

fn compare(function: &str, a: &dyn Val, b: &dyn Val) -> Result<Ordering, ExecutionError> {
    let comparer =
        a.as_comparer().ok_or_else(|| fail(function, format!("{} values cannot be ordered", a.get_type().name())))?;
    comparer.compare(b).map_err(|_| {
        fail(function, format!("{} and {} values cannot be compared", a.get_type().name(), b.get_type().name()))
    })
}

fn is_sorted<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let items = elements(&args, 0)?;
    for pair in items.windows(2) {
        if compare("isSorted", pair[0], pair[1])? == Ordering::Greater {
            return bool_out(false);
        }
    }
    bool_out(true)
}

fn sum<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let items = elements(&args, 0)?;
    let Some(first) = items.first() else { return int_out(0) };
    let overflow = || fail("sum", "integer overflow");
    if first.downcast_ref::<CelInt>().is_some() {
        let mut total: i64 = 0;
        for item in &items {
            let value = item.downcast_ref::<CelInt>().ok_or_else(|| fail("sum", "the list mixes types"))?;
            total = total.checked_add(*value.inner()).ok_or_else(overflow)?;
        }
        return int_out(total);
    }
    if first.downcast_ref::<CelUInt>().is_some() {
        let mut total: u64 = 0;
        for item in &items {
            let value = item.downcast_ref::<CelUInt>().ok_or_else(|| fail("sum", "the list mixes types"))?;
            total = total.checked_add(*value.inner()).ok_or_else(overflow)?;
        }
        return Ok(CowVal::owned(CelUInt::from(total)));
    }
    if first.downcast_ref::<CelDouble>().is_some() {
        let mut total = 0.0;
        for item in &items {
            total += *item.downcast_ref::<CelDouble>().ok_or_else(|| fail("sum", "the list mixes types"))?.inner();
        }
        return Ok(CowVal::owned(CelDouble::from(total)));
    }
    Err(fail("sum", format!("{} values cannot be summed", first.get_type().name())))
}

fn extreme<'b, 'v>(args: Vec<CowVal<'b, 'v>>, function: &str, keep: Ordering) -> Out<'b, 'v> {
    let items = elements(&args, 0)?;
    let mut best = *items.first().ok_or_else(|| fail(function, format!("{function} called on an empty list")))?;
    for &item in &items[1..] {
        if compare(function, item, best)? == keep {
            best = item;
        }
    }
    Ok(CowVal::Owned(best.clone_as_boxed()))
}

fn min<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    extreme(args, "min", Ordering::Less)
}

fn max<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    extreme(args, "max", Ordering::Greater)
}

fn position(args: &[CowVal<'_, '_>], last: bool) -> Result<i64, ExecutionError> {
    let items = elements(args, 0)?;
    let wanted = args.get(1).ok_or_else(|| fail("indexOf", "missing argument"))?;
    let found = if last {
        items.iter().rposition(|item| item.equals(wanted.as_ref()))
    } else {
        items.iter().position(|item| item.equals(wanted.as_ref()))
    };
    Ok(found.map_or(-1, |at| at as i64))
}

fn index_of<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    int_out(position(&args, false)?)
}

fn last_index_of<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    int_out(position(&args, true)?)
}

fn pairs_charged(a: &[&dyn Val], b: &[&dyn Val]) -> Result<(), ExecutionError> {
    cost::charge(1 + (a.len() as u64).saturating_mul(b.len() as u64) / 16)
}

fn contains_all(haystack: &[&dyn Val], needles: &[&dyn Val]) -> bool {
    needles.iter().all(|needle| haystack.iter().any(|item| item.equals(*needle)))
}

fn sets_contains<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let (a, b) = (elements(&args, 0)?, elements(&args, 1)?);
    pairs_charged(&a, &b)?;
    bool_out(contains_all(&a, &b))
}

fn sets_equivalent<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let (a, b) = (elements(&args, 0)?, elements(&args, 1)?);
    pairs_charged(&a, &b)?;
    bool_out(contains_all(&a, &b) && contains_all(&b, &a))
}

fn sets_intersects<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let (a, b) = (elements(&args, 0)?, elements(&args, 1)?);
    pairs_charged(&a, &b)?;
    bool_out(b.iter().any(|needle| a.iter().any(|item| item.equals(*needle))))
}

/// Registers the list and sets libraries.
pub(super) fn register(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_member_overload("isSorted", "list_is_sorted", LIST_TYPE, vec![], is_sorted)?;
    env.add_member_overload("sum", "list_sum", LIST_TYPE, vec![], sum)?;
    env.add_member_overload("min", "list_min", LIST_TYPE, vec![], min)?;
    env.add_member_overload("max", "list_max", LIST_TYPE, vec![], max)?;
    env.add_member_overload("indexOf", "list_index_of", LIST_TYPE, vec![DYN_TYPE], index_of)?;
    env.add_member_overload("lastIndexOf", "list_last_index_of", LIST_TYPE, vec![DYN_TYPE], last_index_of)?;
    env.add_overload("sets.contains", "list_sets_contains_list", vec![LIST_TYPE, LIST_TYPE], sets_contains)?;
    env.add_overload("sets.equivalent", "list_sets_equivalent_list", vec![LIST_TYPE, LIST_TYPE], sets_equivalent)?;
    env.add_overload("sets.intersects", "list_sets_intersects_list", vec![LIST_TYPE, LIST_TYPE], sets_intersects)?;
    Ok(())
}
