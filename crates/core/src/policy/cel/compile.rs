//! Compiling one CEL expression: bounded text, parsed by cel-rust, checked
//! against what kubeward supports (positioned errors), and rewritten so that
//! evaluation is metered (see [`super::cost`]).

use cel::common::ast::{operators, CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedExpr, SourceInfo};

use super::cost;
use super::library::{self, CHARGED, ITEM, JOIN, NAMESPACES, REPLACE, SIZED, TYPE_NAMES};

/// Longest expression accepted, in bytes.
pub(crate) const MAX_EXPRESSION_BYTES: usize = 16 * 1024;

/// Most operator characters (`.`, `[`, `(`, `+`, `<`, `!`, `?`, ...; not `&&`
/// and `||`, whose chains the parser balances) one expression may hold. Each
/// can add a level to the parse tree, and the parser recurses once per level:
/// the bound keeps parsing within a small thread's stack, whatever the
/// expression's shape.
pub(crate) const MAX_OPERATORS: usize = 250;

/// Deepest expression tree evaluated (counting the levels the compiler adds
/// for metering). cel-rust's interpreter recurses once per level with a large
/// frame; real expressions stay well under 30 levels.
pub(crate) const MAX_DEPTH: usize = 48;

/// What an expression may refer to besides CEL's own names.
#[derive(Debug, Clone, Default)]
pub(crate) struct Declared<'a> {
    /// `params` is declared (the policy has a `paramKind`).
    pub params: bool,
    /// `variables.NAME` for each of these names.
    pub variables: &'a [String],
    /// `variables` is declared at all (validations, messages, audit annotations).
    pub has_variables: bool,
}

/// A compiled expression.
#[derive(Debug)]
pub(crate) struct Compiled {
    /// The expression as evaluated (macros expanded, metered).
    pub program: IdedExpr,
    /// The text.
    pub text: String,
    /// The names of the variables it reads (`variables.NAME`), in order of first use.
    pub variables: Vec<String>,
}

/// Why an expression does not compile, and where (a byte offset in its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CompileError {
    pub message: String,
    pub offset: usize,
}

impl CompileError {
    fn new(message: impl Into<String>, offset: usize) -> Self {
        CompileError { message: message.into(), offset }
    }
}

/// The byte offset of character `index` of `text`.
pub(crate) fn byte_offset(text: &str, index: usize) -> usize {
    text.char_indices().nth(index).map_or(text.len(), |(at, _)| at)
}

/// Counts the operator characters outside string literals, and stops at the
/// first one past the limit.
fn too_many_operators(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte == b'"' || byte == b'\'' {
            let triple = bytes.get(at..at + 3).is_some_and(|next| next.iter().all(|&b| b == byte));
            let quote_len = if triple { 3 } else { 1 };
            at += quote_len;
            while at < bytes.len() {
                if bytes[at] == b'\\' {
                    at += 2;
                    continue;
                }
                if bytes[at] == byte
                    && (!triple || bytes.get(at..at + 3).is_some_and(|next| next.iter().all(|&b| b == byte)))
                {
                    at += quote_len;
                    break;
                }
                at += 1;
            }
            continue;
        }
        if b".[({!-+*/%<>=?".contains(&byte) {
            count += 1;
            if count > MAX_OPERATORS {
                return Some(at);
            }
        }
        at += 1;
    }
    None
}

/// Compiles `text`.
pub(crate) fn compile(text: &str, declared: &Declared<'_>) -> Result<Compiled, CompileError> {
    if text.len() > MAX_EXPRESSION_BYTES {
        return Err(CompileError::new(
            format!("the expression is {} bytes, longer than the limit of {MAX_EXPRESSION_BYTES}", text.len()),
            0,
        ));
    }
    if let Some(at) = too_many_operators(text) {
        return Err(CompileError::new(
            format!("the expression has more than {MAX_OPERATORS} operators; split it into variables"),
            at,
        ));
    }
    let env = library::environment();
    let (written, offsets) = env.parser().parse_with_source_info(text).map_err(|errors| {
        let first = errors.errors.first();
        let message = first.map_or_else(|| "syntax error".to_string(), |error| error.msg.clone());
        let offset = first.map_or(0, |error| line_column_offset(text, error.pos));
        CompileError::new(format!("syntax error: {message}"), offset)
    })?;
    let mut checker = Checker { declared, offsets: &offsets, text, variables: Vec::new(), scope: Vec::new() };
    checker.check(&written)?;
    let variables = checker.variables;
    let mut next_id = max_id(&written) + 1;
    let program = rewrite(written, &mut next_id);
    if depth(&program, 0) > MAX_DEPTH {
        return Err(CompileError::new(
            format!("the expression nests more than {MAX_DEPTH} levels deep; split it into variables"),
            0,
        ));
    }
    Ok(Compiled { program, text: text.to_string(), variables })
}

