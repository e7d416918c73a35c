//! Evaluating compiled expressions against one object: the activation
//! (`object`, `oldObject`, `params`, `namespaceObject`, `request`), lazily
//! evaluated `variables`, and the cost meter around each evaluation.

use std::sync::Arc;

use cel::common::traits::Indexer;
use cel::common::types::{CelBool, CelList, CelMap, CelMapKey, CelNull, CelString, Type, MAP_TYPE};
use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;
use cel::{Context, ExecutionError, Value};

use super::cel::{cost, library, Compiled};

static NULL: CelNull = CelNull;

/// The values an expression's names stand for.
pub(crate) struct Activation<'a> {
    pub object: &'a (dyn Val + 'a),
    pub params: Option<&'a (dyn Val + 'a)>,
    pub namespace_object: Option<&'a (dyn Val + 'a)>,
    pub request: &'a (dyn Val + 'a),
}

impl VariableResolver for Activation<'_> {
    fn resolve<'b>(&'b self, name: &str) -> Option<CowVal<'b, 'b>> {
        let value: &'b (dyn Val + 'b) = match name {
            "object" => self.object,
            "oldObject" => &NULL,
            "params" => self.params.unwrap_or(&NULL),
            "namespaceObject" => self.namespace_object.unwrap_or(&NULL),
            "request" => self.request,
            _ => return None,
        };
        Some(CowVal::Borrowed(value))
    }
}

/// The result of one evaluation.
pub(crate) type Outcome<'r> = Result<Box<dyn Val + 'r>, ExecutionError>;

/// The `variables` of an evaluation: those evaluated so far.
#[derive(Debug, Clone)]
pub(crate) struct Variables<'r> {
    entries: Vec<(Arc<str>, Arc<Outcome<'r>>)>,
}

impl<'r> Variables<'r> {
    pub(crate) fn new() -> Self {
        Variables { entries: Vec::new() }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Arc<Outcome<'r>>> {
        self.entries.iter().find(|(seen, _)| &**seen == name).map(|(_, outcome)| outcome)
    }

    fn insert(&mut self, name: &str, outcome: Outcome<'r>) {
        self.entries.push((name.into(), Arc::new(outcome)));
    }
}

impl Val for Variables<'_> {
    fn get_type(&self) -> &Type {
        &MAP_TYPE
    }

    fn cel_type() -> &'static Type {
        &MAP_TYPE
    }

    fn as_indexer<'b, 'v>(&'b self) -> Option<&'b (dyn Indexer + 'v)>
    where
        Self: 'v,
    {
        Some(self)
    }

    fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v>
    where
        Self: 'v,
    {
        Box::new(self.clone())
    }
}

impl Indexer for Variables<'_> {
    fn get<'b, 'v>(&'b self, index: &dyn Val) -> Result<CowVal<'b, 'v>, ExecutionError>
    where
        Self: 'v,
    {
        let name = index.downcast_ref::<CelString>().map(CelString::inner).unwrap_or_default();
        match self.get(name).map(|outcome| &**outcome) {
            Some(Ok(value)) => Ok(CowVal::Borrowed(value.as_ref())),
            Some(Err(error)) => Err(error.clone()),
            None => Err(ExecutionError::no_such_key(name)),
        }
    }

    fn steal<'v>(self: Box<Self>, index: &dyn Val) -> Result<Box<dyn Val + 'v>, ExecutionError>
    where
        Self: 'v,
    {
        Indexer::get(&*self, index).map(CowVal::into_owned)
    }
}

/// Evaluates `expression` with the cost meter on.
pub(crate) fn evaluate<'r>(
    expression: &Compiled,
    activation: &'r Activation<'r>,
    variables: &Variables<'r>,
) -> Outcome<'r> {
    evaluate_expr(&expression.program, activation, variables, &[])
}

