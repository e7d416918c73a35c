//! The compiled policies of an engine, what a scan learns before the
//! per-object stage (the [`Scene`]), and the evaluation of one object.

use std::collections::HashMap;
use std::sync::Arc;

use ::cel::common::types::CelString;
use ::cel::common::value::Val;
use ::cel::ExecutionError;

use super::cel::{self, Compiled, Declared};
use super::document::{self, admission_kind, Action, Document, MatchResources, ParamRef};
use super::eval::{self, ensure_variables, evaluate, truth, Activation, Variables};
use super::locate::Locator;
use super::matching::{resource_of, CustomKinds, Request, Resource};
use super::value;
use super::Violation;
use crate::inventory::selector::Labels;
use crate::model::object::{identity, objects_of, Identity};
use crate::model::view::{ObjectTree, View};
use crate::yaml::{load_documents, NodeId, Tree};
use crate::{Limits, Severity};

/// A problem with a policy, at a byte offset of the file it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PolicyError {
    pub file: String,
    pub offset: u32,
    pub message: String,
}

/// A compiled validation.
#[derive(Debug)]
struct Validation {
    expression: Compiled,
    message: Option<String>,
    message_expression: Option<Compiled>,
}

/// A compiled policy.
#[derive(Debug)]
struct Policy {
    name: Arc<str>,
    /// Where its `metadata.name` is, in its file.
    name_at: u32,
    items: Arc<[String]>,
    param_kind: Option<(String, String)>,
    match_constraints: MatchResources,
    match_conditions: Vec<(String, Compiled)>,
    variables: Vec<(String, Compiled)>,
    validations: Vec<Validation>,
    /// Compiled (so that errors show when loading); their values are audit
    /// annotations, which offline have nowhere to go.
    #[allow(dead_code)]
    audit_annotations: Vec<(String, Compiled)>,
    ignore_failures: bool,
    /// Read from the `--policy` files (not from the scanned input): applies as
    /// Deny when no binding names it.
    from_config: bool,
}

/// An object kept to be used as a policy's parameters, or as a namespace.
pub(crate) struct Kept {
    api_version: String,
    kind: String,
    namespace: Option<String>,
    name: String,
    labels: Labels,
    value: Box<dyn Val>,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}/{}", self.kind, self.namespace.as_deref().unwrap_or(""), self.name)
    }
}

/// The policies of an engine, compiled.
#[derive(Debug, Default)]
pub(crate) struct PolicySet {
    policies: Vec<Policy>,
    bindings: Vec<document::BindingDocument>,
    params: Vec<Kept>,
}

/// What a scan learns of its whole input before the per-object stage: the
/// namespaces (labels and objects), the CustomResourceDefinitions' resources,
/// the objects that may be parameters, and the policies of the input.
#[derive(Debug, Default)]
pub(crate) struct Scene {
    namespaces: HashMap<String, Kept>,
    custom_kinds: CustomKinds,
    params: Vec<Kept>,
    input_policies: Option<PolicySet>,
}

/// One object to evaluate.
pub(crate) struct Subject<'t> {
    pub tree: &'t Tree,
    pub node: NodeId,
    /// The object's JSON Pointer in its document (`""`, or `/items/N`).
    pub pointer: &'t str,
    pub span: (u32, u32),
    pub identity: &'t Identity,
}

fn labels_of(tree: &Tree, node: NodeId) -> Labels {
    let Some(labels) = tree.get(node, "metadata").and_then(|m| tree.get(m.value, "labels")) else {
        return Labels::new();
    };
    tree.entries(labels.value)
        .filter_map(|entry| Some((tree.as_str(entry.key)?.to_string(), tree.as_str(entry.value)?.to_string())))
        .collect()
}

fn keep(tree: &Tree, node: NodeId, identity: &Identity) -> Option<Kept> {
    Some(Kept {
        api_version: identity.api_version.clone(),
        kind: identity.kind.clone(),
        namespace: identity.namespace.clone(),
        name: identity.name.clone()?,
        labels: labels_of(tree, node),
        value: value::owned(tree, node).ok()?,
    })
}

fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

/// The severity of a binding's actions: Deny high, Warn medium, Audit low.
fn severity_of(actions: &[Action]) -> Severity {
    match actions.iter().max() {
        Some(Action::Deny) | None => Severity::High,
        Some(Action::Warn) => Severity::Medium,
        Some(Action::Audit) => Severity::Low,
    }
}

/// The file offset of character `index` of an expression written as the YAML
/// scalar `raw`: the expression's characters are found in order in the
/// scalar's text (whitespace matching any whitespace, since folding and
/// indentation change it).
fn offset_in_scalar(raw: &str, expression: &str, index: usize) -> usize {
    let raw_chars: Vec<(usize, char)> = raw.char_indices().collect();
    let mut cursor = 0;
    let mut last = 0;
    for (position, wanted) in expression.chars().enumerate() {
        let found =
            raw_chars[cursor..].iter().position(|&(_, c)| c == wanted || (wanted.is_whitespace() && c.is_whitespace()));
        let Some(found) = found else { return last };
        cursor += found;
        last = raw_chars[cursor].0;
        if position == index {
            return last;
        }
        cursor += 1;
    }
    last
}

struct Loader<'a> {
    file: &'a str,
    bytes: &'a [u8],
}

impl Loader<'_> {
    fn error(&self, offset: u32, message: impl Into<String>) -> PolicyError {
        PolicyError { file: self.file.to_string(), offset, message: message.into() }
    }

    fn compile(
        &self,
        source: &document::Source,
        declared: &Declared<'_>,
        policy: &str,
    ) -> Result<Compiled, PolicyError> {
        cel::compile(&source.text, declared).map_err(|error| {
            let raw = self.bytes.get(source.span.0 as usize..source.span.1 as usize).unwrap_or_default();
            let raw = String::from_utf8_lossy(raw);
            let index = source.text.get(..error.offset).map_or(0, |before| before.chars().count());
            let offset = source.span.0 as usize + offset_in_scalar(&raw, &source.text, index);
            self.error(offset as u32, format!("policy `{policy}`: {}", error.message))
        })
    }

    fn policy(&self, document: document::PolicyDocument, from_config: bool) -> Result<Policy, PolicyError> {
        let params = document.param_kind.is_some();
        let name = document.name.as_str();
        let conditions = Declared { params, variables: &[], has_variables: false };
        let match_conditions = document
            .match_conditions
            .iter()
            .map(|named| Ok((named.name.clone(), self.compile(&named.expression, &conditions, name)?)))
            .collect::<Result<Vec<_>, PolicyError>>()?;
        let mut variables: Vec<(String, Compiled)> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for named in &document.variables {
            let declared = Declared { params, variables: &names, has_variables: true };
            variables.push((named.name.clone(), self.compile(&named.expression, &declared, name)?));
            names.push(named.name.clone());
        }
        let declared = Declared { params, variables: &names, has_variables: true };
        let mut validations = Vec::new();
        for validation in &document.validations {
            validations.push(Validation {
                expression: self.compile(&validation.expression, &declared, name)?,
                message: validation.message.clone(),
                message_expression: validation
                    .message_expression
                    .as_ref()
                    .map(|source| self.compile(source, &declared, name))
                    .transpose()?,
            });
        }
        let audit_annotations = document
            .audit_annotations
            .iter()
            .map(|named| Ok((named.name.clone(), self.compile(&named.expression, &declared, name)?)))
            .collect::<Result<Vec<_>, PolicyError>>()?;
        Ok(Policy {
            name: document.name.as_str().into(),
            name_at: document.name_at,
            items: document.items.into(),
            param_kind: document.param_kind,
            match_constraints: document.match_constraints,
            match_conditions,
            variables,
            validations,
            audit_annotations,
            ignore_failures: document.ignore_failures,
            from_config,
        })
    }
}

