//! Where a failed validation points: the most specific field of the object
//! that the failing part of the expression read and that exists.
//!
//! The failing expression is walked from the top, guided by the values of its
//! parts: the false side of `&&`, the element an `all()` fails on (or the
//! element an `exists()` found, under a `!`), the branch a `?:` took; at a
//! comparison or call, the deepest field its operands read. Field reads
//! (`object.spec.x`, `c.image`, `x['k']`, `x.?y`, `variables.v` standing for a
//! field) are followed in the object as views, so a missing field lands on its
//! nearest existing ancestor. Anything else falls back to the object itself.

use cel::common::ast::{operators, ComprehensionExpr, Expr, IdedExpr, LiteralValue};
use cel::common::types::{CelInt, CelString, CelUInt};
use cel::common::value::Val;

use super::cel::cost;
use super::cel::library::{CHARGED, ITEM, SIZED};
use super::cel::Compiled;
use super::eval::{evaluate_expr, truth, Activation, Variables};
use crate::model::view::View;

/// Most sub-expressions one search evaluates again.
const MAX_EVALUATIONS: u32 = 1_000;

/// How deep into an expression a search goes (real expressions are shallow;
/// past this, the object itself is the answer).
const MAX_DEPTH: u32 = 48;

/// A name bound by a comprehension or `cel.bind`, with the field it is, if any.
struct Bound<'r, 'o> {
    name: String,
    value: Box<dyn Val + 'r>,
    view: Option<Found<'o>>,
}

/// A view and how many of its steps from the object exist.
type Found<'o> = (View<'o>, u32);

pub(crate) struct Locator<'r, 'o> {
    pub activation: &'r Activation<'r>,
    pub variables: &'r Variables<'r>,
    pub declared: &'r [(String, Compiled)],
    pub root: View<'o>,
    evaluations: std::cell::Cell<u32>,
    depth: std::cell::Cell<u32>,
}

/// Strips the compiler's metering wrappers.
fn unwrap(expr: &IdedExpr) -> &IdedExpr {
    match &expr.expr {
        Expr::Call(call)
            if call.target.is_none()
                && call.args.len() == 1
                && (call.func_name == SIZED
                    || call.func_name == CHARGED
                    || call.func_name == ITEM
                    || call.func_name == cost::TICK) =>
        {
            unwrap(&call.args[0])
        }
        _ => expr,
    }
}

/// `@result && P` (all) or `@result || P` (exists): the fold and `P`.
fn fold(comprehension: &ComprehensionExpr) -> Option<(bool, &IdedExpr)> {
    let Expr::Call(call) = &unwrap(&comprehension.loop_step).expr else { return None };
    let [accu, predicate] = call.args.as_slice() else { return None };
    if !matches!(&accu.expr, Expr::Ident(name) if *name == comprehension.accu_var) {
        return None;
    }
    match call.func_name.as_str() {
        operators::LOGICAL_AND => Some((true, predicate)),
        operators::LOGICAL_OR => Some((false, predicate)),
        _ => None,
    }
}

impl<'r, 'o> Locator<'r, 'o> {
    pub(crate) fn new(
        activation: &'r Activation<'r>,
        variables: &'r Variables<'r>,
        declared: &'r [(String, Compiled)],
        root: View<'o>,
    ) -> Self {
        Locator {
            activation,
            variables,
            declared,
            root,
            evaluations: std::cell::Cell::new(0),
            depth: std::cell::Cell::new(0),
        }
    }

