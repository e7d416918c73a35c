//! The configuration: which checks run, at what severity, which namespaces
//! count as production, whether in-manifest exemptions are honoured, limits.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::position::LineIndex;
use crate::yaml::{load_documents, NodeId, Tree};
use crate::{Limits, Position, Severity};

/// The engine's configuration, read from YAML or JSON.
///
/// Unknown keys are an error that names the key and its position.
///
/// ```
/// let config = kubeward::Config::from_text("checks:\n  run-as-non-root:\n    severity: critical\n").unwrap();
/// assert!(kubeward::Engine::new(config).is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Config {
    /// Per-check settings, by check id.
    pub checks: BTreeMap<String, CheckConfig>,
    /// Which namespaces count as production.
    pub production: Production,
    /// Honour `kubeward.io/ignore` annotations in manifests (default true).
    /// Auditors set this to false so that only the configuration can exempt.
    pub allow_inline_ignores: Option<bool>,
    /// Exemptions granted by the configuration.
    pub ignores: Vec<ConfigIgnore>,
    /// Today's date (YYYY-MM-DD), against which exemption expiry dates are
    /// compared. The engine never reads the clock; the CLI fills this in.
    pub today: Option<String>,
    /// Answers to checklist items no manifest can show (process items).
    pub attestations: Vec<Attestation>,
    /// Resource limits.
    pub limits: Limits,
    /// Where images may come from.
    pub images: Images,
    /// The Kubernetes version (`MAJOR.MINOR`, e.g. `"1.34"`) the manifests are
    /// deployed to: apiVersions deprecated or removed by then are reported, and
    /// control-plane images more than one minor behind it. Default:
    /// [`DEFAULT_KUBERNETES_VERSION`].
    pub kubernetes_version: Option<String>,
    /// What the input describes. By default kubeward decides from the input:
    /// it describes a cluster only when it holds clear evidence (control-plane
    /// static pods, node configuration, add-on workloads in `kube-system`, a
    /// `kubectl get -A` dump); otherwise it describes applications, and the
    /// checklist items about the cluster itself are not assessed.
    pub scope: Option<Scope>,
    /// The namespace of the namespaced objects that name none, as `kubectl -n`
    /// would give them. Without it, such an object takes the namespace the
    /// `kustomization.yaml` listing it sets, or else belongs to an unnamed
    /// namespace of its own directory, which namespace-level checks leave
    /// unassessed.
    pub default_namespace: Option<String>,
    /// Report documents that are YAML but not Kubernetes objects (kustomize and
    /// Helm files, values, patches, other tools' configuration) as input
    /// errors instead of skipping them (default false).
    pub strict: bool,
    /// Custom policy files (ValidatingAdmissionPolicies and their bindings; see
    /// docs/policies.md), relative to the configuration file. The core does no
    /// I/O: the command line reads them, and a library user passes their text to
    /// [`Engine::with_policies`](crate::Engine::with_policies).
    pub policies: Vec<String>,
    /// Also evaluate the ValidatingAdmissionPolicies and bindings found in the
    /// scanned input itself (default false): what would the cluster's own
    /// policies reject?
    pub input_policies: Option<bool>,
    /// Values that fixes write where the right one is the user's to choose
    /// (see docs/fixes.md).
    pub fix: FixSettings,
    /// Files and directories the command line leaves out when it walks a
    /// directory, as globs relative to the configuration file (a glob without
    /// `/` matches a name at any depth). The core does no I/O and ignores it.
    pub exclude: Vec<String>,
    /// The configuration's file name, which findings about the configuration
    /// itself (an exemption naming an unknown check or giving no reason) carry;
    /// `configuration` when unset. Not read from the configuration: the door that
    /// read the file sets it.
    #[serde(skip)]
    #[schemars(skip)]
    pub file: Option<String>,
    /// Where each of `ignores` is written, when the configuration was read from text.
    #[serde(skip)]
    #[schemars(skip)]
    pub(crate) ignore_sites: IgnoreSites,
}

/// Where a configuration's `ignores` are written. Not part of what the
/// configuration says: two configurations that say the same are equal however
/// they are written (YAML or JSON, in any layout).
#[derive(Debug, Clone, Default)]
pub(crate) struct IgnoreSites(pub(crate) Vec<IgnoreSite>);

impl PartialEq for IgnoreSites {
    fn eq(&self, _: &IgnoreSites) -> bool {
        true
    }
}