impl PolicySet {
    /// Reads and compiles the policies, bindings and parameter objects of
    /// `files`. Documents that are neither are kept as possible parameters.
    /// Every problem is returned, each with its file and offset; a policy or
    /// binding with a problem is left out.
    pub(crate) fn load(files: &[(&str, &[u8])], limits: &Limits, from_config: bool) -> (PolicySet, Vec<PolicyError>) {
        let mut set = PolicySet::default();
        let mut errors = Vec::new();
        // Bindings may come before their policy: checked once every file is read.
        let mut unresolved: Vec<(PolicyError, String)> = Vec::new();
        for &(file, bytes) in files {
            let loader = Loader { file, bytes };
            let documents = match load_documents(bytes, limits) {
                Ok(documents) => documents,
                Err(error) => {
                    errors.push(loader.error(error.offset, error.message));
                    continue;
                }
            };
            for document in documents {
                let tree = match document.tree {
                    Ok(tree) => tree,
                    Err(error) => {
                        errors.push(loader.error(error.offset, error.message));
                        continue;
                    }
                };
                for object in objects_of(&tree).unwrap_or_default() {
                    let identity = identity(&tree, object.node);
                    match admission_kind(&identity.api_version, &identity.kind) {
                        Some(is_policy) => match document::read(&tree, object.node, is_policy) {
                            Ok(Document::Policy(policy)) => {
                                let at = policy.name_at;
                                if set.policies.iter().any(|seen| *seen.name == policy.name) {
                                    errors
                                        .push(loader.error(at, format!("policy `{}` is declared twice", policy.name)));
                                    continue;
                                }
                                match loader.policy(*policy, from_config) {
                                    Ok(policy) => set.policies.push(policy),
                                    Err(error) => errors.push(error),
                                }
                            }
                            Ok(Document::Binding(binding)) => {
                                if from_config && !set.policies.iter().any(|policy| *policy.name == binding.policy_name)
                                {
                                    unresolved.push((
                                        loader.error(
                                            binding.policy_name_at,
                                            format!(
                                                "binding `{}` names policy `{}`, which no policy file declares",
                                                binding.name, binding.policy_name
                                            ),
                                        ),
                                        binding.policy_name.clone(),
                                    ));
                                }
                                set.bindings.push(*binding);
                            }
                            Err(error) => errors.push(loader.error(error.offset, error.message)),
                        },
                        None if !identity.kind.is_empty() => {
                            if let Some(kept) = keep(&tree, object.node, &identity) {
                                set.params.push(kept);
                            }
                        }
                        None => {}
                    }
                }
            }
        }
        for (error, policy) in unresolved {
            if !set.policies.iter().any(|seen| *seen.name == policy) {
                errors.push(error);
            }
        }
        (set, errors)
    }

    /// Each policy's name and checklist items.
    pub(crate) fn items(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.policies.iter().map(|policy| (&*policy.name, &policy.items[..]))
    }

    /// The names of the policies (the checks they become).
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.policies.iter().map(|policy| &*policy.name)
    }

    /// The (apiVersion, kind) of the parameters the policies take.
    pub(crate) fn param_kinds(&self) -> impl Iterator<Item = &(String, String)> {
        self.policies.iter().filter_map(|policy| policy.param_kind.as_ref())
    }
}

/// What matching learnt of the object, for its evaluation.
#[derive(Clone, Copy)]
struct Facts<'a> {
    group: &'a str,
    version: &'a str,
    resource: &'a Resource,
    name: &'a str,
    namespace_entry: Option<&'a Kept>,
}

/// What one evaluation of a policy runs under: its severity and parameters source.
struct Plan<'p> {
    policy: &'p Policy,
    severity: Severity,
    param_ref: Option<&'p ParamRef>,
    match_resources: Option<&'p MatchResources>,
}

