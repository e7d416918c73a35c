//! Reading ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
//! documents from the span-keeping YAML tree, with the byte offset of every
//! field that can be wrong.

use crate::inventory::selector::{Operator, Requirement, Selector};
use crate::yaml::{NodeId, NodeKind, Tree};

/// The API group of admission policies.
pub(crate) const GROUP: &str = "admissionregistration.k8s.io";
/// The policy kind.
pub(crate) const POLICY_KIND: &str = "ValidatingAdmissionPolicy";
/// The binding kind.
pub(crate) const BINDING_KIND: &str = "ValidatingAdmissionPolicyBinding";

/// A problem in a policy document, at a byte offset of its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocumentError {
    pub message: String,
    pub offset: u32,
}

type Read<T> = Result<T, DocumentError>;

/// An expression as written: its text and where its scalar is.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub text: String,
    /// The scalar's byte range in the file.
    pub span: (u32, u32),
}

/// `matchConstraints` or `matchResources`.
#[derive(Debug, Clone, Default)]
pub(crate) struct MatchResources {
    pub namespace_selector: Option<Selector>,
    pub object_selector: Option<Selector>,
    pub resource_rules: Vec<Rule>,
    pub exclude_resource_rules: Vec<Rule>,
    /// `Exact` (false) or `Equivalent` (true, the default).
    pub equivalent: bool,
}

/// One resource rule.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rule {
    pub api_groups: Vec<String>,
    pub api_versions: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub operations: Vec<String>,
    pub scope: String,
}

/// A named expression (`matchConditions`, `variables`).
#[derive(Debug, Clone)]
pub(crate) struct Named {
    pub name: String,
    pub expression: Source,
}

/// One validation.
#[derive(Debug, Clone)]
pub(crate) struct Validation {
    pub expression: Source,
    pub message: Option<String>,
    pub message_expression: Option<Source>,
}

/// A ValidatingAdmissionPolicy.
#[derive(Debug, Clone)]
pub(crate) struct PolicyDocument {
    pub name: String,
    /// Where `metadata.name` is.
    pub name_at: u32,
    /// The `kubeward.io/items` annotation, split on commas.
    pub items: Vec<String>,
    pub param_kind: Option<(String, String)>,
    pub match_constraints: MatchResources,
    pub match_conditions: Vec<Named>,
    pub variables: Vec<Named>,
    pub validations: Vec<Validation>,
    pub audit_annotations: Vec<Named>,
    /// `failurePolicy: Ignore` (false: `Fail`, the default).
    pub ignore_failures: bool,
}

/// `paramRef` of a binding.
#[derive(Debug, Clone)]
pub(crate) struct ParamRef {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub selector: Option<Selector>,
    /// `parameterNotFoundAction: Deny` (false: `Allow`).
    pub deny_when_missing: bool,
}

/// What a binding asks of the violations of its policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Action {
    Audit,
    Warn,
    Deny,
}

/// A ValidatingAdmissionPolicyBinding.
#[derive(Debug, Clone)]
pub(crate) struct BindingDocument {
    pub name: String,
    pub policy_name: String,
    pub policy_name_at: u32,
    pub actions: Vec<Action>,
    pub param_ref: Option<ParamRef>,
    pub match_resources: Option<MatchResources>,
}

/// Reading one document.
struct Reader<'t> {
    tree: &'t Tree,
}

impl<'t> Reader<'t> {
    fn at(&self, node: NodeId) -> u32 {
        self.tree.raw(node).start
    }

    fn error(&self, node: NodeId, message: impl Into<String>) -> DocumentError {
        DocumentError { message: message.into(), offset: self.at(node) }
    }

    /// The value of `key` in mapping `map`, unless absent or null.
    fn get(&self, map: NodeId, key: &str) -> Option<NodeId> {
        let entry = self.tree.get(map, key)?;
        (!self.tree.is_null(entry.value)).then_some(entry.value)
    }

    fn mapping(&self, node: NodeId, what: &str) -> Read<NodeId> {
        if self.tree.is_map(node) {
            Ok(node)
        } else {
            Err(self.error(node, format!("`{what}` must be a mapping")))
        }
    }

    /// Refuses keys outside `known`, naming the first one.
    fn known_keys(&self, map: NodeId, what: &str, known: &[&str]) -> Read<()> {
        for entry in self.tree.entries(map) {
            let key = self.tree.as_str(entry.key).unwrap_or_default();
            if !known.contains(&key) {
                return Err(self.error(entry.key, format!("unknown field `{key}` in `{what}`")));
            }
        }
        Ok(())
    }

    fn string(&self, node: NodeId, what: &str) -> Read<String> {
        match &self.tree.node(node).kind {
            NodeKind::Str(text) => Ok(self.tree.text(*text).to_string()),
            _ => Err(self.error(node, format!("`{what}` must be a string"))),
        }
    }