/// Where one of a configuration's `ignores` is written: the entry, and its
/// `check` and `reason` fields when present (key through value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IgnoreSite {
    pub(crate) entry: crate::Range,
    pub(crate) check: Option<crate::Range>,
    pub(crate) reason: Option<crate::Range>,
}

/// The values fixes write where the right one is the user's to choose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct FixSettings {
    /// The non-root UID the `run-as-non-root` fix writes as `runAsUser`
    /// (without it, the fix sets `runAsNonRoot: true` alone, and offers no
    /// fix for `runAsUser: 0`).
    pub run_as_user: Option<i64>,
    /// The Pod Security level the namespace-label fixes write (default `restricted`).
    pub pod_security_level: Option<String>,
    /// The Pod Security version they write (default `latest`).
    pub pod_security_version: Option<String>,
}

/// What an input describes (see [`Config::scope`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Scope {
    /// Applications deployed to a cluster: cluster-wide items are not assessed.
    Application,
    /// A cluster: its control plane, add-ons and configuration are judged too.
    Cluster,
}

/// The target Kubernetes version when the configuration names none: the
/// latest stable minor release when this version of kubeward was written.
pub const DEFAULT_KUBERNETES_VERSION: &str = "1.34";

/// Where images may come from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Images {
    /// Registries images may be pulled from: a host (`registry.example.com`,
    /// `registry.example.com:5000`), a host and path prefix
    /// (`ghcr.io/example-org`), `*` wildcards allowed; `docker.io` names Docker
    /// Hub. When empty, every registry except Docker Hub is allowed.
    pub allowed_registries: Vec<String>,
}

/// A person's statement that a checklist item is met, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Attestation {
    /// Checklist item id (`"2.6"`).
    pub item: String,
    /// Who attests it.
    pub by: String,
    /// When (YYYY-MM-DD).
    pub date: String,
    /// A link to the evidence (a runbook, a review record).
    pub evidence: String,
    /// How many days the attestation stays valid (default 365).
    #[serde(default = "default_valid_days")]
    pub valid_days: u32,
}

fn default_valid_days() -> u32 {
    365
}

/// Settings of one check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct CheckConfig {
    /// `false` turns the check off.
    pub enabled: Option<bool>,
    /// Replaces the check's default severity.
    pub severity: Option<Severity>,
}

/// Which namespaces count as production.
///
/// By default every namespace except `kube-system`, `kube-public` and
/// `kube-node-lease` does, and so do objects that name no namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Production {
    /// When not empty, only these namespaces are production (`*` matches any run of characters).
    pub namespaces: Vec<String>,
    /// Namespaces that are not production (`*` wildcards allowed).
    pub exclude_namespaces: Vec<String>,
}

impl Default for Production {
    fn default() -> Self {
        Production {
            namespaces: Vec::new(),
            exclude_namespaces: vec!["kube-system".into(), "kube-public".into(), "kube-node-lease".into()],
        }
    }
}

impl Production {
    /// Does this namespace (or no namespace) count as production?
    pub fn is_production(&self, namespace: Option<&str>) -> bool {
        let namespace = namespace.unwrap_or("default");
        if !self.namespaces.is_empty() && !self.namespaces.iter().any(|p| glob_match(p, namespace)) {
            return false;
        }
        !self.exclude_namespaces.iter().any(|p| glob_match(p, namespace))
    }
}

/// An exemption written in the configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConfigIgnore {
    /// The check id.
    pub check: String,
    /// Kind of the objects exempted (any when absent).
    pub kind: Option<String>,
    /// Namespace of the objects exempted (`*` wildcards; any when absent).
    pub namespace: Option<String>,
    /// Name of the objects exempted (`*` wildcards; any when absent).
    pub name: Option<String>,
    /// Only this container (any when absent).
    pub container: Option<String>,
    /// Why.
    pub reason: String,
    /// Last day (YYYY-MM-DD) the exemption applies.
    pub expires: Option<String>,
}