impl Scene {
    /// Notes one object of the input: a Namespace, a CustomResourceDefinition,
    /// or a possible parameter of `param_kinds`.
    pub(crate) fn see(&mut self, tree: &Tree, node: NodeId, identity: &Identity, param_kinds: &[(String, String)]) {
        if identity.is("", "Namespace") {
            if let Some(kept) = keep(tree, node, identity) {
                self.namespaces.insert(kept.name.clone(), kept);
            }
        } else if identity.is("apiextensions.k8s.io", "CustomResourceDefinition") {
            let spec = tree.get(node, "spec").map(|entry| entry.value);
            let text =
                |map: Option<NodeId>, key: &str| map.and_then(|m| tree.get(m, key)).and_then(|e| tree.as_str(e.value));
            let names = spec.and_then(|spec| tree.get(spec, "names")).map(|entry| entry.value);
            if let (Some(group), Some(kind), Some(plural)) =
                (text(spec, "group"), text(names, "kind"), text(names, "plural"))
            {
                let namespaced = text(spec, "scope") != Some("Cluster");
                self.custom_kinds
                    .insert((group.to_string(), kind.to_string()), Resource { plural: plural.to_string(), namespaced });
            }
        }
        self.see_params(tree, node, identity, param_kinds);
    }

    /// Keeps the object when it is of one of `param_kinds`.
    pub(crate) fn see_params(
        &mut self,
        tree: &Tree,
        node: NodeId,
        identity: &Identity,
        param_kinds: &[(String, String)],
    ) {
        if param_kinds.iter().any(|(api_version, kind)| *api_version == identity.api_version && *kind == identity.kind)
        {
            if let Some(kept) = keep(tree, node, identity) {
                self.params.push(kept);
            }
        }
    }

    /// Adds the policies and bindings found in the input.
    pub(crate) fn add_input_policies(&mut self, policies: PolicySet) {
        self.input_policies = Some(policies);
    }
}

/// The message of an expression that could not be evaluated.
fn error_message(what: &str, expression: &Compiled, error: &ExecutionError, ignored: bool) -> String {
    let text: String = expression.text.chars().take(200).collect();
    let ignored = if ignored { " (failurePolicy: Ignore)" } else { "" };
    format!("{what} '{text}' could not be evaluated: {error}{ignored}")
}

impl PolicySet {
    fn plans<'p>(&'p self, input: Option<&'p PolicySet>) -> Vec<Plan<'p>> {
        let policies: Vec<&Policy> =
            self.policies.iter().chain(input.into_iter().flat_map(|set| set.policies.iter())).collect();
        let bindings = self.bindings.iter().chain(input.into_iter().flat_map(|set| set.bindings.iter()));
        let mut plans = Vec::new();
        let mut bound = vec![false; policies.len()];
        for binding in bindings {
            let Some(index) = policies.iter().position(|policy| *policy.name == binding.policy_name) else { continue };
            bound[index] = true;
            plans.push(Plan {
                policy: policies[index],
                severity: severity_of(&binding.actions),
                param_ref: binding.param_ref.as_ref(),
                match_resources: binding.match_resources.as_ref(),
            });
        }
        for (index, policy) in policies.iter().enumerate() {
            if !bound[index] && policy.from_config {
                plans.push(Plan { policy, severity: Severity::High, param_ref: None, match_resources: None });
            }
        }
        plans
    }

    /// Does any policy (and binding) match `subject`?
    pub(crate) fn matches(&self, subject: &Subject<'_>, scene: &Scene) -> bool {
        self.matching(subject, scene, |_, _| ()).is_some()
    }

    /// Runs `f` with the plans that match `subject` and the facts matching read,
    /// unless none does.
    fn matching<R>(
        &self,
        subject: &Subject<'_>,
        scene: &Scene,
        f: impl FnOnce(Vec<Plan<'_>>, &Facts<'_>) -> R,
    ) -> Option<R> {
        let identity = subject.identity;
        let (group, version) = split_api_version(&identity.api_version);
        let resource = resource_of(group, &identity.kind, &scene.custom_kinds);
        let labels = labels_of(subject.tree, subject.node);
        let is_namespace = group.is_empty() && identity.kind == "Namespace";
        let empty = Labels::new();
        let namespace = if is_namespace { identity.name.as_deref() } else { identity.namespace.as_deref() };
        let namespace_entry = namespace.filter(|_| resource.namespaced).and_then(|name| scene.namespaces.get(name));
        let namespace_labels = if is_namespace { &labels } else { namespace_entry.map_or(&empty, |kept| &kept.labels) };
        let name = identity.name.as_deref().unwrap_or_default();
        let request = Request { group, version, resource: &resource, name, labels: &labels, namespace_labels };
        let plans: Vec<Plan<'_>> = self
            .plans(scene.input_policies.as_ref())
            .into_iter()
            .filter(|plan| {
                plan.policy.match_constraints.matches(&request, true)
                    && plan.match_resources.is_none_or(|resources| resources.matches(&request, false))
            })
            .collect();
        if plans.is_empty() {
            return None;
        }
        Some(f(plans, &Facts { group, version, resource: &resource, name, namespace_entry }))
    }