/// Evaluates a (sub-)expression with extra names bound, with the cost meter on.
pub(crate) fn evaluate_expr<'r>(
    expr: &cel::IdedExpr,
    activation: &'r Activation<'r>,
    variables: &Variables<'r>,
    bound: &[(&str, &(dyn Val + 'r))],
) -> Outcome<'r> {
    cost::start(cost::EXPRESSION_COST_LIMIT);
    let mut context: Context<'_, 'r> = Context::with_env(library::environment());
    context.set_variable_resolver(activation);
    context.add_variable_as_val("variables", Box::new(variables.clone()));
    for (name, value) in bound {
        context.add_variable_as_val(*name, value.clone_as_boxed());
    }
    let result = Value::resolve_val(expr, &context).map(CowVal::into_owned);
    if cost::exceeded() {
        return Err(cost::cost_error());
    }
    result
}

/// Evaluates, in order, the variables `needed` reads (and those they read) that
/// are not evaluated yet.
pub(crate) fn ensure_variables<'r>(
    declared: &[(String, Compiled)],
    needed: &[String],
    activation: &'r Activation<'r>,
    variables: &mut Variables<'r>,
) {
    let mut wanted = vec![false; declared.len()];
    let mut stack: Vec<&str> = needed.iter().map(String::as_str).collect();
    while let Some(name) = stack.pop() {
        if let Some(index) = declared.iter().position(|(declared, _)| declared == name) {
            if !wanted[index] {
                wanted[index] = true;
                stack.extend(declared[index].1.variables.iter().map(String::as_str));
            }
        }
    }
    for (index, (name, compiled)) in declared.iter().enumerate() {
        if wanted[index] && variables.get(name).is_none() {
            // A variable's value is bounded whole: variables built from variables
            // could otherwise nest copies without limit.
            let outcome = evaluate(compiled, activation, variables).and_then(|value| {
                cost::start(cost::EXPRESSION_COST_LIMIT);
                cost::check_size(name, library::size_of(value.as_ref(), cost::MAX_VALUE_SIZE)).map(|()| value)
            });
            variables.insert(name, outcome);
        }
    }
}

/// A value's truth, for a condition or validation: `Ok(bool)`, or an error for
/// anything but a bool.
pub(crate) fn truth(outcome: &Outcome<'_>) -> Result<bool, ExecutionError> {
    match outcome {
        Ok(value) => value.downcast_ref::<CelBool>().map(|b| *b.inner()).ok_or_else(|| {
            ExecutionError::function_error(
                "validation",
                format!("the expression is a {}, not a bool", value.get_type().name()),
            )
        }),
        Err(error) => Err(error.clone()),
    }
}

/// A map value from string keys.
pub(crate) fn map_of(entries: Vec<(&str, Box<dyn Val + 'static>)>) -> Box<dyn Val + 'static> {
    let map: std::collections::HashMap<CelMapKey<'static>, Box<dyn Val + 'static>> =
        entries.into_iter().map(|(key, value)| (CelMapKey::from(key.to_string()), value)).collect();
    Box::new(CelMap::from(map))
}

/// A string value.
pub(crate) fn string(text: &str) -> Box<dyn Val + 'static> {
    Box::new(CelString::from(text.to_string()))
}

/// The `request` of a CREATE of this object.
pub(crate) fn request(
    group: &str,
    version: &str,
    kind: &str,
    resource: &str,
    name: &str,
    namespace: &str,
) -> Box<dyn Val + 'static> {
    let group_version_kind =
        || map_of(vec![("group", string(group)), ("version", string(version)), ("kind", string(kind))]);
    let group_version_resource =
        || map_of(vec![("group", string(group)), ("version", string(version)), ("resource", string(resource))]);
    map_of(vec![
        ("uid", string("")),
        ("kind", group_version_kind()),
        ("resource", group_version_resource()),
        ("subResource", string("")),
        ("requestKind", group_version_kind()),
        ("requestResource", group_version_resource()),
        ("requestSubResource", string("")),
        ("name", string(name)),
        ("namespace", string(namespace)),
        ("operation", string("CREATE")),
        ("userInfo", map_of(Vec::new())),
        ("dryRun", Box::new(CelBool::from(false))),
        ("options", Box::new(CelNull)),
    ])
}

/// A list value.
#[allow(dead_code)]
pub(crate) fn list_of(items: Vec<Box<dyn Val + 'static>>) -> Box<dyn Val + 'static> {
    Box::new(CelList::from(items))
}