/// The UTC date (YYYY-MM-DD, proleptic Gregorian) of a time given in seconds
/// since 1970-01-01, for [`Engine::with_today`](crate::Engine::with_today).
///
/// ```
/// assert_eq!(kubeward::date_of_unix_time(0), "1970-01-01");
/// assert_eq!(kubeward::date_of_unix_time(951_782_400), "2000-02-29");
/// ```
pub fn date_of_unix_time(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

impl ConfigIgnore {
    /// Whether this exemption covers a finding of `check` (about `container`)
    /// on the object of that kind, namespace and name, its expiry aside.
    pub fn applies(
        &self,
        (kind, namespace, name): (&str, Option<&str>, Option<&str>),
        check: &str,
        container: Option<&str>,
    ) -> bool {
        self.check == check
            && self.kind.as_deref().is_none_or(|wanted| wanted == kind)
            && self.namespace.as_deref().is_none_or(|p| glob_match(p, namespace.unwrap_or("default")))
            && self.name.as_deref().is_none_or(|p| name.is_some_and(|name| glob_match(p, name)))
            && self.container.as_deref().is_none_or(|wanted| container == Some(wanted))
    }
}

/// `*` matches any run of characters; everything else matches itself.
pub(crate) fn glob_match(pattern: &str, text: &str) -> bool {
    let Some((head, rest)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let Some(mut remaining) = text.strip_prefix(head) else {
        return false;
    };
    let parts: Vec<&str> = rest.split('*').collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return remaining.len() >= part.len() && remaining.ends_with(part);
        }
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// How deep a configuration may nest once its aliases are expanded. The deepest
/// real configuration (`ignores[].name`) is 3 levels; the bound keeps reading it
/// to a few frames of stack whatever its anchors do.
const MAX_CONFIG_DEPTH: u32 = 32;

/// A configuration that could not be read or is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", match (.file, .position) {
    (Some(file), Some(p)) => format!("{file}:{}:{}: {}", p.line, p.column, .message),
    (Some(file), None) => format!("{file}: {}", .message),
    (None, Some(p)) => format!("configuration line {}, column {}: {}", p.line, p.column, .message),
    (None, None) => format!("configuration: {}", .message),
})]
#[non_exhaustive]
pub struct ConfigError {
    /// What is wrong.
    pub message: String,
    /// Where, when the configuration was read from text.
    pub position: Option<Position>,
    /// The file the position is in, when it is not the configuration itself (a
    /// policy file).
    pub file: Option<String>,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ConfigError { message: message.into(), position: None, file: None }
    }

    /// An error at `position` of `file`.
    #[cfg_attr(not(feature = "policies"), allow(dead_code))]
    pub(crate) fn in_file(file: &str, position: Position, message: impl Into<String>) -> Self {
        ConfigError { message: message.into(), position: Some(position), file: Some(file.to_string()) }
    }
}

impl Config {
    /// Reads a configuration from YAML or JSON text.
    pub fn from_text(text: &str) -> Result<Config, ConfigError> {
        let bytes = text.as_bytes();
        let lines = LineIndex::new(bytes);
        let at = |offset: u32| Some(lines.position(bytes, offset));
        let documents = load_documents(bytes, &Limits::default()).map_err(|e| ConfigError {
            message: e.message,
            position: at(e.offset),
            file: None,
        })?;
        let mut documents = documents.into_iter();
        let Some(document) = documents.next() else {
            return Ok(Config::default());
        };
        if let Some(extra) = documents.next() {
            return Err(ConfigError {
                message: "the configuration must be a single document".into(),
                position: at(extra.start),
                file: None,
            });
        }
        let tree = document.tree.map_err(|e| ConfigError { message: e.message, position: at(e.offset), file: None })?;
        if let Some(&(_, duplicate)) = tree.duplicate_keys.first() {
            return Err(ConfigError {
                message: "duplicate key".into(),
                position: at(tree.raw(duplicate).start),
                file: None,
            });
        }
        if tree.is_null(tree.root) {
            return Ok(Config::default());
        }
        let max_depth = MAX_CONFIG_DEPTH;
        let json = tree.to_json(tree.root, max_depth).map_err(|node| ConfigError {
            message: format!("configuration nests deeper than {max_depth} levels (counting through its aliases)"),
            position: at(tree.raw(node).start),
            file: None,
        })?;
        let mut config = serde_path_to_error::deserialize::<_, Config>(json).map_err(|error| {
            let segments: Vec<String> = error
                .path()
                .iter()
                .filter_map(|segment| match segment {
                    serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                    serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                    _ => None,
                })
                .collect();
            let inner = error.inner().to_string();
            let (node, key) = locate(&tree, &segments, &inner);
            let offset = match key {
                Some(key) => tree.raw(key).start,
                None => tree.raw(node).start,
            };
            let path = if segments.is_empty() { String::new() } else { format!(" at `{}`", segments.join(".")) };
            ConfigError { message: format!("{inner}{path}"), position: at(offset), file: None }
        })?;
        config.ignore_sites = IgnoreSites(ignore_sites(&tree, &lines, bytes));
        Ok(config)
    }