    fn optional_string(&self, map: NodeId, key: &str) -> Read<Option<String>> {
        self.get(map, key).map(|node| self.string(node, key)).transpose()
    }

    fn required_string(&self, map: NodeId, key: &str, what: &str) -> Read<(String, NodeId)> {
        let node = self.get(map, key).ok_or_else(|| self.error(map, format!("`{what}` is required")))?;
        let text = self.string(node, what)?;
        if text.is_empty() {
            return Err(self.error(node, format!("`{what}` must not be empty")));
        }
        Ok((text, node))
    }

    fn strings(&self, map: NodeId, key: &str) -> Read<Vec<String>> {
        let Some(node) = self.get(map, key) else { return Ok(Vec::new()) };
        if !self.tree.is_seq(node) {
            return Err(self.error(node, format!("`{key}` must be a list of strings")));
        }
        self.tree.items(node).iter().map(|&item| self.string(item, key)).collect()
    }

    fn list(&self, map: NodeId, key: &str) -> Read<Vec<NodeId>> {
        let Some(node) = self.get(map, key) else { return Ok(Vec::new()) };
        if !self.tree.is_seq(node) {
            return Err(self.error(node, format!("`{key}` must be a list")));
        }
        Ok(self.tree.items(node).iter().map(|&item| self.tree.resolve(item)).collect())
    }

    fn expression(&self, map: NodeId, key: &str, what: &str) -> Read<Source> {
        let (text, node) = self.required_string(map, key, what)?;
        let raw = self.tree.raw(node);
        Ok(Source { text, span: (raw.start, raw.end) })
    }

