//! The checklist scorecard: each item passed, failed, not assessed or attested,
//! and the score out of 50 over sections 1–7.
//!
//! An item *passes* when at least one check gives evidence for it, the input
//! could have shown it failing (it holds the objects that check judges: a
//! binding for 2.1, an egress policy for 3.4, control-plane manifests for
//! 7.5), and no finding that counts names it. It is *not assessed* when no
//! check covers it (process items) or the input holds nothing that could show
//! it failing, so "not seen" is never mistaken for "passed". The checklist's
//! band is given only when the items not assessed could not change it.

use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::checklist::{Relevance, ITEMS, SECTIONS};
use crate::config::{days_from_civil, Attestation};
use crate::inventory::components::{Assessment, ClusterInventory};
use crate::inventory::summary::SetObject;
use crate::inventory::Inventory;
use crate::report::Finding;
use crate::Config;

/// The status of one checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ItemStatus {
    /// Checks ran on relevant objects and found nothing that counts.
    Pass,
    /// At least one finding that counts gives evidence against it.
    Fail,
    /// Nothing in the input could show it, and no attestation answers it.
    NotAssessed,
    /// The configuration attests it (who, when, evidence).
    Attested,
    /// An attestation exists but is older than its validity.
    Expired,
}

/// The band the score falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Band {
    /// 40 or more.
    EnterpriseReady,
    /// 30 to 39.
    SignificantGaps,
    /// 20 to 29.
    HighRisk,
    /// Under 20.
    NotProductionReady,
    /// Not enough of the 50 items were assessed or attested to tell: the items
    /// not assessed could put the score in more than one band.
    Undetermined,
}

impl Band {
    /// The band of a score out of 50.
    pub fn of(score: usize) -> Band {
        match score {
            40.. => Band::EnterpriseReady,
            30..=39 => Band::SignificantGaps,
            20..=29 => Band::HighRisk,
            _ => Band::NotProductionReady,
        }
    }

    /// The band of a score when `unknown` more items could still pass: the
    /// band both ends share, or [`Band::Undetermined`] when they differ.
    pub fn within(score: usize, unknown: usize) -> Band {
        let band = Band::of(score);
        if Band::of(score + unknown) == band {
            band
        } else {
            Band::Undetermined
        }
    }

    /// Words for the band.
    pub fn describe(self) -> &'static str {
        match self {
            Band::Undetermined => "band not determined",
            Band::EnterpriseReady => "enterprise-ready",
            Band::SignificantGaps => "significant gaps",
            Band::HighRisk => "high risk",
            Band::NotProductionReady => "not production-ready",
        }
    }
}

/// One line of the scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ItemResult {
    /// Item id (`"1.2"`).
    pub id: String,
    /// Section number.
    pub section: u32,
    /// Stable slug of the item.
    pub slug: String,
    /// What the item asks for.
    pub title: String,
    /// The status.
    pub status: ItemStatus,
    /// The checks that give evidence for it.
    pub checks: Vec<String>,
    /// Findings that count against it.
    pub findings: usize,
    /// Findings against it that an exemption suppressed.
    pub suppressed: usize,
    /// Why the status is what it is, in a sentence.
    pub reason: String,
    /// The attestation, when one answers the item.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub attestation: Option<Attestation>,
}

/// The scorecard of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Scorecard {
    /// Items of sections 1–7 that pass or are attested.
    pub score: usize,
    /// Always 50: the items of sections 1–7.
    pub out_of: usize,
    /// Items of sections 1–7 that were assessed or attested (the score's real denominator).
    pub assessed: usize,
    /// The checklist's band, given only when the items not assessed could not
    /// move the score out of it; [`Band::Undetermined`] otherwise.
    pub band: Band,
    /// Items of sections 1–7 nothing in the input could show.
    pub not_assessed: usize,
    /// Items per status, all sections.
    pub counts: BTreeMap<ItemStatus, usize>,
    /// Every item, in checklist order.
    pub items: Vec<ItemResult>,
}

impl Scorecard {
    /// A placeholder for a report still being built (the engine scores it last).
    pub(crate) fn pending() -> Scorecard {
        Scorecard {
            score: 0,
            out_of: 50,
            assessed: 0,
            band: Band::Undetermined,
            not_assessed: 0,
            counts: BTreeMap::new(),
            items: Vec::new(),
        }
    }
}

/// What the input holds, as far as the scorecard cares: for each item, could
/// the input have shown it failing?
#[derive(Debug, Default)]
pub(crate) struct InputFacts {
    pods: bool,
    production_namespace_objects: bool,
    production_namespaces: bool,
    owned_namespaces: bool,
    egress_policies: bool,
    bindings: bool,
    roles: bool,
    aggregated_roles: bool,
    service_accounts: bool,
    secrets: bool,
    control_plane: bool,
    cluster_inventory: bool,
}