    /// The effective severity and enablement of a check.
    pub(crate) fn check_settings(&self, id: &str, default: Severity) -> (bool, Severity) {
        match self.checks.get(id) {
            Some(settings) => (settings.enabled.unwrap_or(true), settings.severity.unwrap_or(default)),
            None => (true, default),
        }
    }

    /// Checks what serde cannot: check ids exist, dates parse.
    pub(crate) fn validate(&self, known_check: impl Fn(&str) -> bool) -> Result<(), ConfigError> {
        for id in self.checks.keys() {
            if !known_check(id) {
                return Err(ConfigError::new(format!("unknown check `{id}` in `checks` (see `kubeward checks`)")));
            }
        }
        // An exemption naming an unknown check or giving no reason is a finding
        // (`invalid-exemption`, see `Engine::configuration_findings`), not an error.
        for ignore in &self.ignores {
            if let Some(expires) = &ignore.expires {
                if !is_date(expires) {
                    return Err(ConfigError::new(format!("`expires: {expires}` is not a date (YYYY-MM-DD)")));
                }
            }
        }
        for attestation in &self.attestations {
            if crate::checklist::item(&attestation.item).is_none() {
                return Err(ConfigError::new(format!(
                    "unknown checklist item `{}` in `attestations`",
                    attestation.item
                )));
            }
            if !is_date(&attestation.date) {
                return Err(ConfigError::new(format!("`date: {}` is not a date (YYYY-MM-DD)", attestation.date)));
            }
            if attestation.by.trim().is_empty() || attestation.evidence.trim().is_empty() {
                return Err(ConfigError::new(format!(
                    "the attestation of item {} needs `by` and `evidence`",
                    attestation.item
                )));
            }
        }
        if let Some(today) = &self.today {
            if !is_date(today) {
                return Err(ConfigError::new(format!("`today: {today}` is not a date (YYYY-MM-DD)")));
            }
        }
        if let Some(version) = &self.kubernetes_version {
            if parse_minor_version(version).is_none() {
                return Err(ConfigError::new(format!(
                    "`kubernetesVersion: {version}` is not a Kubernetes version (MAJOR.MINOR, e.g. 1.34)"
                )));
            }
        }
        if self.limits.max_depth == 0 || self.limits.max_file_bytes == 0 {
            return Err(ConfigError::new("limits must be greater than zero"));
        }
        Ok(())
    }
}

impl Config {
    /// The target Kubernetes minor version (`(1, 34)`): the configured one, or the default.
    pub(crate) fn target_version(&self) -> (u32, u32) {
        self.kubernetes_version
            .as_deref()
            .and_then(parse_minor_version)
            .or_else(|| parse_minor_version(DEFAULT_KUBERNETES_VERSION))
            .unwrap_or((1, 34))
    }
}

/// Where each entry of `ignores` is written (the configuration was read, so
/// `ignores`, when present, is a sequence of mappings).
fn ignore_sites(tree: &Tree, lines: &LineIndex, bytes: &[u8]) -> Vec<IgnoreSite> {
    let Some(ignores) = tree.get(tree.root, "ignores") else { return Vec::new() };
    let ignores = tree.resolve(ignores.value);
    let field = |entry: NodeId, key: &str| {
        tree.get(entry, key).map(|found| {
            let end = tree.raw(found.value).end.max(tree.raw(found.key).end);
            lines.range(bytes, tree.raw(found.key).start, end)
        })
    };
    tree.items(ignores)
        .iter()
        .map(|&item| {
            let raw = tree.raw(item);
            let entry = tree.resolve(item);
            IgnoreSite {
                entry: lines.range(bytes, raw.start, raw.end),
                check: field(entry, "check"),
                reason: field(entry, "reason"),
            }
        })
        .collect()
}

/// Reads `1.34`, `v1.34` or `1.34.2` as `(1, 34)`.
pub(crate) fn parse_minor_version(text: &str) -> Option<(u32, u32)> {
    let text = text.trim().trim_start_matches('v');
    let mut parts = text.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    if let Some(patch) = parts.next() {
        patch.parse::<u32>().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor))
}