/// The byte offset of a parse error's (line, column): lines from 1, columns
/// in characters from 0.
fn line_column_offset(text: &str, (line, column): (isize, isize)) -> usize {
    let line = line.max(1) as usize;
    let start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
    let rest = text.get(start..).unwrap_or_default();
    start + byte_offset(rest, column.max(0) as usize)
}

/// The depth of `expr`'s tree below `above` levels, counted up to just past [`MAX_DEPTH`].
fn depth(expr: &IdedExpr, above: usize) -> usize {
    let here = above + 1;
    if here > MAX_DEPTH {
        return here;
    }
    let mut deepest = here;
    children(expr, &mut |child| deepest = deepest.max(depth(child, here)));
    deepest
}

fn max_id(expr: &IdedExpr) -> u64 {
    let mut max = expr.id;
    children(expr, &mut |child| max = max.max(max_id(child)));
    max
}

/// Calls `f` on each direct sub-expression.
pub(crate) fn children<'e>(expr: &'e IdedExpr, f: &mut dyn FnMut(&'e IdedExpr)) {
    match &expr.expr {
        Expr::Call(call) => {
            if let Some(target) = &call.target {
                f(target);
            }
            call.args.iter().for_each(f);
        }
        Expr::Select(select) => f(&select.operand),
        Expr::List(list) => list.elements.iter().for_each(f),
        Expr::Map(map) => {
            for entry in &map.entries {
                match &entry.expr {
                    EntryExpr::MapEntry(entry) => {
                        f(&entry.key);
                        f(&entry.value);
                    }
                    EntryExpr::StructField(field) => f(&field.value),
                }
            }
        }
        Expr::Struct(object) => {
            for entry in &object.entries {
                if let EntryExpr::StructField(field) = &entry.expr {
                    f(&field.value);
                }
            }
        }
        Expr::Comprehension(comprehension) => {
            f(&comprehension.iter_range);
            f(&comprehension.accu_init);
            f(&comprehension.loop_cond);
            f(&comprehension.loop_step);
            f(&comprehension.result);
        }
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}

/// Is `name` an operator (`_+_`, `!_`, `@in`) rather than a function?
pub(crate) fn is_operator(name: &str) -> bool {
    name.starts_with('_') || name.starts_with('@') || name == operators::LOGICAL_NOT || name == operators::NEGATE
}

/// The qualified name a call spells when its target is a namespace
/// (`optional.of(x)`), unless a bound variable has the namespace's name.
fn qualified_name(call: &CallExpr, scope: &[String]) -> Option<String> {
    match call.target.as_deref().map(|target| &target.expr) {
        Some(Expr::Ident(namespace)) if NAMESPACES.contains(&namespace.as_str()) && !scope.contains(namespace) => {
            Some(format!("{namespace}.{}", call.func_name))
        }
        _ => None,
    }
}

struct Checker<'a> {
    declared: &'a Declared<'a>,
    offsets: &'a SourceInfo,
    text: &'a str,
    variables: Vec<String>,
    scope: Vec<String>,
}