    /// Evaluates every policy that matches `subject`.
    pub(crate) fn evaluate(&self, subject: &Subject<'_>, scene: &Scene) -> Vec<Violation> {
        self.matching(subject, scene, |plans, facts| self.evaluate_plans(subject, scene, plans, facts))
            .unwrap_or_default()
    }

    fn evaluate_plans(
        &self,
        subject: &Subject<'_>,
        scene: &Scene,
        plans: Vec<Plan<'_>>,
        facts: &Facts<'_>,
    ) -> Vec<Violation> {
        let identity = subject.identity;
        let Facts { group, version, resource, name, namespace_entry } = *facts;
        let mut violations = Vec::new();
        let object = value::borrowed(subject.tree, subject.node);
        let request_value = eval::request(
            group,
            version,
            &identity.kind,
            &resource.plural,
            name,
            if resource.namespaced { identity.namespace.as_deref().unwrap_or_default() } else { "" },
        );
        let object_tree = ObjectTree::new(subject.tree);
        let root = View::root(&object_tree, subject.node, subject.pointer.to_string(), subject.span);
        let input_params = scene.input_policies.iter().flat_map(|set| set.params.iter());
        let all_params: Vec<&Kept> = self.params.iter().chain(input_params).chain(&scene.params).collect();
        for plan in &plans {
            let params: Vec<Option<&Kept>> = match (&plan.policy.param_kind, plan.param_ref) {
                (None, _) => vec![None],
                (Some(_), None) => {
                    let message =
                        format!("policy `{}` takes parameters, but its binding has no `paramRef`", plan.policy.name);
                    self.whole_object(plan, subject, message, &mut violations);
                    continue;
                }
                (Some((api_version, kind)), Some(reference)) => {
                    let found: Vec<Option<&Kept>> = all_params
                        .iter()
                        .filter(|kept| kept.api_version == *api_version && kept.kind == *kind)
                        .filter(|kept| {
                            let wanted_namespace = reference
                                .namespace
                                .as_deref()
                                .or(kept.namespace.as_ref().and(identity.namespace.as_deref()));
                            kept.namespace.as_deref() == wanted_namespace
                        })
                        .filter(|kept| reference.name.as_ref().is_none_or(|name| *name == kept.name))
                        .filter(|kept| {
                            reference.selector.as_ref().is_none_or(|selector| selector.matches(&kept.labels))
                        })
                        .map(|kept| Some(*kept))
                        .collect();
                    if found.is_empty() {
                        if reference.deny_when_missing {
                            let message =
                                "no params found for policy binding with `Deny` parameterNotFoundAction".to_string();
                            self.whole_object(plan, subject, message, &mut violations);
                        }
                        continue;
                    }
                    found
                }
            };
            for param in params {
                let activation = Activation {
                    object: object.as_ref(),
                    params: param.map(|kept| kept.value.as_ref()),
                    namespace_object: namespace_entry.map(|kept| kept.value.as_ref()),
                    request: request_value.as_ref(),
                };
                run(plan, &activation, &root, &mut violations);
            }
        }
        let mut seen = std::collections::HashSet::new();
        violations.retain(|v| seen.insert((v.check.clone(), v.message.clone(), v.pointer.clone())));
        violations
    }

    fn whole_object(&self, plan: &Plan<'_>, subject: &Subject<'_>, message: String, out: &mut Vec<Violation>) {
        out.push(Violation {
            check: plan.policy.name.clone(),
            severity: plan.severity,
            items: plan.policy.items.clone(),
            message,
            pointer: subject.pointer.to_string(),
            span: subject.span,
        });
    }
}

