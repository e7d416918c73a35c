//! Custom policies: compiled when the engine is built, their scene (namespaces,
//! CustomResourceDefinitions, parameters, the input's own policies) foreseen
//! before the objects are checked, and evaluated with each object's own checks.
//!
//! The scene is read before the per-object stage, as the Pod Security foresight
//! is, from only the documents that name a kind it keeps (a byte search first):
//! a policy then sees `namespaceObject` and its parameters while the object's
//! tree is at hand, and no object is read twice for its own sake.

#[cfg(not(feature = "policies"))]
use super::Engine;
use crate::policy::Violation;

/// What the policy foresight hands the per-object stage.
#[cfg(feature = "policies")]
pub(super) type PolicyScene = crate::policy::Scene;
/// What the policy foresight hands the per-object stage: nothing without the feature.
#[cfg(not(feature = "policies"))]
pub(super) type PolicyScene = ();

#[cfg(feature = "policies")]
mod enabled {
    use std::sync::Arc;

    use super::super::read::Inputs;
    use super::super::Engine;
    use super::Violation;
    use crate::config::ConfigError;
    use crate::model::object::ObjectNode;
    use crate::model::object::{identity, objects_of};
    use crate::model::Identity;
    use crate::policy::{PolicyError, PolicySet, Scene, Subject};
    use crate::position::LineIndex;
    use crate::report::InputError;
    use crate::yaml::Tree;
    use crate::yaml::{document_ranges, load_document_at};
    use crate::Source;