impl InputFacts {
    /// What the cross-object inventory of a scan holds (named namespaces only:
    /// a directory's unnamed namespace cannot show a namespace-level item).
    pub(crate) fn of(inventory: &Inventory<'_>, objects: &[SetObject<'_, '_>], config: &Config) -> InputFacts {
        let owned = || inventory.namespaces.values().filter(|namespace| namespace.is_owned());
        let production = |name: &str| config.production.is_production(Some(name));
        let kinds = || objects.iter().map(|object| &object.summary.identity);
        InputFacts {
            pods: !inventory.workloads.is_empty(),
            production_namespace_objects: owned().any(|ns| ns.declared.is_some() && production(&ns.name)),
            production_namespaces: owned().any(|ns| production(&ns.name)),
            owned_namespaces: owned().next().is_some(),
            egress_policies: inventory.policies.iter().any(|policy| policy.affects_egress),
            bindings: !inventory.rbac.bindings.is_empty(),
            roles: !inventory.rbac.roles.is_empty(),
            aggregated_roles: inventory
                .rbac
                .roles
                .iter()
                .any(|role| role.aggregation.is_some() || !role.aggregate_to_labels().is_empty()),
            service_accounts: kinds().any(|identity| identity.is("", "ServiceAccount")),
            secrets: kinds().any(|identity| {
                matches!(
                    identity.kind.as_str(),
                    "Secret" | "ConfigMap" | "SealedSecret" | "ExternalSecret" | "SecretProviderClass"
                )
            }),
            control_plane: false,
            cluster_inventory: false,
        }
    }

    /// Adds what the cluster inventory says (one definition of control-plane and
    /// cluster-level input for checks and scorecard).
    pub(crate) fn with_cluster(mut self, inventory: &ClusterInventory) -> InputFacts {
        self.control_plane = !inventory.control_plane.is_empty();
        self.cluster_inventory = inventory.cluster_level;
        self
    }

    fn holds(&self, relevance: Relevance) -> bool {
        match relevance {
            Relevance::Pods => self.pods,
            Relevance::ProductionNamespaceObjects => self.production_namespace_objects,
            Relevance::ProductionNamespaces => self.production_namespaces,
            Relevance::OwnedNamespaces => self.owned_namespaces,
            Relevance::EgressPolicies => self.egress_policies,
            Relevance::Bindings => self.bindings,
            Relevance::Roles => self.roles,
            Relevance::AggregatedRoles => self.aggregated_roles,
            Relevance::PodsOrServiceAccounts => self.pods || self.service_accounts,
            Relevance::PodsOrSecrets => self.pods || self.secrets,
            Relevance::ControlPlane => self.control_plane,
            Relevance::ClusterInventory => self.cluster_inventory,
            Relevance::AttestationOnly => false,
        }
    }
}

/// The enabled checks of every checklist item ([`ITEMS`] order), each list in
/// registry order: they depend on the configuration only, so an engine makes them once.
pub(crate) fn enabled_checks_by_item(config: &Config) -> Vec<Vec<String>> {
    let position: HashMap<&str, usize> = ITEMS.iter().enumerate().map(|(index, item)| (item.id, index)).collect();
    let mut by_item = vec![Vec::new(); ITEMS.len()];
    for meta in crate::checks::all_meta().filter(|meta| config.check_settings(meta.id, meta.severity).0) {
        for (index, (item, _)) in meta.items.iter().enumerate() {
            let repeated = meta.items[..index].iter().any(|(earlier, _)| earlier == item);
            if let (false, Some(&at)) = (repeated, position.get(item)) {
                by_item[at].push(meta.id.to_string());
            }
        }
    }
    by_item
}

/// Adds a custom policy, named `check`, as evidence for its checklist `items`
/// (unknown ids are left out: the engine refuses them when it is built).
pub(crate) fn add_policy_items(by_item: &mut [Vec<String>], check: &str, items: &[String]) {
    for item in items {
        if let Some(at) = ITEMS.iter().position(|known| known.id == item.as_str()) {
            if let Some(checks) = by_item.get_mut(at) {
                if !checks.iter().any(|seen| seen == check) {
                    checks.push(check.to_string());
                }
            }
        }
    }
}

