//! The layout: what the files of a scan say about each other, read before the
//! objects are. A `kustomization.yaml` gives the namespace-less objects of the
//! files it lists (directly, or through the kustomizations that build on it)
//! the namespace it sets, and names files that are kustomize's inputs
//! (patches, generator sources) rather than objects.

use std::collections::{BTreeSet, HashMap};

use super::read::{Inputs, LoadedFile};
use super::Engine;
use crate::model::kustomization::{join, normalize, Kustomization};
use crate::model::recognize::{directory_of, is_kustomization_file};
use crate::yaml::load_documents;

/// What the layout says about one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct FileRole {
    /// The namespace kustomize gives the objects of the file that name none.
    pub(super) namespace: Option<String>,
    /// The file is one of a kustomization's inputs: what it is, and the
    /// kustomization that lists it.
    pub(super) input_of: Option<(&'static str, String)>,
    /// When the file's objects get no namespace: the directory of the one
    /// kustomization that builds them (with whatever else it lists, into one
    /// namespace), whose unnamed namespace they share.
    pub(super) built_in: Option<String>,
}

/// What the layout says about every file of a scan, by file index.
#[derive(Debug, Default)]
pub(super) struct Layout {
    roles: Vec<FileRole>,
}

/// The role of a file the layout says nothing about.
static NO_ROLE: FileRole = FileRole { namespace: None, input_of: None, built_in: None };

impl Layout {
    /// The role of file `index`.
    pub(super) fn role(&self, index: usize) -> &FileRole {
        self.roles.get(index).unwrap_or(&NO_ROLE)
    }

    /// The layout of files named `names`, given the kustomizations among them
    /// (by file index).
    pub(super) fn of(names: &[&str], kustomizations: Vec<(usize, Kustomization)>) -> Layout {
        if kustomizations.is_empty() {
            return Layout::default();
        }
        let normalized: Vec<String> = names.iter().map(|name| normalize(name)).collect();
        let file_of: HashMap<&str, usize> =
            normalized.iter().enumerate().map(|(index, name)| (name.as_str(), index)).collect();
        let directory_of_k: Vec<&str> =
            kustomizations.iter().map(|(file, _)| directory_of(normalized[*file].as_str())).collect();
        let kustomization_in: HashMap<&str, usize> =
            directory_of_k.iter().enumerate().map(|(k, directory)| (*directory, k)).collect();
        let mut roles = vec![FileRole::default(); names.len()];
        // Which kustomizations each one builds on, and which files each lists.
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); kustomizations.len()];
        let mut has_parent = vec![false; kustomizations.len()];
        let mut listed_by: HashMap<usize, Vec<usize>> = HashMap::new();
        for (k, (file, kustomization)) in kustomizations.iter().enumerate() {
            let directory = directory_of_k[k];
            for resource in &kustomization.resources {
                let Some(path) = join(directory, resource) else { continue };
                if let Some(&child) = kustomization_in.get(path.as_str()) {
                    if child != k {
                        children[k].push(child);
                        has_parent[child] = true;
                    }
                } else if let Some(&listed) = file_of.get(path.as_str()) {
                    listed_by.entry(listed).or_default().push(k);
                }
            }
            for (input, what) in &kustomization.inputs {
                let Some(path) = join(directory, input) else { continue };
                if let Some(&listed) = file_of.get(path.as_str()) {
                    roles[listed].input_of.get_or_insert_with(|| (*what, names[*file].to_string()));
                }
            }
        }
        // What reaches each kustomization from the kustomizations that build on it,
        // the outermost first: the namespace its objects end up in (the outermost
        // kustomization that sets one wins), and which outermost kustomization builds them.
        let own = |k: usize| kustomizations[k].1.namespace.clone();
        let mut reaching: Vec<BTreeSet<(Option<String>, usize)>> = vec![BTreeSet::new(); kustomizations.len()];
        let mut queue: Vec<usize> = Vec::new();
        for k in 0..kustomizations.len() {
            if !has_parent[k] {
                reaching[k].insert((own(k), k));
                queue.push(k);
            }
        }
        loop {
            while let Some(parent) = queue.pop() {
                for &child in &children[parent] {
                    let from_parent: Vec<(Option<String>, usize)> = reaching[parent]
                        .iter()
                        .map(|(outer, root)| (if outer.is_some() { outer.clone() } else { own(child) }, *root))
                        .collect();
                    let before = reaching[child].len();
                    reaching[child].extend(from_parent);
                    if reaching[child].len() > before {
                        queue.push(child);
                    }
                }
            }
            // Kustomizations only reached through a cycle start from themselves.
            let Some(unreached) = (0..kustomizations.len()).find(|&k| reaching[k].is_empty()) else { break };
            reaching[unreached].insert((own(unreached), unreached));
            queue.push(unreached);
        }
        for (file, listers) in listed_by {
            let reached: Vec<&(Option<String>, usize)> = listers.iter().flat_map(|&k| &reaching[k]).collect();
            let namespaces: BTreeSet<&Option<String>> = reached.iter().map(|(namespace, _)| namespace).collect();
            let roots: BTreeSet<usize> = reached.iter().map(|(_, root)| *root).collect();
            // One namespace whichever way the file is built; otherwise none can be told.
            if let [Some(namespace)] = namespaces.into_iter().collect::<Vec<_>>()[..] {
                roles[file].namespace = Some(namespace.clone());
            } else if let [root] = roots.into_iter().collect::<Vec<_>>()[..] {
                roles[file].built_in = Some(directory_of_k[root].to_string());
            }
        }
        Layout { roles }
    }
}

