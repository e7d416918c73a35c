//! The cost meter: a bound on the work one expression may do.
//!
//! cel-rust has no cost accounting of its own, so the compiler makes every
//! comprehension step (each element `all`, `exists`, `map`, `filter` and the
//! like visit) call [`TICK`], and kubeward's own functions (the Kubernetes
//! libraries, `+`, `replace`) charge by the size of what they read or build.
//! An evaluation that spends its budget fails with a cost error, even if a
//! logical operator would have absorbed the error (`expensive || true`).
//!
//! The meter is per thread: an evaluation runs on one thread from start to
//! end, and functions registered with cel-rust are plain function pointers.

use std::cell::Cell;

use cel::ExecutionError;

/// The budget of one expression's evaluation, in cost units (see the module
/// docs). One unit is one comprehension step, or about 64 bytes or one list
/// element read or written by a library function.
pub(crate) const EXPRESSION_COST_LIMIT: u64 = 1_000_000;

/// The name of the function the compiler wraps every comprehension's loop
/// condition in: it charges one unit and hands the condition back.
pub(crate) const TICK: &str = "@kubeward_tick";

/// The name `+` is compiled to, so that concatenations are charged and bounded.
pub(crate) const ADD: &str = "@kubeward_add";

/// Longest string or list an expression may build, in bytes or elements.
pub(crate) const MAX_VALUE_SIZE: usize = 4 * 1024 * 1024;

thread_local! {
    static REMAINING: Cell<u64> = const { Cell::new(u64::MAX) };
    static EXCEEDED: Cell<bool> = const { Cell::new(false) };
}

/// Starts metering one evaluation with `budget` units.
pub(crate) fn start(budget: u64) {
    REMAINING.with(|remaining| remaining.set(budget));
    EXCEEDED.with(|exceeded| exceeded.set(false));
}

/// Did the evaluation since [`start`] run out of budget?
pub(crate) fn exceeded() -> bool {
    EXCEEDED.with(Cell::get)
}

/// Spends `units`; an error once the budget is spent.
pub(crate) fn charge(units: u64) -> Result<(), ExecutionError> {
    let left = REMAINING.with(|remaining| {
        let left = remaining.get().checked_sub(units);
        remaining.set(left.unwrap_or(0));
        left
    });
    match left {
        Some(_) => Ok(()),
        None => {
            EXCEEDED.with(|exceeded| exceeded.set(true));
            Err(cost_error())
        }
    }
}

/// Charges for reading or writing `bytes` bytes.
pub(crate) fn charge_bytes(bytes: usize) -> Result<(), ExecutionError> {
    charge(1 + (bytes as u64) / 64)
}

/// The error of an evaluation that ran out of budget.
pub(crate) fn cost_error() -> ExecutionError {
    ExecutionError::function_error(
        "cost",
        format!("the expression exceeded its cost limit of {EXPRESSION_COST_LIMIT} units (comprehension steps and bytes processed)"),
    )
}

/// Fails when a built string or list would be longer than [`MAX_VALUE_SIZE`].
pub(crate) fn check_size(function: &str, size: usize) -> Result<(), ExecutionError> {
    if size > MAX_VALUE_SIZE {
        return Err(ExecutionError::function_error(
            function,
            format!("the result would hold {size} bytes or elements, more than the limit of {MAX_VALUE_SIZE}"),
        ));
    }
    charge_bytes(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_runs_out_and_says_so() {
        start(3);
        assert!(charge(2).is_ok());
        assert!(!exceeded());
        assert!(charge(2).is_err());
        assert!(exceeded());
        start(10);
        assert!(!exceeded(), "a new evaluation starts afresh");
        assert!(check_size("x", MAX_VALUE_SIZE + 1).is_err());
    }
}