impl Checker<'_> {
    fn at(&self, expr: &IdedExpr) -> usize {
        self.offsets.offset_for(expr.id).map_or(0, |(start, _)| byte_offset(self.text, start as usize))
    }

    fn error(&self, expr: &IdedExpr, message: impl Into<String>) -> CompileError {
        CompileError::new(message, self.at(expr))
    }

    fn check(&mut self, expr: &IdedExpr) -> Result<(), CompileError> {
        match &expr.expr {
            Expr::Ident(name) => self.check_ident(expr, name),
            Expr::Select(select) => {
                if let Expr::Ident(root) = &select.operand.expr {
                    if root == "variables" && !self.scope.contains(root) && self.declared.has_variables {
                        if !self.declared.variables.contains(&select.field) {
                            return Err(self.error(
                                expr,
                                format!(
                                    "undeclared variable `variables.{}` (a variable can use those declared before it)",
                                    select.field
                                ),
                            ));
                        }
                        if !self.variables.contains(&select.field) {
                            self.variables.push(select.field.clone());
                        }
                        return Ok(());
                    }
                }
                self.check(&select.operand)
            }
            Expr::Call(call) => self.check_call(expr, call),
            Expr::Comprehension(comprehension) => {
                self.check(&comprehension.iter_range)?;
                self.check(&comprehension.accu_init)?;
                let depth = self.scope.len();
                self.scope.push(comprehension.accu_var.clone());
                self.scope.push(comprehension.iter_var.clone());
                if let Some(second) = &comprehension.iter_var2 {
                    self.scope.push(second.clone());
                }
                let checked = self
                    .check(&comprehension.loop_cond)
                    .and_then(|()| self.check(&comprehension.loop_step))
                    .and_then(|()| self.check(&comprehension.result));
                self.scope.truncate(depth);
                checked
            }
            Expr::Struct(object) => {
                Err(self.error(expr, format!("message literals (`{}{{...}}`) are not supported", object.type_name)))
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    match &entry.expr {
                        EntryExpr::MapEntry(entry) => {
                            self.check(&entry.key)?;
                            self.check(&entry.value)?;
                        }
                        EntryExpr::StructField(_) => return Err(self.error(expr, "message literals are not supported")),
                    }
                }
                Ok(())
            }
            Expr::List(list) => list.elements.iter().try_for_each(|element| self.check(element)),
            Expr::Literal(_) => Ok(()),
            Expr::Unspecified => Err(self.error(expr, "incomplete expression")),
        }
    }

    fn check_ident(&mut self, expr: &IdedExpr, name: &str) -> Result<(), CompileError> {
        if self.scope.iter().any(|bound| bound == name) || name.starts_with(['@', '#']) || name.starts_with("__") {
            return Ok(());
        }
        match name {
            "object" | "oldObject" | "request" | "namespaceObject" => Ok(()),
            "params" if self.declared.params => Ok(()),
            "params" => Err(self.error(expr, "`params` is used, but the policy has no `paramKind`")),
            "variables" if self.declared.has_variables => Ok(()),
            "authorizer" => Err(self.error(
                expr,
                "`authorizer` is not supported: kubeward evaluates policies offline, with no API server to ask",
            )),
            _ if TYPE_NAMES.contains(&name) => Ok(()),
            _ => Err(self.error(expr, format!("undeclared reference to `{name}`"))),
        }
    }

    fn check_call(&mut self, expr: &IdedExpr, call: &CallExpr) -> Result<(), CompileError> {
        if let Some(name) = qualified_name(call, &self.scope) {
            if !library::is_supported(&name, false) {
                return Err(self.error(expr, format!("function `{name}` is not supported")));
            }
            return call.args.iter().try_for_each(|arg| self.check(arg));
        }
        // `lists.range(3)`: a call on an unknown name is a qualified function kubeward lacks.
        if let Some(Expr::Ident(namespace)) = call.target.as_deref().map(|target| &target.expr) {
            let known = self.scope.contains(namespace)
                || matches!(
                    namespace.as_str(),
                    "object" | "oldObject" | "request" | "namespaceObject" | "params" | "variables" | "authorizer"
                )
                || TYPE_NAMES.contains(&namespace.as_str());
            if !known {
                return Err(self.error(expr, format!("function `{namespace}.{}()` is not supported", call.func_name)));
            }
        }
        // Operands first: an unsupported name inside (`authorizer`) says more than the call on it.
        if let Some(target) = &call.target {
            self.check(target)?;
        }
        call.args.iter().try_for_each(|arg| self.check(arg))?;
        if !is_operator(&call.func_name) {
            let member = call.target.is_some();
            if !library::is_supported(&call.func_name, member) {
                let how = if member { format!(".{}()", call.func_name) } else { format!("{}()", call.func_name) };
                let mut error = self.error(expr, format!("function `{how}` is not supported"));
                // A call is placed at its `(`: the name before it is what to point at.
                if self.text.get(..error.offset).is_some_and(|before| before.ends_with(call.func_name.as_str())) {
                    error.offset -= call.func_name.len();
                }
                return Err(error);
            }
            self.check_pattern(call)?;
        }
        Ok(())
    }

    /// A constant pattern of `matches`, `find` or `findAll` must compile.
    fn check_pattern(&self, call: &CallExpr) -> Result<(), CompileError> {
        if !matches!(call.func_name.as_str(), "matches" | "find" | "findAll") {
            return Ok(());
        }
        let pattern = if call.target.is_some() { call.args.first() } else { call.args.get(1) };
        if let Some(pattern @ IdedExpr { expr: Expr::Literal(cel::common::ast::LiteralValue::String(text)), .. }) =
            pattern
        {
            library::compile_regex(text.inner()).map_err(|message| self.error(pattern, message))?;
        }
        Ok(())
    }
}

fn fresh(next_id: &mut u64, expr: Expr) -> IdedExpr {
    let id = *next_id;
    *next_id += 1;
    IdedExpr { id, expr }
}

fn wrap(function: &str, inner: IdedExpr, next_id: &mut u64) -> IdedExpr {
    fresh(next_id, Expr::Call(CallExpr { func_name: function.to_string(), target: None, args: vec![inner] }))
}