impl Layout {
    /// The layout of files already read.
    pub(super) fn of_loaded(files: &[LoadedFile<'_>]) -> Layout {
        let kustomizations = files
            .iter()
            .enumerate()
            .filter(|(_, file)| is_kustomization_file(file.name))
            .filter_map(|(index, file)| {
                let document = file.documents.as_ref().ok()?.first()?;
                Some((index, Kustomization::read(document.tree.as_ref().ok()?)))
            })
            .collect();
        let names: Vec<&str> = files.iter().map(|file| file.name).collect();
        Layout::of(&names, kustomizations)
    }
}

impl Engine {
    /// Reads the kustomizations among the inputs and works out the layout.
    pub(super) fn foresee_layout(&self, inputs: &impl Inputs) -> Layout {
        let count = inputs.count();
        let candidates: Vec<usize> = (0..count).filter(|&file| is_kustomization_file(inputs.name(file))).collect();
        if candidates.is_empty() {
            return Layout::default();
        }
        let kustomizations = candidates
            .into_iter()
            .filter_map(|file| {
                let bytes = inputs.bytes(file).ok()?;
                let documents = load_documents(&bytes, &self.config.limits).ok()?;
                let tree = documents.into_iter().next()?.tree.ok()?;
                Some((file, Kustomization::read(&tree)))
            })
            .collect();
        let names: Vec<&str> = (0..count).map(|file| inputs.name(file)).collect();
        Layout::of(&names, kustomizations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kustomization(namespace: Option<&str>, resources: &[&str], inputs: &[&str]) -> Kustomization {
        Kustomization {
            namespace: namespace.map(str::to_string),
            resources: resources.iter().map(|r| r.to_string()).collect(),
            inputs: inputs.iter().map(|i| (i.to_string(), "a patch")).collect(),
        }
    }

    #[test]
    fn a_kustomization_names_the_namespace_of_what_it_lists() {
        let names = ["app/kustomization.yaml", "app/deploy.yaml", "app/patch.yaml", "other/deploy.yaml"];
        let layout = Layout::of(&names, vec![(0, kustomization(Some("shop"), &["deploy.yaml"], &["./patch.yaml"]))]);
        assert_eq!(layout.role(1).namespace.as_deref(), Some("shop"));
        assert_eq!(layout.role(2).input_of, Some(("a patch", "app/kustomization.yaml".to_string())));
        assert_eq!(layout.role(3), &FileRole::default());
    }

    #[test]
    fn files_one_kustomization_builds_share_its_unnamed_namespace() {
        let names =
            ["app/kustomization.yaml", "app/base/kustomization.yaml", "app/base/deploy.yaml", "policies/np.yaml"];
        let layout = Layout::of(
            &names,
            vec![
                (0, kustomization(None, &["base", "../policies/np.yaml"], &[])),
                (1, kustomization(None, &["deploy.yaml"], &[])),
            ],
        );
        assert_eq!(layout.role(2).built_in.as_deref(), Some("app"));
        assert_eq!(layout.role(3).built_in.as_deref(), Some("app"));
        assert_eq!(layout.role(2).namespace, None);
    }

    #[test]
    fn the_outermost_namespace_wins_and_disagreement_names_none() {
        let names = [
            "k/base/kustomization.yaml",
            "k/base/deploy.yaml",
            "k/prod/kustomization.yaml",
            "k/mid/kustomization.yaml",
            "k/mid/extra.yaml",
        ];
        // prod (namespace prod) builds on mid (namespace mid), which builds on base (none).
        let layout = Layout::of(
            &names,
            vec![
                (0, kustomization(None, &["deploy.yaml"], &[])),
                (2, kustomization(Some("prod"), &["../mid"], &[])),
                (3, kustomization(Some("mid"), &["../base", "extra.yaml"], &[])),
            ],
        );
        assert_eq!(layout.role(1).namespace.as_deref(), Some("prod"));
        assert_eq!(layout.role(4).namespace.as_deref(), Some("prod"));
        // A second overlay with another namespace makes the base's namespace unknowable.
        let names = ["b/kustomization.yaml", "b/d.yaml", "p/kustomization.yaml", "s/kustomization.yaml"];
        let layout = Layout::of(
            &names,
            vec![
                (0, kustomization(None, &["d.yaml"], &[])),
                (2, kustomization(Some("prod"), &["../b"], &[])),
                (3, kustomization(Some("staging"), &["../b"], &[])),
            ],
        );
        assert_eq!(layout.role(1).namespace, None);
    }

    #[test]
    fn cycles_end() {
        let names = ["a/kustomization.yaml", "b/kustomization.yaml", "a/x.yaml"];
        let layout = Layout::of(
            &names,
            vec![(0, kustomization(Some("a"), &["../b", "x.yaml"], &[])), (1, kustomization(None, &["../a"], &[]))],
        );
        assert_eq!(layout.role(2).namespace.as_deref(), Some("a"));
    }
}