/// `YYYY-MM-DD` with plausible month and day.
pub(crate) fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let digits = |range: std::ops::Range<usize>| text.get(range).and_then(|s| s.parse::<u32>().ok());
    matches!((digits(0..4), digits(5..7), digits(8..10)), (Some(_), Some(1..=12), Some(1..=31)))
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
pub(crate) fn days_from_civil(date: &str) -> Option<i64> {
    if !is_date(date) {
        return None;
    }
    let year: i64 = date.get(0..4)?.parse().ok()?;
    let month: i64 = date.get(5..7)?.parse().ok()?;
    let day: i64 = date.get(8..10)?.parse().ok()?;
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// Finds the node a serde error path points at, and the offending key for unknown fields.
fn locate(tree: &Tree, segments: &[String], message: &str) -> (NodeId, Option<NodeId>) {
    let mut node = tree.root;
    let mut key_node = None;
    for segment in segments {
        let next = if tree.is_seq(node) {
            segment.parse::<usize>().ok().and_then(|i| tree.items(node).get(i).copied())
        } else {
            tree.get(node, segment).map(|entry| {
                key_node = Some(entry.key);
                entry.value
            })
        };
        match next {
            Some(next) => node = tree.resolve(next),
            None => break,
        }
    }
    if let Some(field) = message.strip_prefix("unknown field `").and_then(|rest| rest.split('`').next()) {
        if let Some(entry) = tree.get(node, field) {
            return (node, Some(entry.key));
        }
    }
    (node, key_node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_exemptions_are_written_is_not_part_of_the_configuration() {
        let yaml = "ignores:\n- check: no-privileged\n  reason: agent\n";
        let config = Config::from_text(yaml).unwrap();
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(Config::from_text(&json).unwrap(), config);
        assert_eq!(config.ignore_sites.0[0].check.map(|range| range.start.line), Some(2));
    }

    #[test]
    fn unknown_keys_name_the_key_and_its_line() {
        let error = Config::from_text("checks: {}\nproduction:\n  namespace: [prod]\n").unwrap_err();
        assert!(error.message.contains("unknown field `namespace`"), "{error}");
        let position = error.position.expect("position");
        assert_eq!((position.line, position.column), (3, 3));
    }

    #[test]
    fn wrong_types_are_positioned() {
        let error = Config::from_text("checks:\n  run-as-non-root:\n    severity: dire\n").unwrap_err();
        assert_eq!(error.position.map(|p| p.line), Some(3), "{error}");
    }

    #[test]
    fn json_and_empty_configs_read() {
        assert!(Config::from_text("{\"allowInlineIgnores\": false}").unwrap().allow_inline_ignores == Some(false));
        assert_eq!(Config::from_text("").unwrap(), Config::default());
        assert_eq!(Config::from_text("# nothing\n").unwrap(), Config::default());
    }

    #[test]
    fn production_defaults_exclude_system_namespaces() {
        let production = Production::default();
        assert!(production.is_production(None));
        assert!(production.is_production(Some("shop")));
        assert!(!production.is_production(Some("kube-system")));
        let only = Production { namespaces: vec!["prod-*".into()], exclude_namespaces: vec![] };
        assert!(only.is_production(Some("prod-eu")));
        assert!(!only.is_production(Some("dev")));
    }

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil("1970-01-01"), Some(0));
        assert_eq!(days_from_civil("2000-03-01"), Some(11_017));
        assert_eq!(days_from_civil("nope"), None);
    }

    #[test]
    fn excludes_read() {
        let config = Config::from_text("exclude: [vendor, 'charts/*/tests']\n").unwrap();
        assert_eq!(config.exclude, ["vendor", "charts/*/tests"]);
    }

    #[test]
    fn image_and_version_settings_read_and_validate() {
        let config =
            Config::from_text("images:\n  allowedRegistries: [registry.example.com]\nkubernetesVersion: \"1.29\"\n")
                .unwrap();
        assert_eq!(config.images.allowed_registries, vec!["registry.example.com".to_string()]);
        assert_eq!(config.target_version(), (1, 29));
        assert_eq!(Config::default().target_version(), (1, 34));
        assert!(Config::from_text("kubernetesVersion: soon\n").unwrap().validate(|_| true).is_err());
        assert_eq!(parse_minor_version("v1.30.2"), Some((1, 30)));
        assert_eq!(parse_minor_version("1"), None);
    }

    #[test]
    fn globs() {
        assert!(glob_match("a*c", "abc"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "a-b-c"));
        assert!(!glob_match("a*c", "ab"));
    }
}