/// Runs one policy under one binding (and parameter) against the object.
fn run<'r>(plan: &Plan<'_>, activation: &'r Activation<'r>, root: &View<'_>, out: &mut Vec<Violation>) {
    let policy = plan.policy;
    let report = |out: &mut Vec<Violation>, view: &View<'_>, message: String, severity: Severity| {
        out.push(Violation {
            check: policy.name.clone(),
            severity,
            items: policy.items.clone(),
            message,
            pointer: view.pointer(),
            span: view.span,
        });
    };
    let failure_severity = if policy.ignore_failures { Severity::Info } else { plan.severity };
    let mut variables = Variables::new();
    for (name, condition) in &policy.match_conditions {
        match truth(&evaluate(condition, activation, &variables)) {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => {
                let what = format!("matchCondition `{name}`");
                let message = error_message(&what, condition, &error, policy.ignore_failures);
                let locator = Locator::new(activation, &variables, &policy.variables, root.clone());
                report(out, &locator.reading(&condition.program), message, failure_severity);
                return;
            }
        }
    }
    for validation in &policy.validations {
        let expression = &validation.expression;
        ensure_variables(&policy.variables, &expression.variables, activation, &mut variables);
        let outcome = evaluate(expression, activation, &variables);
        match truth(&outcome) {
            Ok(true) => {}
            Ok(false) => {
                let message = message_of(validation, activation, &policy.variables, &mut variables);
                let locator = Locator::new(activation, &variables, &policy.variables, root.clone());
                let view = locator.failure(&expression.program);
                report(out, &view, message, plan.severity);
            }
            Err(error) => {
                let message = error_message("expression", expression, &error, policy.ignore_failures);
                let locator = Locator::new(activation, &variables, &policy.variables, root.clone());
                report(out, &locator.reading(&expression.program), message, failure_severity);
            }
        }
    }
}

/// A failed validation's message: `messageExpression`'s value when it is a
/// non-empty string, else `message`, else the failed expression.
fn message_of<'r>(
    validation: &Validation,
    activation: &'r Activation<'r>,
    declared: &[(String, Compiled)],
    variables: &mut Variables<'r>,
) -> String {
    if let Some(expression) = &validation.message_expression {
        ensure_variables(declared, &expression.variables, activation, variables);
        if let Ok(value) = evaluate(expression, activation, variables) {
            if let Some(text) = value.downcast_ref::<CelString>() {
                let text = text.inner().trim();
                if !text.is_empty() && !text.contains(['\n', '\r']) {
                    return text.to_string();
                }
            }
        }
    }
    match &validation.message {
        Some(message) if !message.trim().is_empty() => message.clone(),
        _ => format!("failed expression: {}", validation.expression.text.trim()),
    }
}

impl Scene {
    /// Adds what `other` learnt (a later file's): later namespaces and kinds win, as
    /// later objects do in a cluster.
    pub(crate) fn merge(&mut self, other: Scene) {
        self.namespaces.extend(other.namespaces);
        self.custom_kinds.extend(other.custom_kinds);
        self.params.extend(other.params);
    }
}

impl PolicySet {
    /// Adds the policies, bindings and parameters of `other` (a later file's).
    /// A policy whose name is taken already, here or in `taken`, is left out
    /// and returned as a problem at its offset in its file.
    pub(crate) fn merge(&mut self, other: PolicySet, taken: &[String]) -> Vec<(u32, String)> {
        let mut problems = Vec::new();
        for policy in other.policies {
            if taken.iter().any(|name| **name == *policy.name) {
                problems.push((
                    policy.name_at,
                    format!("policy `{}` has the name of a configured policy; the configured one is used", policy.name),
                ));
                continue;
            }
            if self.policies.iter().any(|seen| seen.name == policy.name) {
                problems.push((policy.name_at, format!("policy `{}` is declared twice", policy.name)));
                continue;
            }
            self.policies.push(policy);
        }
        self.bindings.extend(other.bindings);
        self.params.extend(other.params);
        problems
    }
}
