//! The rules of a Role or ClusterRole, as written.

use super::view::View;

/// One entry of a role's `rules`.
#[derive(Debug, Clone)]
pub(crate) struct Rule<'a> {
    /// The rule's list item.
    pub view: View<'a>,
    // Each string is borrowed from the role's tree, with its index in the list;
    // its view is built only for a finding (a large input holds thousands of roles).
    pub api_groups: Vec<(&'a str, u32)>,
    pub resources: Vec<(&'a str, u32)>,
    pub verbs: Vec<(&'a str, u32)>,
    pub resource_names: Vec<&'a str>,
    pub non_resource_urls: Vec<&'a str>,
}

/// The rule's fields that list strings with a view ([`Rule::entry`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleList {
    ApiGroups,
    Resources,
    Verbs,
}

impl RuleList {
    /// The field's name in the manifest.
    pub(crate) fn field(self) -> &'static str {
        match self {
            RuleList::ApiGroups => "apiGroups",
            RuleList::Resources => "resources",
            RuleList::Verbs => "verbs",
        }
    }
}

impl<'a> Rule<'a> {
    pub(crate) fn read(view: View<'a>) -> Rule<'a> {
        let names = |field| view.get(field).indexed_strings().into_iter().map(|(s, _)| s).collect();
        Rule {
            api_groups: view.get("apiGroups").indexed_strings(),
            resources: view.get("resources").indexed_strings(),
            verbs: view.get("verbs").indexed_strings(),
            resource_names: names("resourceNames"),
            non_resource_urls: names("nonResourceURLs"),
            view,
        }
    }

    /// The strings of `list` with their item index.
    pub(crate) fn list(&self, list: RuleList) -> &[(&'a str, u32)] {
        match list {
            RuleList::ApiGroups => &self.api_groups,
            RuleList::Resources => &self.resources,
            RuleList::Verbs => &self.verbs,
        }
    }

    /// The view of item `index` of `list`, to report it.
    pub(crate) fn entry(&self, list: RuleList, index: u32) -> View<'a> {
        self.view.get(list.field()).item(index as usize)
    }

    /// Does the rule apply to resources of this API group (`*` or the group itself)?
    pub(crate) fn covers_group(&self, group: &str) -> bool {
        self.api_groups.iter().any(|&(g, _)| g == "*" || g == group)
    }

    /// The item index of the entry of `resources` that grants `resource` (`pods/exec`
    /// style for subresources; only by name when `explicit`), if any.
    pub(crate) fn resource_index(&self, resource: &str, explicit: bool) -> Option<u32> {
        let sub = resource.split_once('/').map(|(_, sub)| sub);
        self.resources.iter().find_map(|&(r, index)| {
            let hit =
                r == resource || (!explicit && (r == "*" || sub.is_some_and(|sub| r.strip_prefix("*/") == Some(sub))));
            hit.then_some(index)
        })
    }

    /// Does `verbs` grant `verb` (`*` included)?
    fn grants_verb(&self, verb: &str) -> bool {
        self.verbs.iter().any(|&(v, _)| v == "*" || v == verb)
    }

    /// Does the rule grant `verb` on `group`/`resource`, wildcards included?
    pub(crate) fn grants(&self, group: &str, resource: &str, verb: &str) -> bool {
        self.covers_group(group) && self.resource_index(resource, false).is_some() && self.grants_verb(verb)
    }

    /// `*` verbs on `*` resources in `*` API groups: everything cluster-admin can do with resources.
    pub(crate) fn is_full_wildcard(&self) -> bool {
        let has = |list: &[(&str, u32)]| list.iter().any(|&(s, _)| s == "*");
        has(&self.api_groups) && has(&self.resources) && has(&self.verbs) && self.resource_names.is_empty()
    }

    /// Does the rule grant anything only on named objects?
    pub(crate) fn is_name_restricted(&self) -> bool {
        !self.resource_names.is_empty()
    }
}