    /// The first problem of a policy file, as a configuration error.
    fn config_error(sources: &[Source<'_>], error: PolicyError) -> ConfigError {
        let bytes = sources.iter().find(|source| source.name == error.file).map_or(&[][..], |source| source.content);
        let position = LineIndex::new(bytes).position(bytes, error.offset);
        ConfigError::in_file(&error.file, position, error.message)
    }

    impl Engine {
        /// Compiles the policies of `sources`; the first problem is the error.
        pub(in crate::engine) fn compile_policies(&mut self, sources: &[Source<'_>]) -> Result<(), ConfigError> {
            if sources.is_empty() {
                return Ok(());
            }
            let files: Vec<(&str, &[u8])> = sources.iter().map(|source| (source.name, source.content)).collect();
            let (set, errors) = PolicySet::load(&files, &self.config.limits, true);
            if let Some(error) = errors.into_iter().next() {
                return Err(config_error(sources, error));
            }
            self.policies = Some(Arc::new(set));
            Ok(())
        }

        /// Each policy's name and checklist items.
        pub(in crate::engine) fn policy_items(&self) -> Vec<(String, Vec<String>)> {
            self.policies
                .iter()
                .flat_map(|set| set.items().map(|(name, items)| (name.to_string(), items.to_vec())))
                .collect()
        }

        /// The names of the engine's policies.
        pub(in crate::engine) fn policy_names(&self) -> Vec<String> {
            self.policies.iter().flat_map(|set| set.names().map(str::to_string)).collect()
        }

        /// The scene of a scan (see the module's documentation), and the problems
        /// of the input's own policies as input errors. `None` when no policy can run.
        pub(in crate::engine) fn foresee_policies(&self, inputs: &impl Inputs) -> (Option<Scene>, Vec<InputError>) {
            let input_policies = self.config.input_policies == Some(true);
            let Some(policies) = self.policies.as_deref().or(input_policies.then_some(&EMPTY)) else {
                return (None, Vec::new());
            };
            let limits = &self.config.limits;
            let param_kinds: Vec<(String, String)> = policies.param_kinds().cloned().collect();
            let mut markers: Vec<&str> = vec!["Namespace", "CustomResourceDefinition"];
            markers.extend(param_kinds.iter().map(|(_, kind)| kind.as_str()));
            if input_policies {
                markers.push("ValidatingAdmissionPolic");
            }
            let finders: Vec<memchr::memmem::Finder<'_>> =
                markers.iter().map(|marker| memchr::memmem::Finder::new(marker.as_bytes())).collect();
            let named = |text: &[u8]| finders.iter().any(|finder| finder.find(text).is_some());
            let per_file = self.each_file(inputs.count(), |file| {
                let mut scene = Scene::default();
                let mut found = false;
                let Ok(bytes) = inputs.bytes(file) else { return (scene, None, Vec::new()) };
                if !named(&bytes) {
                    return (scene, None, Vec::new());
                }
                let name = inputs.name(file);
                Self::each_named_object(&bytes, limits, &named, |tree, node, identity| {
                    scene.see(tree, node, identity, &param_kinds);
                    if input_policies && crate::policy::is_admission_policy(&identity.api_version, &identity.kind) {
                        found = true;
                    }
                });
                let mut errors = Vec::new();
                let input = found.then(|| {
                    let (set, problems) = PolicySet::load(&[(name, &bytes)], limits, false);
                    let lines = LineIndex::new(&bytes);
                    for problem in problems {
                        let at = lines.position(&bytes, problem.offset);
                        errors.push(InputError {
                            file: name.into(),
                            document: None,
                            range: crate::Range { start: at, end: at },
                            message: format!("policy: {}", problem.message),
                        });
                    }
                    set
                });
                (scene, input, errors)
            });
            let mut scene = Scene::default();
            let mut input_set: Option<PolicySet> = None;
            let mut errors = Vec::new();
            let taken = self.policy_names();
            for (file, (file_scene, input, file_errors)) in per_file.into_iter().enumerate() {
                scene.merge(file_scene);
                errors.extend(file_errors);
                let Some(input) = input else { continue };
                let problems = input_set.get_or_insert_with(PolicySet::default).merge(input, &taken);
                if problems.is_empty() {
                    continue;
                }
                let bytes = inputs.bytes(file).unwrap_or_default();
                let lines = LineIndex::new(&bytes);
                for (offset, message) in problems {
                    let at = lines.position(&bytes, offset);
                    errors.push(InputError {
                        file: inputs.name(file).into(),
                        document: None,
                        range: crate::Range { start: at, end: at },
                        message: format!("policy: {message}"),
                    });
                }
            }
            if let Some(input_set) = &input_set {
                // The input's policies may take parameters of kinds the first pass did not keep.
                let known: Vec<(String, String)> = param_kinds.clone();
                let more: Vec<(String, String)> =
                    input_set.param_kinds().filter(|kind| !known.contains(kind)).cloned().collect();
                if !more.is_empty() {
                    let finders: Vec<memchr::memmem::Finder<'_>> =
                        more.iter().map(|(_, kind)| memchr::memmem::Finder::new(kind.as_bytes())).collect();
                    let named = |text: &[u8]| finders.iter().any(|finder| finder.find(text).is_some());
                    let found = self.each_file(inputs.count(), |file| {
                        let mut scene = Scene::default();
                        let Ok(bytes) = inputs.bytes(file) else { return scene };
                        if !named(&bytes) {
                            return scene;
                        }
                        Self::each_named_object(&bytes, limits, &named, |tree, node, identity| {
                            scene.see_params(tree, node, identity, &more);
                        });
                        scene
                    });
                    for file_scene in found {
                        scene.merge(file_scene);
                    }
                }
            }
            if let Some(input_set) = input_set {
                scene.add_input_policies(input_set);
            }
            (Some(scene), errors)
        }

        /// Calls `visit` on each object of the documents of `bytes` whose text
        /// `named` accepts (a cheap byte search before any parsing).
        fn each_named_object(
            bytes: &[u8],
            limits: &crate::Limits,
            named: &dyn Fn(&[u8]) -> bool,
            mut visit: impl FnMut(&Tree, crate::yaml::NodeId, &Identity),
        ) {
            for range in document_ranges(bytes, limits) {
                let text = bytes.get(range.0 as usize..range.1 as usize).unwrap_or_default();
                if !named(text) {
                    continue;
                }
                let Some(tree) = load_document_at(bytes, range, limits) else { continue };
                for node in objects_of(&tree).unwrap_or_default() {
                    visit(&tree, node.node, &identity(&tree, node.node));
                }
            }
        }

        /// Does a policy match this object (of a kind kubeward does not check)?
        pub(in crate::engine) fn policy_wants(
            &self,
            tree: &Tree,
            node: &ObjectNode,
            identity: &Identity,
            scene: Option<&Scene>,
        ) -> bool {
            let Some(scene) = scene else { return false };
            let subject = Subject { tree, node: node.node, pointer: &node.pointer, span: node.span, identity };
            self.policies.as_deref().unwrap_or(&EMPTY).matches(&subject, scene)
        }

        /// Evaluates the policies against one object.
        pub(in crate::engine) fn evaluate_policies(
            &self,
            tree: &Tree,
            node: &ObjectNode,
            identity: &Identity,
            scene: Option<&Scene>,
        ) -> Vec<Violation> {
            let Some(scene) = scene else { return Vec::new() };
            let subject = Subject { tree, node: node.node, pointer: &node.pointer, span: node.span, identity };
            self.policies.as_deref().unwrap_or(&EMPTY).evaluate(&subject, scene)
        }
    }

    static EMPTY: std::sync::LazyLock<PolicySet> = std::sync::LazyLock::new(PolicySet::default);
}

/// No policies without the feature.
#[cfg(not(feature = "policies"))]
impl Engine {
    pub(in crate::engine) fn policy_names(&self) -> Vec<String> {
        Vec::new()
    }

    pub(in crate::engine) fn policy_items(&self) -> Vec<(String, Vec<String>)> {
        Vec::new()
    }

    pub(in crate::engine) fn policy_wants(
        &self,
        _tree: &crate::yaml::Tree,
        _node: &crate::model::object::ObjectNode,
        _identity: &crate::model::Identity,
        _scene: Option<&PolicyScene>,
    ) -> bool {
        false
    }

    pub(in crate::engine) fn foresee_policies(
        &self,
        _inputs: &impl super::read::Inputs,
    ) -> (Option<PolicyScene>, Vec<crate::report::InputError>) {
        (None, Vec::new())
    }

    pub(in crate::engine) fn evaluate_policies(
        &self,
        _tree: &crate::yaml::Tree,
        _node: &crate::model::object::ObjectNode,
        _identity: &crate::model::Identity,
        _scene: Option<&PolicyScene>,
    ) -> Vec<Violation> {
        Vec::new()
    }
}
