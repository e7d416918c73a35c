//! The CEL environment policies are compiled in: cel-rust's standard library
//! (with optional types) and strings extension, the Kubernetes libraries
//! written here, and the compiler's own functions.

mod core;
mod lists;
mod net;
mod quantity;
mod regex;
mod semver;
mod support;
mod url;

use std::sync::{Arc, OnceLock};

use cel::common::ast::{ComprehensionExpr, Expr, IdedExpr, ListExpr, LiteralValue};
use cel::parser::{Macro, MacroExprHelper};
use cel::{Env, ParseError};

pub(crate) use self::core::{size_of, CHARGED, ITEM, JOIN, REPLACE, SIZED};
pub(crate) use self::regex::compile as compile_regex;

/// Every function an expression may call, by the name it is written with
/// (`optional.of`, `sets.contains`), and whether it is called on a receiver
/// (`x.f()`) or not (`f(x)`). Anything else is refused when a policy loads.
pub(crate) const FUNCTIONS: &[(&str, Style)] = &[
    // The standard library.
    ("size", Style::Both),
    ("contains", Style::Member),
    ("startsWith", Style::Member),
    ("endsWith", Style::Member),
    ("matches", Style::Both),
    ("int", Style::Global),
    ("uint", Style::Global),
    ("double", Style::Global),
    ("string", Style::Global),
    ("bytes", Style::Global),
    ("bool", Style::Global),
    ("type", Style::Global),
    ("dyn", Style::Global),
    // Optional values.
    ("optional.of", Style::Global),
    ("optional.ofNonZeroValue", Style::Global),
    ("optional.none", Style::Global),
    ("hasValue", Style::Member),
    ("value", Style::Member),
    ("or", Style::Member),
    ("orValue", Style::Member),
    // The strings extension.
    ("charAt", Style::Member),
    ("indexOf", Style::Member),
    ("lastIndexOf", Style::Member),
    ("lowerAscii", Style::Member),
    ("upperAscii", Style::Member),
    ("replace", Style::Member),
    ("split", Style::Member),
    ("substring", Style::Member),
    ("trim", Style::Member),
    ("join", Style::Member),
    ("reverse", Style::Member),
    ("strings.quote", Style::Global),
    // Kubernetes: lists and sets.
    ("isSorted", Style::Member),
    ("sum", Style::Member),
    ("min", Style::Member),
    ("max", Style::Member),
    ("sets.contains", Style::Global),
    ("sets.equivalent", Style::Global),
    ("sets.intersects", Style::Global),
    // Kubernetes: regular expressions.
    ("find", Style::Member),
    ("findAll", Style::Member),
    // Kubernetes: URLs.
    ("url", Style::Global),
    ("isURL", Style::Global),
    ("getScheme", Style::Member),
    ("getHost", Style::Member),
    ("getHostname", Style::Member),
    ("getPort", Style::Member),
    ("getEscapedPath", Style::Member),
    ("getQuery", Style::Member),
    // Kubernetes: quantities.
    ("quantity", Style::Global),
    ("isQuantity", Style::Global),
    ("sign", Style::Member),
    ("isGreaterThan", Style::Member),
    ("isLessThan", Style::Member),
    ("compareTo", Style::Member),
    ("add", Style::Member),
    ("sub", Style::Member),
    ("asInteger", Style::Member),
    ("isInteger", Style::Member),
    ("asApproximateFloat", Style::Member),
    // Kubernetes: IP addresses and CIDRs.
    ("ip", Style::Both),
    ("isIP", Style::Global),
    ("ip.isCanonical", Style::Global),
    ("family", Style::Member),
    ("isUnspecified", Style::Member),
    ("isLoopback", Style::Member),
    ("isLinkLocalMulticast", Style::Member),
    ("isLinkLocalUnicast", Style::Member),
    ("isGlobalUnicast", Style::Member),
    ("cidr", Style::Global),
    ("isCIDR", Style::Global),
    ("containsIP", Style::Member),
    ("containsCIDR", Style::Member),
    ("masked", Style::Member),
    ("prefixLength", Style::Member),
    // Kubernetes: semantic versions.
    ("semver", Style::Global),
    ("isSemver", Style::Global),
    ("major", Style::Member),
    ("minor", Style::Member),
    ("patch", Style::Member),
];

/// How a function is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `f(x)`.
    Global,
    /// `x.f()`.
    Member,
    /// Either.
    Both,
}

/// Is `name` a function an expression may call in this `style`?
pub(crate) fn is_supported(name: &str, member: bool) -> bool {
    FUNCTIONS.iter().any(|&(known, style)| {
        known == name
            && match style {
                Style::Both => true,
                Style::Member => member,
                Style::Global => !member,
            }
    })
}

/// The namespaces of the qualified functions (`optional.of`): a call on one of
/// these names is a call to the qualified function.
pub(crate) const NAMESPACES: &[&str] = &["optional", "strings", "sets", "ip"];

/// The type names an expression may use as values (`type(x) == string`).
pub(crate) const TYPE_NAMES: &[&str] =
    &["bool", "bytes", "double", "int", "uint", "string", "list", "map", "null_type", "type", "dyn"];

/// The environment, built once per process (it holds only functions).
pub(crate) fn environment() -> Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| Arc::new(build().unwrap_or_else(|_| Env::stdlib()))).clone()
}

fn build() -> Result<Env, cel::DeclarationError> {
    let mut env = Env::stdlib();
    env.add_extension(cel::extensions::strings)?;
    core::register(&mut env)?;
    lists::register(&mut env)?;
    regex::register(&mut env)?;
    url::register(&mut env)?;
    quantity::register(&mut env)?;
    net::register(&mut env)?;
    semver::register(&mut env)?;
    env.add_macro(Macro::receiver("bind", 3, bind_macro))?;
    Ok(env)
}

/// `cel.bind(name, init, expression)`: `expression` with `name` bound to the
/// value of `init`, evaluated once. Declined on any receiver but `cel`.
fn bind_macro(
    helper: &mut MacroExprHelper<'_>,
    target: &mut Option<IdedExpr>,
    args: &mut Vec<IdedExpr>,
) -> Result<Option<IdedExpr>, ParseError> {
    if !matches!(target.as_ref().map(|t| &t.expr), Some(Expr::Ident(name)) if name == "cel") {
        return Ok(None);
    }
    let Some(Expr::Ident(name)) = args.first().map(|arg| arg.expr.clone()) else {
        let id = args.first().map_or(0, |arg| arg.id);
        return Err(helper.new_error(id, "cel.bind() variable name must be a simple identifier"));
    };
    let (Some(result), Some(init)) = (args.pop(), args.pop()) else {
        return Err(helper.new_error(0, "cel.bind() takes three arguments"));
    };
    let bind = ComprehensionExpr {
        iter_range: helper.next_expr(Expr::List(ListExpr::new(Vec::new()))),
        iter_var: "#unused".to_owned(),
        iter_var2: None,
        accu_var: name.clone(),
        accu_init: init,
        loop_cond: helper.next_expr(Expr::Literal(LiteralValue::Boolean(false.into()))),
        loop_step: helper.next_expr(Expr::Ident(name)),
        result,
    };
    Ok(Some(helper.next_expr(Expr::Comprehension(Box::new(bind)))))
}

#[cfg(test)]
mod tests;