/// Builds the scorecard from the findings, the facts and the configuration
/// (`enabled_checks` from [`enabled_checks_by_item`]).
pub(crate) fn score<'f>(
    findings: impl IntoIterator<Item = &'f Finding>,
    facts: &InputFacts,
    inventory: &ClusterInventory,
    config: &Config,
    enabled_checks: &[Vec<String>],
) -> Scorecard {
    let today = config.today.as_deref().and_then(days_from_civil);
    // One pass over the findings: (counted, suppressed) per list of items. The
    // findings of a check share one list, so they are told apart by its address.
    let mut by_list: HashMap<usize, (&[String], usize, usize), crate::text::BuildQuickHasher> = HashMap::default();
    for finding in findings {
        let entry = by_list.entry(finding.items.as_ptr() as usize).or_insert((&finding.items, 0, 0));
        if finding.suppressed.is_some() {
            entry.2 += 1;
        } else {
            entry.1 += 1;
        }
    }
    // Then (counted, suppressed) per checklist item.
    let mut tally: HashMap<&str, (usize, usize)> = HashMap::new();
    for (list, counted, suppressed) in by_list.into_values() {
        for (index, item) in list.iter().enumerate() {
            if list[..index].contains(item) {
                continue;
            }
            let entry = tally.entry(item.as_str()).or_default();
            entry.0 += counted;
            entry.1 += suppressed;
        }
    }
    let mut items = Vec::with_capacity(ITEMS.len());
    for (item, checks) in ITEMS.iter().zip(enabled_checks) {
        let checks = checks.clone();
        let (counted, suppressed) = tally.get(item.id).copied().unwrap_or_default();
        let attestation = config.attestations.iter().find(|a| a.item == item.id).cloned();
        let (status, reason) = if counted > 0 {
            (
                ItemStatus::Fail,
                format!("{counted} finding{} against it", if counted == 1 { " counts" } else { "s count" }),
            )
        } else if let Some(attestation) = &attestation {
            let valid_until = days_from_civil(&attestation.date).map(|d| d + i64::from(attestation.valid_days));
            match (today, valid_until) {
                (Some(today), Some(until)) if today > until => (
                    ItemStatus::Expired,
                    format!(
                        "attested by {} on {}, valid for {} days: expired",
                        attestation.by, attestation.date, attestation.valid_days
                    ),
                ),
                _ => (ItemStatus::Attested, format!("attested by {} on {}", attestation.by, attestation.date)),
            }
        } else if let Some(evidence) = inventory.items.iter().find(|e| e.item == item.id) {
            match evidence.assessment {
                Assessment::Present => (ItemStatus::Pass, format!("the input runs {}", evidence.evidence.join(", "))),
                Assessment::Missing => {
                    (ItemStatus::Fail, "the input describes a cluster, and nothing in it provides this".to_string())
                }
                _ => (ItemStatus::NotAssessed, "the input holds no cluster-level objects".to_string()),
            }
        } else if checks.is_empty() && item.relevance == Relevance::AttestationOnly {
            (ItemStatus::NotAssessed, "a process no manifest can show: attest it under `attestations:`".to_string())
        } else if checks.is_empty() {
            (ItemStatus::NotAssessed, "no enabled check gives evidence for it".to_string())
        } else if !facts.holds(item.relevance) {
            (
                ItemStatus::NotAssessed,
                format!("the input holds nothing its checks could judge ({})", relevance_words(item.relevance)),
            )
        } else {
            (ItemStatus::Pass, format!("{} ran on relevant objects and found nothing that counts", checks.join(", ")))
        };
        items.push(ItemResult {
            id: item.id.to_string(),
            section: item.section(),
            slug: item.slug.to_string(),
            title: item.title.to_string(),
            status,
            checks,
            findings: counted,
            suppressed,
            reason,
            attestation,
        });
    }
    let scored = || items.iter().filter(|item| item.section <= 7);
    let score = scored().filter(|item| matches!(item.status, ItemStatus::Pass | ItemStatus::Attested)).count();
    let not_assessed = scored().filter(|item| item.status == ItemStatus::NotAssessed).count();
    let mut counts = BTreeMap::new();
    for status in
        [ItemStatus::Pass, ItemStatus::Fail, ItemStatus::NotAssessed, ItemStatus::Attested, ItemStatus::Expired]
    {
        counts.insert(status, items.iter().filter(|item| item.status == status).count());
    }
    Scorecard {
        score,
        out_of: 50,
        assessed: 50 - not_assessed,
        band: Band::within(score, not_assessed),
        not_assessed,
        counts,
        items,
    }
}

fn relevance_words(relevance: Relevance) -> &'static str {
    match relevance {
        Relevance::Pods => "no workloads",
        Relevance::ProductionNamespaceObjects => "no Namespace object of a production namespace",
        Relevance::ProductionNamespaces => "no named production namespace with workloads or a Namespace object",
        Relevance::OwnedNamespaces => "no named namespace with workloads or a Namespace object",
        Relevance::EgressPolicies => "no NetworkPolicy that restricts egress",
        Relevance::Bindings => "no RoleBindings or ClusterRoleBindings",
        Relevance::Roles => "no Roles or ClusterRoles",
        Relevance::AggregatedRoles => "no aggregated ClusterRoles",
        Relevance::PodsOrServiceAccounts => "no workloads or service accounts",
        Relevance::PodsOrSecrets => "no workloads, Secrets or ConfigMaps",
        Relevance::ControlPlane => "no control-plane manifests",
        Relevance::ClusterInventory => "no cluster-level objects",
        Relevance::AttestationOnly => "a process item",
    }
}

/// The section names, for tables.
pub fn section_name(section: u32) -> &'static str {
    SECTIONS.iter().find(|(number, _)| *number == section).map_or("", |(_, name)| name)
}