    /// The view a false result of `expr` points at.
    pub(crate) fn failure(&self, expr: &IdedExpr) -> View<'o> {
        self.locate(expr, false, &[]).map_or_else(|| self.root.clone(), |(view, _)| view)
    }

    /// The view an error or a result of `expr` points at (no truth value to follow).
    pub(crate) fn reading(&self, expr: &IdedExpr) -> View<'o> {
        self.best_path(expr, &[]).map_or_else(|| self.root.clone(), |(view, _)| view)
    }

    fn evaluate(&self, expr: &IdedExpr, bound: &[Bound<'r, 'o>]) -> Option<Box<dyn Val + 'r>> {
        let count = self.evaluations.get() + 1;
        self.evaluations.set(count);
        if count > MAX_EVALUATIONS {
            return None;
        }
        let names: Vec<(&str, &(dyn Val + 'r))> = bound.iter().map(|b| (b.name.as_str(), b.value.as_ref())).collect();
        evaluate_expr(expr, self.activation, self.variables, &names).ok()
    }

    fn truth_of(&self, expr: &IdedExpr, bound: &[Bound<'r, 'o>]) -> Option<bool> {
        let value = self.evaluate(expr, bound)?;
        truth(&Ok(value)).ok()
    }

    fn variable(&self, name: &str) -> Option<&'r Compiled> {
        self.declared.iter().find(|(declared, _)| declared == name).map(|(_, compiled)| compiled)
    }

    /// Runs `f` one level deeper, unless the search is as deep as it goes.
    fn deeper<T>(&self, f: impl FnOnce() -> Option<T>) -> Option<T> {
        let depth = self.depth.get();
        if depth >= MAX_DEPTH {
            return None;
        }
        self.depth.set(depth + 1);
        let found = f();
        self.depth.set(depth);
        found
    }

    fn locate(&self, expr: &IdedExpr, want: bool, bound: &[Bound<'r, 'o>]) -> Option<Found<'o>> {
        self.deeper(|| self.locate_here(expr, want, bound))
    }

    fn locate_here(&self, expr: &IdedExpr, want: bool, bound: &[Bound<'r, 'o>]) -> Option<Found<'o>> {
        let expr = unwrap(expr);
        match &expr.expr {
            Expr::Call(call) if call.target.is_none() => match (call.func_name.as_str(), call.args.as_slice()) {
                (operators::LOGICAL_AND, [a, b]) if !want => {
                    if self.truth_of(a, bound) == Some(false) {
                        self.locate(a, false, bound)
                    } else {
                        self.locate(b, false, bound)
                    }
                }
                (operators::LOGICAL_OR, [a, b]) if want => {
                    if self.truth_of(a, bound) == Some(true) {
                        self.locate(a, true, bound)
                    } else {
                        self.locate(b, true, bound)
                    }
                }
                (operators::LOGICAL_AND | operators::LOGICAL_OR, [a, b]) => {
                    self.locate(b, want, bound).or_else(|| self.locate(a, want, bound))
                }
                (operators::LOGICAL_NOT, [a]) => self.locate(a, !want, bound),
                (operators::CONDITIONAL, [condition, yes, no]) => match self.truth_of(condition, bound) {
                    Some(true) => self.locate(yes, want, bound),
                    Some(false) => self.locate(no, want, bound),
                    None => self.locate(condition, want, bound),
                },
                _ => self.best_path(expr, bound),
            },
            Expr::Comprehension(comprehension) => self.locate_comprehension(comprehension, want, bound),
            Expr::Select(select) if !select.test => {
                if let Expr::Ident(root) = &unwrap(&select.operand).expr {
                    if root == "variables" && !bound.iter().any(|b| b.name == *root) {
                        let compiled = self.variable(&select.field)?;
                        return self.locate(&compiled.program, want, &[]);
                    }
                }
                self.best_path(expr, bound)
            }
            _ => self.best_path(expr, bound),
        }
    }

    fn locate_comprehension(
        &self,
        comprehension: &ComprehensionExpr,
        want: bool,
        bound: &[Bound<'r, 'o>],
    ) -> Option<Found<'o>> {
        let range = unwrap(&comprehension.iter_range);
        // `cel.bind(name, init, result)`: no range, the accumulator is the name.
        if matches!(&range.expr, Expr::List(list) if list.elements.is_empty()) {
            let value = self.evaluate(&comprehension.accu_init, bound)?;
            let view = self.path_of(&comprehension.accu_init, bound);
            let mut inner: Vec<Bound<'r, 'o>> = bound.iter().map(|b| self.copy(b)).collect();
            inner.push(Bound { name: comprehension.accu_var.clone(), value, view });
            return self.locate(&comprehension.result, want, &inner);
        }
        let range_found = self.path_of(range, bound);
        let Some((is_all, predicate)) = fold(comprehension) else { return range_found };
        // all() false: the first element whose predicate is not true; !exists() (exists true): the first that is.
        let seek = match (is_all, want) {
            (true, false) => false,
            (false, true) => true,
            _ => return range_found,
        };
        let values = self.evaluate(range, bound)?;
        let iterable = values.as_iterable()?;
        let is_map = values.get_type().name() == "map";
        let mut items = iterable.iter();
        let mut index = 0usize;
        while let Some(item) = items.next() {
            let key = if is_map { item.downcast_ref::<CelString>().map(CelString::inner) } else { None };
            let element_view = self.element(range, index, key, bound);
            let mut inner: Vec<Bound<'r, 'o>> = bound.iter().map(|b| self.copy(b)).collect();
            inner.push(Bound {
                name: comprehension.iter_var.clone(),
                value: item.clone_as_boxed(),
                view: element_view.clone(),
            });
            let holds = self.truth_of(predicate, &inner);
            if holds == Some(seek) {
                return self.locate(predicate, seek, &inner).filter(|(_, depth)| *depth > 0).or(element_view);
            }
            index += 1;
        }
        range_found
    }

    /// The field of element `index` (or entry `key`) of the list (or map) `range`
    /// evaluates to, following concatenations (`a + b`) and variables.
    fn element(&self, range: &IdedExpr, index: usize, key: Option<&str>, bound: &[Bound<'r, 'o>]) -> Option<Found<'o>> {
        self.deeper(|| {
            let range = unwrap(range);
            match &range.expr {
                Expr::Call(call) if call.target.is_none() && (call.func_name == cost::ADD || call.func_name == operators::ADD) => {
                    let [first, second] = call.args.as_slice() else { return None };
                    let length = self.evaluate(first, bound)?.as_sizer().map(|sizer| *sizer.size().inner() as usize)?;
                    if index < length {
                        self.element(first, index, key, bound)
                    } else {
                        self.element(second, index - length, key, bound)
                    }
                }
                Expr::Select(select) if matches!(&unwrap(&select.operand).expr, Expr::Ident(root) if root == "variables") => {
                    let compiled = self.variable(&select.field)?;
                    self.element(&compiled.program, index, key, &[])
                }
                _ => {
                    let (view, depth) = self.path_of(range, bound)?;
                    let child = match key {
                        Some(key) => view.get(key),
                        None => view.item(index),
                    };
                    let depth = if child.exists() { depth + 1 } else { depth };
                    Some((child, depth))
                }
            }
        })
    }

    fn copy(&self, bound: &Bound<'r, 'o>) -> Bound<'r, 'o> {
        Bound { name: bound.name.clone(), value: bound.value.clone_as_boxed(), view: bound.view.clone() }
    }

    /// The deepest field any field read within `expr` reaches (comprehension
    /// bodies left aside).
    fn best_path(&self, expr: &IdedExpr, bound: &[Bound<'r, 'o>]) -> Option<Found<'o>> {
        self.deeper(|| self.best_path_here(expr, bound))
    }

    fn best_path_here(&self, expr: &IdedExpr, bound: &[Bound<'r, 'o>]) -> Option<Found<'o>> {
        let expr = unwrap(expr);
        let mut best = self.path_of(expr, bound);
        if !matches!(expr.expr, Expr::Comprehension(_)) {
            super::cel::compile::children(expr, &mut |child| {
                if let Some(found) = self.best_path(child, bound) {
                    if best.as_ref().is_none_or(|(_, depth)| found.1 > *depth) {
                        best = Some(found);
                    }
                }
            });
        } else if let Expr::Comprehension(comprehension) = &expr.expr {
            best = self.path_of(unwrap(&comprehension.iter_range), bound);
        }
        best
    }

    /// The field `expr` reads, when it is a field read.
    fn path_of(&self, expr: &IdedExpr, bound: &[Bound<'r, 'o>]) -> Option<Found<'o>> {
        self.deeper(|| self.path_of_here(expr, bound))
    }

    fn path_of_here(&self, expr: &IdedExpr, bound: &[Bound<'r, 'o>]) -> Option<Found<'o>> {
        let expr = unwrap(expr);
        match &expr.expr {
            Expr::Ident(name) => {
                if let Some(b) = bound.iter().rev().find(|b| b.name == *name) {
                    return b.view.clone();
                }
                (name == "object").then(|| (self.root.clone(), 0))
            }
            Expr::Select(select) => {
                if let Expr::Ident(root) = &unwrap(&select.operand).expr {
                    if root == "variables" && !bound.iter().any(|b| b.name == *root) {
                        let compiled = self.variable(&select.field)?;
                        return self.path_of(&compiled.program, &[]);
                    }
                }
                let (view, depth) = self.path_of(&select.operand, bound)?;
                Some(step(view, depth, &select.field))
            }
            Expr::Call(call) => match (call.func_name.as_str(), call.target.as_deref(), call.args.as_slice()) {
                (operators::CONDITIONAL, None, [condition, yes, no]) => match self.truth_of(condition, bound)? {
                    true => self.path_of(yes, bound),
                    false => self.path_of(no, bound),
                },
                (operators::INDEX | operators::OPT_INDEX, None, [operand, index]) => {
                    let (view, depth) = self.path_of(operand, bound)?;
                    let index = self.evaluate(index, bound)?;
                    if let Some(key) = index.downcast_ref::<CelString>() {
                        return Some(step(view, depth, key.inner()));
                    }
                    let position = index
                        .downcast_ref::<CelInt>()
                        .map(|i| *i.inner())
                        .or_else(|| index.downcast_ref::<CelUInt>().map(|u| *u.inner() as i64))?;
                    let child = view.item(usize::try_from(position).ok()?);
                    let depth = if child.exists() { depth + 1 } else { depth };
                    Some((child, depth))
                }
                (operators::OPT_SELECT, None, [operand, field]) => {
                    let (view, depth) = self.path_of(operand, bound)?;
                    let Expr::Literal(LiteralValue::String(field)) = &unwrap(field).expr else { return None };
                    Some(step(view, depth, field.inner()))
                }
                (_, Some(target), _) => self.path_of(target, bound),
                _ => None,
            },
            _ => None,
        }
    }
}

fn step<'o>(view: View<'o>, depth: u32, key: &str) -> Found<'o> {
    let child = view.get(key);
    let depth = if child.exists() { depth + 1 } else { depth };
    (child, depth)
}
