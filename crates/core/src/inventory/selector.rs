//! Label selectors (`matchLabels` and `matchExpressions`) and the labels they match.

use std::collections::BTreeMap;

use crate::model::view::View;

/// Labels of an object or a pod, as written.
pub(crate) type Labels = BTreeMap<String, String>;

/// Reads a `labels` mapping; values that are not strings are left out (the engine reports them).
pub(crate) fn read_labels(view: &View<'_>) -> Labels {
    view.entries()
        .into_iter()
        .filter_map(|(key, value)| value.str().present().map(|v| (key.into_owned(), v.to_string())))
        .collect()
}

/// The operator of one `matchExpressions` requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    /// An operator Kubernetes does not know: the API server rejects the object,
    /// so the selector is treated as matching nothing.
    Unknown,
}

/// One `matchExpressions` requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Requirement {
    pub key: String,
    pub operator: Operator,
    pub values: Vec<String>,
}

impl Requirement {
    fn matches(&self, labels: &Labels) -> bool {
        let value = labels.get(&self.key);
        match self.operator {
            Operator::In => value.is_some_and(|value| self.values.contains(value)),
            Operator::NotIn => value.is_none_or(|value| !self.values.contains(value)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::Unknown => false,
        }
    }
}

/// A `metav1.LabelSelector`: every `matchLabels` pair and every requirement must hold.
/// An empty selector matches every object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Selector {
    pub match_labels: Vec<(String, String)>,
    pub expressions: Vec<Requirement>,
}

impl Selector {
    /// Reads a selector; `None` when the field is absent or null.
    pub(crate) fn read(view: &View<'_>) -> Option<Selector> {
        if !view.exists() {
            return None;
        }
        let match_labels = view
            .get("matchLabels")
            .entries()
            .into_iter()
            .filter_map(|(key, value)| value.str().present().map(|v| (key.into_owned(), v.to_string())))
            .collect();
        let expressions = view
            .get("matchExpressions")
            .items()
            .into_iter()
            .filter_map(|item| {
                let key = item.get("key").str().present()?.to_string();
                let operator = match item.get("operator").str().present() {
                    Some("In") => Operator::In,
                    Some("NotIn") => Operator::NotIn,
                    Some("Exists") => Operator::Exists,
                    Some("DoesNotExist") => Operator::DoesNotExist,
                    _ => Operator::Unknown,
                };
                let values = item.get("values").strings().into_iter().map(|(v, _)| v.to_string()).collect();
                Some(Requirement { key, operator, values })
            })
            .collect();
        Some(Selector { match_labels, expressions })
    }

    /// Does the selector select every object (`{}`)?
    pub(crate) fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.expressions.is_empty()
    }

    /// Does the selector select an object with these labels?
    pub(crate) fn matches(&self, labels: &Labels) -> bool {
        self.match_labels.iter().all(|(key, value)| labels.get(key) == Some(value))
            && self.expressions.iter().all(|requirement| requirement.matches(labels))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::view::ObjectTree;
    use crate::yaml::load_documents;

    fn selector(text: &str) -> Option<Selector> {
        let documents = load_documents(text.as_bytes(), &crate::Limits::default()).ok()?;
        let tree = documents.into_iter().next()?.tree.ok()?;
        let object = ObjectTree::new(&tree);
        let root = View::root(&object, tree.root, String::new(), (0, 0));
        Selector::read(&root.get("selector"))
    }

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn match_labels_must_all_hold() {
        let s = selector("selector:\n  matchLabels:\n    app: web\n    tier: front\n").unwrap_or_default();
        assert!(s.matches(&labels(&[("app", "web"), ("tier", "front"), ("x", "y")])));
        assert!(!s.matches(&labels(&[("app", "web")])));
        assert!(!s.matches(&labels(&[("app", "db"), ("tier", "front")])));
    }

    #[test]
    fn match_expressions_operators() {
        let text = "selector:\n  matchExpressions:\n  - {key: app, operator: In, values: [web, api]}\n  - {key: env, operator: NotIn, values: [dev]}\n  - {key: team, operator: Exists}\n  - {key: legacy, operator: DoesNotExist}\n";
        let s = selector(text).unwrap_or_default();
        assert_eq!(s.expressions.len(), 4);
        assert!(s.matches(&labels(&[("app", "api"), ("team", "a")])));
        assert!(s.matches(&labels(&[("app", "web"), ("team", "a"), ("env", "prod")])));
        assert!(!s.matches(&labels(&[("app", "db"), ("team", "a")])), "In");
        assert!(!s.matches(&labels(&[("app", "web"), ("team", "a"), ("env", "dev")])), "NotIn");
        assert!(!s.matches(&labels(&[("app", "web")])), "Exists");
        assert!(!s.matches(&labels(&[("app", "web"), ("team", "a"), ("legacy", "")])), "DoesNotExist");
    }

    #[test]
    fn empty_selector_matches_everything_and_absent_is_none() {
        let s = selector("selector: {}\n");
        assert!(s.as_ref().is_some_and(Selector::is_empty));
        assert!(s.is_some_and(|s| s.matches(&Labels::new())));
        assert_eq!(selector("other: 1\n"), None);
    }

    #[test]
    fn unknown_operator_matches_nothing() {
        let s = selector("selector:\n  matchExpressions:\n  - {key: app, operator: Like}\n").unwrap_or_default();
        assert!(!s.matches(&labels(&[("app", "web")])));
    }
}