    fn selector(&self, map: NodeId, key: &str) -> Read<Option<Selector>> {
        let Some(node) = self.get(map, key) else { return Ok(None) };
        let node = self.mapping(node, key)?;
        self.known_keys(node, key, &["matchLabels", "matchExpressions"])?;
        let mut selector = Selector::default();
        if let Some(labels) = self.get(node, "matchLabels") {
            let labels = self.mapping(labels, "matchLabels")?;
            for entry in self.tree.entries(labels) {
                let key = self.string(entry.key, "matchLabels")?;
                let value = self.string(entry.value, "matchLabels")?;
                selector.match_labels.push((key, value));
            }
        }
        for requirement in self.list(node, "matchExpressions")? {
            let requirement = self.mapping(requirement, "matchExpressions")?;
            self.known_keys(requirement, "matchExpressions", &["key", "operator", "values"])?;
            let (key, _) = self.required_string(requirement, "key", "matchExpressions[].key")?;
            let (operator_text, operator_node) =
                self.required_string(requirement, "operator", "matchExpressions[].operator")?;
            let operator = match operator_text.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => {
                    return Err(self.error(
                        operator_node,
                        format!("unknown operator `{other}` (expected In, NotIn, Exists or DoesNotExist)"),
                    ))
                }
            };
            let values = self.strings(requirement, "values")?;
            selector.expressions.push(Requirement { key, operator, values });
        }
        Ok(Some(selector))
    }

    fn rule(&self, node: NodeId) -> Read<Rule> {
        let node = self.mapping(node, "resourceRules")?;
        self.known_keys(
            node,
            "resourceRules",
            &["apiGroups", "apiVersions", "resources", "resourceNames", "operations", "scope"],
        )?;
        let scope = self.optional_string(node, "scope")?.unwrap_or_else(|| "*".to_string());
        if !matches!(scope.as_str(), "*" | "Cluster" | "Namespaced") {
            let at = self.get(node, "scope").unwrap_or(node);
            return Err(self.error(at, format!("unknown scope `{scope}` (expected *, Cluster or Namespaced)")));
        }
        let operations = self.strings(node, "operations")?;
        for (index, operation) in operations.iter().enumerate() {
            if !matches!(operation.as_str(), "*" | "CREATE" | "UPDATE" | "DELETE" | "CONNECT") {
                let at = self.get(node, "operations").map_or(node, |list| self.tree.items(list)[index]);
                return Err(self.error(at, format!("unknown operation `{operation}`")));
            }
        }
        Ok(Rule {
            api_groups: self.strings(node, "apiGroups")?,
            api_versions: self.strings(node, "apiVersions")?,
            resources: self.strings(node, "resources")?,
            resource_names: self.strings(node, "resourceNames")?,
            operations,
            scope,
        })
    }

    fn match_resources(&self, node: NodeId, what: &str) -> Read<MatchResources> {
        let node = self.mapping(node, what)?;
        self.known_keys(
            node,
            what,
            &["namespaceSelector", "objectSelector", "resourceRules", "excludeResourceRules", "matchPolicy"],
        )?;
        let equivalent = match self.optional_string(node, "matchPolicy")?.as_deref() {
            None | Some("Equivalent") => true,
            Some("Exact") => false,
            Some(other) => {
                let at = self.get(node, "matchPolicy").unwrap_or(node);
                return Err(self.error(at, format!("unknown matchPolicy `{other}` (expected Equivalent or Exact)")));
            }
        };
        Ok(MatchResources {
            namespace_selector: self.selector(node, "namespaceSelector")?,
            object_selector: self.selector(node, "objectSelector")?,
            resource_rules: self
                .list(node, "resourceRules")?
                .into_iter()
                .map(|rule| self.rule(rule))
                .collect::<Read<_>>()?,
            exclude_resource_rules: self
                .list(node, "excludeResourceRules")?
                .into_iter()
                .map(|rule| self.rule(rule))
                .collect::<Read<_>>()?,
            equivalent,
        })
    }

    fn named(&self, map: NodeId, key: &str, expression_key: &str) -> Read<Vec<Named>> {
        let mut out: Vec<Named> = Vec::new();
        for item in self.list(map, key)? {
            let item = self.mapping(item, key)?;
            let name_key = if key == "auditAnnotations" { "key" } else { "name" };
            self.known_keys(item, key, &[name_key, expression_key])?;
            let (name, name_node) = self.required_string(item, name_key, &format!("{key}[].{name_key}"))?;
            if out.iter().any(|seen| seen.name == name) {
                return Err(self.error(name_node, format!("`{name}` is declared twice in `{key}`")));
            }
            let expression = self.expression(item, expression_key, &format!("{key}[].{expression_key}"))?;
            out.push(Named { name, expression });
        }
        Ok(out)
    }

    fn metadata_name(&self, root: NodeId) -> Read<(String, NodeId)> {
        let metadata = self.get(root, "metadata").ok_or_else(|| self.error(root, "`metadata.name` is required"))?;
        let metadata = self.mapping(metadata, "metadata")?;
        self.required_string(metadata, "name", "metadata.name")
    }

    fn policy(&self, root: NodeId) -> Read<PolicyDocument> {
        let (name, name_node) = self.metadata_name(root)?;
        let items = self
            .get(root, "metadata")
            .and_then(|metadata| self.get(metadata, "annotations"))
            .and_then(|annotations| self.get(annotations, "kubeward.io/items"))
            .map(|node| self.string(node, "kubeward.io/items"))
            .transpose()?
            .map(|items| items.split(',').map(|item| item.trim().to_string()).filter(|item| !item.is_empty()).collect())
            .unwrap_or_default();
        let spec = self.get(root, "spec").ok_or_else(|| self.error(root, "`spec` is required"))?;
        let spec = self.mapping(spec, "spec")?;
        self.known_keys(
            spec,
            "spec",
            &[
                "paramKind",
                "matchConstraints",
                "validations",
                "failurePolicy",
                "auditAnnotations",
                "matchConditions",
                "variables",
            ],
        )?;
        let param_kind = match self.get(spec, "paramKind") {
            None => None,
            Some(node) => {
                let node = self.mapping(node, "paramKind")?;
                self.known_keys(node, "paramKind", &["apiVersion", "kind"])?;
                let (api_version, _) = self.required_string(node, "apiVersion", "paramKind.apiVersion")?;
                let (kind, _) = self.required_string(node, "kind", "paramKind.kind")?;
                Some((api_version, kind))
            }
        };
        let constraints = self
            .get(spec, "matchConstraints")
            .ok_or_else(|| self.error(spec, "`spec.matchConstraints` is required"))?;
        let match_constraints = self.match_resources(constraints, "matchConstraints")?;
        if match_constraints.resource_rules.is_empty() {
            return Err(self.error(constraints, "`matchConstraints.resourceRules` must name at least one rule"));
        }
        let ignore_failures = match self.optional_string(spec, "failurePolicy")?.as_deref() {
            None | Some("Fail") => false,
            Some("Ignore") => true,
            Some(other) => {
                let at = self.get(spec, "failurePolicy").unwrap_or(spec);
                return Err(self.error(at, format!("unknown failurePolicy `{other}` (expected Fail or Ignore)")));
            }
        };
        let mut validations = Vec::new();
        for item in self.list(spec, "validations")? {
            let item = self.mapping(item, "validations")?;
            self.known_keys(item, "validations", &["expression", "message", "messageExpression", "reason"])?;
            let message_expression = match self.get(item, "messageExpression") {
                Some(_) => Some(self.expression(item, "messageExpression", "validations[].messageExpression")?),
                None => None,
            };
            let reason = self.optional_string(item, "reason")?;
            if let Some(reason) = &reason {
                if !matches!(reason.as_str(), "Unauthorized" | "Forbidden" | "Invalid" | "RequestEntityTooLarge") {
                    let at = self.get(item, "reason").unwrap_or(item);
                    return Err(self.error(
                        at,
                        format!("unknown reason `{reason}` (expected Unauthorized, Forbidden, Invalid or RequestEntityTooLarge)"),
                    ));
                }
            }
            validations.push(Validation {
                expression: self.expression(item, "expression", "validations[].expression")?,
                message: self.optional_string(item, "message")?,
                message_expression,
            });
        }
        let audit_annotations = self.named(spec, "auditAnnotations", "valueExpression")?;
        if validations.is_empty() && audit_annotations.is_empty() {
            return Err(self.error(spec, "a policy needs `validations` or `auditAnnotations`"));
        }
        Ok(PolicyDocument {
            name,
            name_at: self.at(name_node),
            items,
            param_kind,
            match_constraints,
            match_conditions: self.named(spec, "matchConditions", "expression")?,
            variables: self.named(spec, "variables", "expression")?,
            validations,
            audit_annotations,
            ignore_failures,
        })
    }

    fn binding(&self, root: NodeId) -> Read<BindingDocument> {
        let (name, _) = self.metadata_name(root)?;
        let spec = self.get(root, "spec").ok_or_else(|| self.error(root, "`spec` is required"))?;
        let spec = self.mapping(spec, "spec")?;
        self.known_keys(spec, "spec", &["policyName", "paramRef", "matchResources", "validationActions"])?;
        let (policy_name, policy_node) = self.required_string(spec, "policyName", "spec.policyName")?;
        let mut actions = Vec::new();
        let actions_node = self.get(spec, "validationActions");
        for (index, action) in self.strings(spec, "validationActions")?.iter().enumerate() {
            let at = actions_node.map_or(spec, |list| self.tree.items(list)[index]);
            let action = match action.as_str() {
                "Deny" => Action::Deny,
                "Warn" => Action::Warn,
                "Audit" => Action::Audit,
                other => {
                    return Err(
                        self.error(at, format!("unknown validation action `{other}` (expected Deny, Warn or Audit)"))
                    )
                }
            };
            if actions.contains(&action) {
                return Err(self.error(at, "a validation action is listed twice"));
            }
            actions.push(action);
        }
        if actions.is_empty() {
            return Err(
                self.error(actions_node.unwrap_or(spec), "`spec.validationActions` must name Deny, Warn or Audit")
            );
        }
        if actions.contains(&Action::Deny) && actions.contains(&Action::Warn) {
            return Err(self.error(actions_node.unwrap_or(spec), "Deny and Warn cannot be used together"));
        }
        let param_ref = match self.get(spec, "paramRef") {
            None => None,
            Some(node) => {
                let node = self.mapping(node, "paramRef")?;
                self.known_keys(node, "paramRef", &["name", "namespace", "selector", "parameterNotFoundAction"])?;
                let deny_when_missing = match self.optional_string(node, "parameterNotFoundAction")?.as_deref() {
                    None | Some("Deny") => true,
                    Some("Allow") => false,
                    Some(other) => {
                        let at = self.get(node, "parameterNotFoundAction").unwrap_or(node);
                        return Err(self
                            .error(at, format!("unknown parameterNotFoundAction `{other}` (expected Allow or Deny)")));
                    }
                };
                let param_ref = ParamRef {
                    name: self.optional_string(node, "name")?,
                    namespace: self.optional_string(node, "namespace")?,
                    selector: self.selector(node, "selector")?,
                    deny_when_missing,
                };
                if param_ref.name.is_some() == param_ref.selector.is_some() {
                    return Err(self.error(node, "`paramRef` needs exactly one of `name` and `selector`"));
                }
                Some(param_ref)
            }
        };
        let match_resources =
            self.get(spec, "matchResources").map(|node| self.match_resources(node, "matchResources")).transpose()?;
        Ok(BindingDocument {
            name,
            policy_name,
            policy_name_at: self.at(policy_node),
            actions,
            param_ref,
            match_resources,
        })
    }
}

/// What a document of a policy file is.
pub(crate) enum Document {
    Policy(Box<PolicyDocument>),
    Binding(Box<BindingDocument>),
}

/// Is this (apiVersion, kind) a policy or a binding?
pub(crate) fn admission_kind(api_version: &str, kind: &str) -> Option<bool> {
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    if group != GROUP {
        return None;
    }
    match kind {
        POLICY_KIND => Some(true),
        BINDING_KIND => Some(false),
        _ => None,
    }
}

/// Reads the policy or binding at `node`.
pub(crate) fn read(tree: &Tree, node: NodeId, policy: bool) -> Result<Document, DocumentError> {
    let reader = Reader { tree };
    if policy {
        reader.policy(node).map(|policy| Document::Policy(Box::new(policy)))
    } else {
        reader.binding(node).map(|binding| Document::Binding(Box::new(binding)))
    }
}