/// The parts of a `map`/`filter` step cel-rust runs in place: `accu + [item]`,
/// or `guard ? accu + [item] : accu`, with a literal loop condition.
fn is_append_step(comprehension: &ComprehensionExpr) -> bool {
    let accu = comprehension.accu_var.as_str();
    let is_accu = |e: &IdedExpr| matches!(&e.expr, Expr::Ident(name) if name == accu);
    let appends = |e: &IdedExpr| match &e.expr {
        Expr::Call(call) if call.func_name == operators::ADD && call.target.is_none() => {
            matches!(call.args.as_slice(), [lhs, rhs] if is_accu(lhs) && matches!(rhs.expr, Expr::List(_)))
        }
        _ => false,
    };
    if !is_accu(&comprehension.result) || !matches!(comprehension.loop_cond.expr, Expr::Literal(_)) {
        return false;
    }
    match &comprehension.loop_step.expr {
        Expr::Call(call) if call.func_name == operators::CONDITIONAL && call.target.is_none() => {
            matches!(call.args.as_slice(), [_, step, otherwise] if is_accu(otherwise) && appends(step))
        }
        _ => appends(&comprehension.loop_step),
    }
}

/// Rewrites an appending step: each appended item is sized (and so ticked),
/// and a guard is ticked; the shape cel-rust recognizes is kept.
fn rewrite_append_step(step: IdedExpr, next_id: &mut u64) -> IdedExpr {
    let IdedExpr { id, expr } = step;
    let Expr::Call(mut call) = expr else { return IdedExpr { id, expr } };
    if call.func_name == operators::CONDITIONAL {
        let mut args = std::mem::take(&mut call.args).into_iter();
        if let (Some(guard), Some(append), Some(otherwise)) = (args.next(), args.next(), args.next()) {
            let guard = wrap(cost::TICK, rewrite(guard, next_id), next_id);
            call.args = vec![guard, rewrite_append_step(append, next_id), otherwise];
        }
        return IdedExpr { id, expr: Expr::Call(call) };
    }
    if let Some(IdedExpr { expr: Expr::List(list), .. }) = call.args.get_mut(1) {
        let items = std::mem::take(&mut list.elements);
        list.elements = items.into_iter().map(|item| wrap(ITEM, rewrite(item, next_id), next_id)).collect();
    }
    IdedExpr { id, expr: Expr::Call(call) }
}

/// The metered program of an expression.
fn rewrite(expr: IdedExpr, next_id: &mut u64) -> IdedExpr {
    let IdedExpr { id, expr } = expr;
    match expr {
        Expr::Call(mut call) => {
            call.target = call.target.map(|target| Box::new(rewrite(*target, next_id)));
            call.args = call.args.into_iter().map(|arg| rewrite(arg, next_id)).collect();
            if call.func_name == operators::ADD && call.target.is_none() {
                call.func_name = cost::ADD.to_string();
                return IdedExpr { id, expr: Expr::Call(call) };
            }
            if is_operator(&call.func_name) {
                return IdedExpr { id, expr: Expr::Call(call) };
            }
            if call.target.is_some() {
                match call.func_name.as_str() {
                    "replace" => call.func_name = REPLACE.to_string(),
                    "join" => call.func_name = JOIN.to_string(),
                    _ => {}
                }
            }
            wrap(SIZED, IdedExpr { id, expr: Expr::Call(call) }, next_id)
        }
        Expr::Comprehension(comprehension) => {
            let mut comprehension = *comprehension;
            let append = is_append_step(&comprehension);
            comprehension.iter_range = wrap(CHARGED, rewrite(comprehension.iter_range, next_id), next_id);
            comprehension.accu_init = rewrite(comprehension.accu_init, next_id);
            comprehension.result = rewrite(comprehension.result, next_id);
            if append {
                comprehension.loop_step = rewrite_append_step(comprehension.loop_step, next_id);
            } else {
                comprehension.loop_cond = wrap(cost::TICK, rewrite(comprehension.loop_cond, next_id), next_id);
                comprehension.loop_step = rewrite(comprehension.loop_step, next_id);
            }
            wrap(SIZED, IdedExpr { id, expr: Expr::Comprehension(Box::new(comprehension)) }, next_id)
        }
        Expr::Select(mut select) => {
            select.operand = Box::new(rewrite(*select.operand, next_id));
            IdedExpr { id, expr: Expr::Select(select) }
        }
        Expr::List(mut list) => {
            list.elements = list.elements.into_iter().map(|element| rewrite(element, next_id)).collect();
            IdedExpr { id, expr: Expr::List(list) }
        }
        Expr::Map(mut map) => {
            for entry in &mut map.entries {
                if let EntryExpr::MapEntry(entry) = &mut entry.expr {
                    entry.key = rewrite(std::mem::take(&mut entry.key), next_id);
                    entry.value = rewrite(std::mem::take(&mut entry.value), next_id);
                }
            }
            IdedExpr { id, expr: Expr::Map(map) }
        }
        other => IdedExpr { id, expr: other },
    }
}
