//! Kustomize overlays: which kustomizations deploy a manifest, and the patches each of them
//! applies to it on the way, so that Kubernetes rules judge a base as every overlay renders it.
//!
//! Written here, not taken from a crate: Kustomize is Go, no Rust crate renders it, and andon
//! needs merged objects whose nodes keep places in the base file. The common subset, natively:
//! strategic-merge patches (files and inline, by the patch's own kind and name or by a
//! `target:`), JSON 6902 `add` / `replace` / `remove`, and components. A patch that uses
//! anything else (regular-expression targets, `move`, `test`, a patch file outside the run)
//! leaves the object as written, which is what andon judged before it read overlays.

use super::repo::{is_kustomization, join, parent, RepoIndex};
use crate::source::Span;
use crate::syntax::tree::{Entry, Node, NodeKind};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Most chains of kustomizations followed from one manifest up to the overlays that deploy it.
const CHAIN_BUDGET: usize = 64;
/// Deepest chain of kustomizations followed (a cycle ends it sooner).
const CHAIN_DEPTH: usize = 16;

/// One `kustomization.yaml`, as far as rendering needs it.
#[derive(Debug, Default)]
pub struct Kustomization {
    /// The folder it lives in (`""` at the top).
    pub folder: String,
    /// `resources` and `bases`, joined to the folder; remote ones left out.
    pub resources: Vec<String>,
    /// `components`, joined to the folder.
    pub components: Vec<String>,
    /// `patches`, `patchesStrategicMerge` and `patchesJson6902`, in that order.
    pub patches: Vec<PatchRef>,
    /// `namePrefix` and `nameSuffix`: what it adds to the names of the objects it deploys.
    pub name_prefix: String,
    pub name_suffix: String,
}

/// Where a patch is written, and what it targets.
#[derive(Debug, Clone)]
pub struct PatchRef {
    pub source: PatchSource,
    /// `target:`; `None` for a strategic-merge patch that names its object itself.
    pub target: Option<Target>,
}

#[derive(Debug, Clone)]
pub enum PatchSource {
    /// A file, joined to the kustomization's folder.
    File(String),
    /// The patch text written in the kustomization.
    Inline(String),
}

/// A patch `target:`: the objects it applies to.
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub kind: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// `labelSelector` as `key=value` pairs.
    pub labels: Vec<(String, String)>,
    /// A field this reading cannot match (a regular expression, a set-based selector): the
    /// patch is not applied, so the object stays as written.
    pub unsupported: bool,
}

impl Kustomization {
    /// Reads the kustomization at `path` from its text.
    pub fn read(path: &str, text: &str) -> Kustomization {
        let folder = parent(path).to_string();
        let tree = crate::syntax::yaml::parse(text, &crate::syntax::Limits::default());
        let mut k = Kustomization {
            folder,
            ..Kustomization::default()
        };
        for root in tree.docs.iter().filter_map(|d| d.root.as_ref()) {
            let paths = |field: &str| -> Vec<String> {
                let items = root.get(field).and_then(Node::as_seq).unwrap_or_default();
                items
                    .iter()
                    .filter_map(Node::as_str)
                    .filter(|p| !p.contains("://") && !p.starts_with("github.com/"))
                    .filter_map(|p| join(&k.folder, p))
                    .collect()
            };
            let mut resources = paths("resources");
            resources.extend(paths("bases"));
            let components = paths("components");
            let mut patches = Vec::new();
            for field in ["patches", "patchesStrategicMerge", "patchesJson6902"] {
                for item in root.get(field).and_then(Node::as_seq).unwrap_or_default() {
                    patches.extend(k.patch_ref(item));
                }
            }
            let text_of = |field: &str| root.get(field).and_then(Node::as_str).unwrap_or_default().to_string();
            k.name_prefix = text_of("namePrefix");
            k.name_suffix = text_of("nameSuffix");
            k.resources.extend(resources);
            k.components.extend(components);
            k.patches.extend(patches);
        }
        k
    }

    fn patch_ref(&self, item: &Node) -> Option<PatchRef> {
        // `patchesStrategicMerge` lists paths, or patches written inline as YAML text.
        if let Some(text) = item.as_str() {
            let inline = text.contains('\n') || text.contains(": ");
            let source = if inline {
                PatchSource::Inline(text.to_string())
            } else {
                PatchSource::File(join(&self.folder, text)?)
            };
            return Some(PatchRef { source, target: None });
        }
        let source = match (item.get("path").and_then(Node::as_str), item.get("patch").and_then(Node::as_str)) {
            (Some(path), _) => PatchSource::File(join(&self.folder, path)?),
            (None, Some(text)) => PatchSource::Inline(text.to_string()),
            (None, None) => return None,
        };
        Some(PatchRef {
            source,
            target: item.get("target").map(Target::read),
        })
    }

    /// The patch files it names.
    pub fn patch_files(&self) -> impl Iterator<Item = &str> {
        self.patches.iter().filter_map(|p| match &p.source {
            PatchSource::File(f) => Some(f.as_str()),
            PatchSource::Inline(_) => None,
        })
    }
}

impl Target {
    fn read(node: &Node) -> Target {
        let field = |k: &str| node.get(k).and_then(Node::as_str).map(str::to_string);
        let mut t = Target {
            kind: field("kind"),
            name: field("name"),
            namespace: field("namespace"),
            ..Target::default()
        };
        let regex = |s: &Option<String>| s.as_deref().is_some_and(|s| s.contains(['*', '(', '|', '[', '^', '$', '+', '?']));
        t.unsupported = regex(&t.name) || regex(&t.kind) || node.get("annotationSelector").is_some();
        if let Some(selector) = node.get("labelSelector").and_then(Node::as_str) {
            for term in selector.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                match term.split_once('=') {
                    Some((k, v)) if !k.ends_with('!') && !term.contains(' ') => {
                        t.labels.push((k.trim().to_string(), v.trim_start_matches('=').trim().to_string()))
                    }
                    _ => t.unsupported = true,
                }
            }
        }
        t
    }

    fn matches(&self, object: &Node) -> bool {
        let meta = |k: &str| object.get_path(&["metadata", k]).and_then(Node::as_str);
        let same = |want: &Option<String>, have: Option<&str>| want.as_deref().is_none_or(|w| Some(w) == have);
        !self.unsupported
            && same(&self.kind, object.get("kind").and_then(Node::as_str))
            && same(&self.name, meta("name"))
            && same(&self.namespace, meta("namespace"))
            && self
                .labels
                .iter()
                .all(|(k, v)| object.get_path(&["metadata", "labels", k]).and_then(Node::as_str) == Some(v.as_str()))
    }
}

/// One patch, read.
#[derive(Debug)]
pub struct Patch {
    pub target: Option<Target>,
    pub body: PatchBody,
}

#[derive(Debug)]
pub enum PatchBody {
    /// Strategic-merge documents.
    Strategic(Vec<Node>),
    Json6902(Vec<Op>),
    /// A patch that could not be read or uses an operation this reading does not apply.
    Unsupported,
}

/// One JSON 6902 operation.
#[derive(Debug)]
pub struct Op {
    pub kind: OpKind,
    /// The JSON pointer, unescaped, one item per step.
    pub path: Vec<String>,
    pub value: Option<Node>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    Add,
    Replace,
    Remove,
}

impl Patch {
    /// Reads a patch from its documents (already parsed, aliases resolved).
    pub fn read(target: Option<Target>, docs: Vec<Node>) -> Patch {
        let body = match docs.as_slice() {
            [ops] if ops.as_seq().is_some() => ops
                .as_seq()
                .unwrap_or_default()
                .iter()
                .map(Op::read)
                .collect::<Option<Vec<_>>>()
                .map_or(PatchBody::Unsupported, PatchBody::Json6902),
            [] => PatchBody::Unsupported,
            _ if docs.iter().all(|d| d.as_map().is_some()) => PatchBody::Strategic(docs),
            _ => PatchBody::Unsupported,
        };
        Patch { target, body }
    }

    /// Applies the patch to `object` if it targets it: `None` when it does not, `Some(false)`
    /// when it does but cannot be applied here.
    fn apply(&self, object: &mut Node) -> Option<bool> {
        match &self.body {
            PatchBody::Strategic(docs) => {
                let mut applied = None;
                for doc in docs {
                    let targeted = match &self.target {
                        Some(t) => t.matches(object),
                        None => names_same_object(doc, object),
                    };
                    if targeted {
                        merge(object, doc);
                        applied = Some(true);
                    }
                }
                applied
            }
            PatchBody::Json6902(ops) => {
                if !self.target.as_ref().is_some_and(|t| t.matches(object)) {
                    return None;
                }
                let mut patched = object.clone();
                let ok = ops.iter().all(|op| op.apply(&mut patched));
                if ok {
                    *object = patched;
                }
                Some(ok)
            }
            PatchBody::Unsupported => {
                let targeted = self.target.as_ref().is_none_or(|t| t.matches(object));
                targeted.then_some(false)
            }
        }
    }
}

/// A strategic-merge patch without `target:` applies to the object of its kind and name.
fn names_same_object(patch: &Node, object: &Node) -> bool {
    let field = |n: &Node, path: &[&str]| n.get_path(path).and_then(Node::as_str).map(str::to_string);
    let kind = field(patch, &["kind"]);
    let name = field(patch, &["metadata", "name"]);
    let namespace = field(patch, &["metadata", "namespace"]);
    kind.is_some()
        && kind == field(object, &["kind"])
        && name.is_some()
        && name == field(object, &["metadata", "name"])
        && namespace
            .as_ref()
            .is_none_or(|ns| field(object, &["metadata", "namespace"]).is_none_or(|o| &o == ns))
}

impl Op {
    fn read(node: &Node) -> Option<Op> {
        let kind = match node.get("op")?.as_str()? {
            "add" => OpKind::Add,
            "replace" => OpKind::Replace,
            "remove" => OpKind::Remove,
            _ => return None,
        };
        let pointer = node.get("path")?.as_str()?;
        let path = pointer
            .strip_prefix('/')?
            .split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect();
        let value = node.get("value").cloned();
        if kind != OpKind::Remove && value.is_none() {
            return None;
        }
        Some(Op { kind, path, value })
    }

    /// Applies the operation; `false` when its path does not lead anywhere.
    fn apply(&self, object: &mut Node) -> bool {
        let Some((last, steps)) = self.path.split_last() else {
            return false;
        };
        let mut node = object;
        for step in steps {
            let next = match &mut node.kind {
                NodeKind::Map(entries) => entries.iter_mut().find(|e| e.key.as_str() == Some(step)).map(|e| &mut e.value),
                NodeKind::Seq(items) => step.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => return false,
            }
        }
        let at = node.span;
        let value = self.value.as_ref().map(|v| placed(v, at));
        match (&mut node.kind, self.kind, value) {
            (NodeKind::Map(entries), OpKind::Remove, _) => {
                let before = entries.len();
                entries.retain(|e| e.key.as_str() != Some(last));
                entries.len() < before
            }
            (NodeKind::Map(entries), kind, Some(value)) => match entries.iter_mut().find(|e| e.key.as_str() == Some(last)) {
                Some(e) => {
                    e.value = placed(&value, e.value.span);
                    true
                }
                None if kind == OpKind::Add => {
                    entries.push(Entry {
                        key: Node::scalar(last.clone(), crate::syntax::tree::ScalarStyle::Plain, at),
                        value,
                    });
                    true
                }
                None => false,
            },
            (NodeKind::Seq(items), kind, value) => {
                let index = if last == "-" {
                    Some(items.len())
                } else {
                    last.parse::<usize>().ok()
                };
                match (index, kind, value) {
                    (Some(i), OpKind::Remove, _) if i < items.len() => {
                        items.remove(i);
                        true
                    }
                    (Some(i), OpKind::Add, Some(v)) if i <= items.len() => {
                        items.insert(i, v);
                        true
                    }
                    (Some(i), OpKind::Replace, Some(v)) if i < items.len() => {
                        items[i] = placed(&v, items[i].span);
                        true
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }
}

/// A copy of `node` placed at `at`: what a patch adds has no place in the base file, so findings
/// about it point at the base node it was merged into.
fn placed(node: &Node, at: Span) -> Node {
    let kind = match &node.kind {
        NodeKind::Map(entries) => NodeKind::Map(
            entries
                .iter()
                .map(|e| Entry {
                    key: placed(&e.key, at),
                    value: placed(&e.value, at),
                })
                .collect(),
        ),
        NodeKind::Seq(items) => NodeKind::Seq(items.iter().map(|n| placed(n, at)).collect()),
        other => other.clone(),
    };
    Node {
        span: at,
        kind,
        anchor: None,
        tag: node.tag.clone(),
    }
}

/// The key strategic merge pairs the items of a list by, for the lists Kubernetes merges
/// (other lists are replaced).
fn merge_key(field: &str, items: &[Node]) -> Option<&'static str> {
    match field {
        "containers" | "initContainers" | "ephemeralContainers" | "volumes" | "env" | "imagePullSecrets" => Some("name"),
        "volumeMounts" => Some("mountPath"),
        "ports" if items.iter().any(|i| i.get("containerPort").is_some()) => Some("containerPort"),
        "ports" => Some("port"),
        _ => None,
    }
}

/// Merges the strategic-merge `patch` into `base`.
fn merge(base: &mut Node, patch: &Node) {
    match (&mut base.kind, &patch.kind) {
        (NodeKind::Map(entries), NodeKind::Map(with)) => {
            if directive(patch) == Some("replace") {
                *base = placed(&without_directives(patch), base.span);
                return;
            }
            // Findings about what the patch adds point where the base names this map (a
            // container's `name:`), else at the map.
            let named = entries.iter().find(|b| b.key.as_str() == Some("name")).map(|b| b.value.span);
            let here = named.unwrap_or(base.span);
            for e in with.iter() {
                let Some(key) = e.key.as_str() else { continue };
                if key.starts_with('$') {
                    continue;
                }
                let existing = entries.iter().position(|b| b.key.as_str() == Some(key));
                match existing {
                    _ if e.value.is_null() || directive(&e.value) == Some("delete") => {
                        entries.retain(|b| b.key.as_str() != Some(key));
                    }
                    Some(i) => merge_field(key, &mut entries[i].value, &e.value),
                    None => entries.push(Entry {
                        key: placed(&e.key, here),
                        value: placed(&without_directives(&e.value), here),
                    }),
                }
            }
        }
        _ => *base = placed(patch, base.span),
    }
}

/// Merges the value of `field`: lists Kubernetes merges by key, item by item; others as maps
/// or replaced.
fn merge_field(field: &str, base: &mut Node, patch: &Node) {
    let here = base.span;
    if let (NodeKind::Seq(items), Some(with)) = (&mut base.kind, patch.as_seq()) {
        let Some(key) = merge_key(field, with) else {
            *base = placed(patch, here);
            return;
        };
        if with.iter().any(|p| directive(p) == Some("replace")) {
            let kept: Vec<Node> = with.iter().filter(|p| directive(p).is_none()).map(|p| placed(p, here)).collect();
            *items = kept;
            return;
        }
        for p in with {
            let Some(id) = p.get(key).map(scalar_text) else {
                items.push(placed(p, here));
                continue;
            };
            let existing = items.iter().position(|b| b.get(key).map(scalar_text) == Some(id.clone()));
            match existing {
                Some(i) if directive(p) == Some("delete") => {
                    items.remove(i);
                }
                Some(i) => merge(&mut items[i], p),
                None if directive(p) == Some("delete") => {}
                None => items.push(placed(p, here)),
            }
        }
        return;
    }
    merge(base, patch);
}

fn scalar_text(node: &Node) -> String {
    node.as_scalar().map(|s| s.value.clone()).unwrap_or_default()
}

/// The `$patch` directive of a map.
fn directive(node: &Node) -> Option<&str> {
    node.get("$patch").and_then(Node::as_str)
}

fn without_directives(node: &Node) -> Node {
    match &node.kind {
        NodeKind::Map(entries) => Node {
            kind: NodeKind::Map(
                entries
                    .iter()
                    .filter(|e| !e.key.as_str().is_some_and(|k| k.starts_with('$')))
                    .map(|e| Entry {
                        key: e.key.clone(),
                        value: without_directives(&e.value),
                    })
                    .collect(),
            ),
            ..node.clone()
        },
        _ => node.clone(),
    }
}

/// One way a manifest is deployed: the overlay at the top of a chain of kustomizations, and the
/// patches the chain applies, innermost first.
#[derive(Debug)]
pub struct Overlay {
    /// The folder of the kustomization at the top.
    pub root: String,
    pub patches: Vec<Arc<Patch>>,
}

impl Overlay {
    /// `object` as this overlay renders it: `None` when no patch of it applies, `Some(None)`
    /// when one applies that cannot be rendered here.
    pub fn render(&self, object: &Node) -> Option<Option<Node>> {
        let mut rendered: Option<Node> = None;
        for patch in &self.patches {
            let mut node = rendered.clone().unwrap_or_else(|| object.clone());
            match patch.apply(&mut node) {
                None => {}
                Some(false) => return Some(None),
                Some(true) => rendered = Some(node),
            }
        }
        rendered.map(Some)
    }
}

/// Every kustomization of the run, and which of them include which.
pub struct Graph {
    by_folder: BTreeMap<String, Kustomization>,
    /// Manifest file → the folders of the kustomizations that list it as a resource.
    owners: BTreeMap<String, Vec<String>>,
    /// Kustomization folder → the folders of those that include it (resource or component).
    users: BTreeMap<String, Vec<String>>,
}

impl Graph {
    pub fn new(repo: &RepoIndex) -> Graph {
        let by_folder: BTreeMap<String, Kustomization> = repo
            .texts
            .iter()
            .filter(|(p, _)| is_kustomization(p))
            .map(|(p, text)| {
                let k = Kustomization::read(p, text);
                (k.folder.clone(), k)
            })
            .collect();
        let mut owners: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut users: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for k in by_folder.values() {
            for r in k.resources.iter().chain(&k.components) {
                let into = if by_folder.contains_key(r) { &mut users } else { &mut owners };
                into.entry(r.clone()).or_default().push(k.folder.clone());
            }
        }
        Graph { by_folder, owners, users }
    }

    pub fn kustomizations(&self) -> impl Iterator<Item = &Kustomization> {
        self.by_folder.values()
    }

    /// The chains of kustomizations that deploy the manifest at `path`, each from the one that
    /// lists it up to an overlay no other kustomization includes.
    fn chains(&self, path: &str) -> Vec<Vec<&Kustomization>> {
        let mut out = Vec::new();
        for owner in self.owners.get(path).into_iter().flatten() {
            self.climb(owner, &mut Vec::new(), &mut out);
        }
        out
    }

    fn climb<'a>(&'a self, folder: &str, chain: &mut Vec<&'a Kustomization>, out: &mut Vec<Vec<&'a Kustomization>>) {
        let Some(k) = self.by_folder.get(folder) else { return };
        if out.len() >= CHAIN_BUDGET || chain.len() >= CHAIN_DEPTH || chain.iter().any(|c| c.folder == folder) {
            return;
        }
        chain.push(k);
        match self.users.get(folder) {
            Some(users) if !users.is_empty() => {
                for user in users {
                    self.climb(user, chain, out);
                }
            }
            _ => out.push(chain.clone()),
        }
        chain.pop();
    }

    /// Whether some kustomization lists the manifest at `path` as a resource.
    pub fn lists(&self, path: &str) -> bool {
        self.owners.contains_key(path)
    }

    /// The names under which the overlays deploy an object that the manifest at `path` names
    /// `name`, where some kustomization on the way renames it (`namePrefix`, `nameSuffix`).
    pub fn renamed(&self, path: &str, name: &str) -> Vec<String> {
        let renamed = self.chains(path).into_iter().map(|chain| {
            chain
                .iter()
                .fold(name.to_string(), |n, k| format!("{}{n}{}", k.name_prefix, k.name_suffix))
        });
        let mut names: Vec<String> = renamed.filter(|n| n != name).collect();
        names.sort();
        names.dedup();
        names
    }

    /// The patches a kustomization applies: its components' first, then its own.
    fn patches_of<'a>(&'a self, k: &'a Kustomization, seen: &mut BTreeSet<&'a str>) -> Vec<&'a PatchRef> {
        let mut out = Vec::new();
        if !seen.insert(k.folder.as_str()) {
            return out;
        }
        for c in &k.components {
            if let Some(component) = self.by_folder.get(c) {
                out.extend(self.patches_of(component, seen));
            }
        }
        out.extend(&k.patches);
        out
    }

    /// The overlays that deploy the manifest at `path` with some patch on the way, each with
    /// its patches read by `read` (which turns a patch reference into its documents).
    pub fn overlays_of(&self, path: &str, read: &mut dyn FnMut(&PatchRef) -> Arc<Patch>) -> Vec<Arc<Overlay>> {
        let chains = self.chains(path);
        if chains
            .iter()
            .all(|c| c.iter().all(|k| k.patches.is_empty() && k.components.is_empty()))
        {
            return Vec::new();
        }
        chains
            .iter()
            .map(|chain| {
                let mut seen = BTreeSet::new();
                let refs = chain.iter().flat_map(|k| self.patches_of(k, &mut seen)).collect::<Vec<_>>();
                Arc::new(Overlay {
                    root: chain.last().map(|k| k.folder.clone()).unwrap_or_default(),
                    patches: refs.into_iter().map(&mut *read).collect(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{yaml, Limits};

    fn node(text: &str) -> Node {
        let tree = yaml::parse(text, &Limits::default());
        tree.docs.into_iter().find_map(|d| d.root).expect("a document")
    }

    const BASE: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: app:1\n        ports: [{containerPort: 80}]\n      - name: side\n        image: side:1\n";

    #[test]
    fn strategic_merge_pairs_containers_by_name() {
        let patch = Patch::read(
            None,
            vec![node("kind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        securityContext: {runAsNonRoot: true}\n        ports: [{containerPort: 8443, name: https}]\n      - name: side\n        $patch: delete\n")],
        );
        let mut object = node(BASE);
        assert_eq!(patch.apply(&mut object), Some(true));
        let containers = object
            .get_path(&["spec", "template", "spec", "containers"])
            .and_then(Node::as_seq)
            .expect("containers");
        assert_eq!(containers.len(), 1);
        assert_eq!(containers[0].get("image").and_then(Node::as_str), Some("app:1"));
        assert_eq!(
            containers[0].get_path(&["securityContext", "runAsNonRoot"]).and_then(Node::as_bool),
            Some(true)
        );
        assert_eq!(containers[0].get("ports").and_then(Node::as_seq).map(<[Node]>::len), Some(2));
        // What the patch added is placed in the base: at the name of the container it was
        // merged into.
        let added = containers[0].get("securityContext").expect("added");
        assert_eq!(Some(added.span), containers[0].get("name").map(|n| n.span));
    }

    #[test]
    fn a_patch_for_another_object_does_not_apply() {
        let patch = Patch::read(None, vec![node("kind: Deployment\nmetadata: {name: api}\nspec: {replicas: 3}\n")]);
        let mut object = node(BASE);
        assert_eq!(patch.apply(&mut object), None);
        let targeted = Patch::read(
            Some(Target::read(&node("kind: Deployment\nname: web\n"))),
            vec![node("metadata: {name: whatever}\nspec: {replicas: 3}\n")],
        );
        assert_eq!(targeted.apply(&mut object), Some(true));
        assert_eq!(object.get_path(&["spec", "replicas"]).and_then(Node::as_i64), Some(3));
    }

    #[test]
    fn json_6902_adds_replaces_and_removes() {
        let target = Some(Target::read(&node("kind: Deployment\nname: web\n")));
        let ops = "- op: add\n  path: /spec/template/spec/containers/0/args\n  value: [--metrics-bind-address=:8080]\n- op: replace\n  path: /spec/template/spec/containers/0/image\n  value: app:2\n- op: remove\n  path: /spec/template/spec/containers/1\n- op: add\n  path: /spec/template/spec/containers/0/ports/-\n  value: {containerPort: 8080, name: metrics}\n";
        let patch = Patch::read(target.clone(), vec![node(ops)]);
        let mut object = node(BASE);
        assert_eq!(patch.apply(&mut object), Some(true));
        let containers = object
            .get_path(&["spec", "template", "spec", "containers"])
            .and_then(Node::as_seq)
            .expect("containers");
        assert_eq!(containers.len(), 1);
        assert_eq!(containers[0].get("image").and_then(Node::as_str), Some("app:2"));
        assert_eq!(containers[0].get("ports").and_then(Node::as_seq).map(<[Node]>::len), Some(2));
        let unsupported = Patch::read(target, vec![node("- op: move\n  from: /a\n  path: /b\n")]);
        assert_eq!(unsupported.apply(&mut node(BASE)), Some(false));
        let nowhere = Patch::read(
            Some(Target::read(&node("kind: Deployment\nname: web\n"))),
            vec![node("- op: replace\n  path: /spec/nothing/here\n  value: 1\n")],
        );
        assert_eq!(nowhere.apply(&mut node(BASE)), Some(false));
    }

    #[test]
    fn regular_expression_targets_are_not_guessed() {
        let t = Target::read(&node("kind: Deployment\nname: web-.*\n"));
        assert!(t.unsupported);
        let t = Target::read(&node("kind: Deployment\nlabelSelector: app=web,tier=front\n"));
        assert!(!t.unsupported);
        assert_eq!(t.labels.len(), 2);
        assert!(Target::read(&node("labelSelector: app in (web)\n")).unsupported);
    }

    #[test]
    fn chains_climb_to_the_overlays() {
        let texts = [
            ("config/manager/kustomization.yaml", "resources: [manager.yaml]\n"),
            (
                "config/default/kustomization.yaml",
                "resources: [../manager]\npatches:\n- path: auth_proxy_patch.yaml\n",
            ),
            ("config/overlays/a/kustomization.yaml", "resources: [../../default]\n"),
            (
                "config/overlays/b/kustomization.yaml",
                "resources: [../../default]\ncomponents: [../../components/limits]\n",
            ),
            (
                "config/components/limits/kustomization.yaml",
                "kind: Component\npatches:\n- patch: |-\n    kind: Deployment\n    metadata: {name: web}\n",
            ),
        ];
        let mut repo = RepoIndex::new(texts.iter().map(|(p, _)| p.to_string()));
        repo.texts = texts.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
        let graph = Graph::new(&repo);
        let mut read = |r: &PatchRef| Arc::new(Patch::read(r.target.clone(), Vec::new()));
        let overlays = graph.overlays_of("config/manager/manager.yaml", &mut read);
        let roots: Vec<(&str, usize)> = overlays.iter().map(|o| (o.root.as_str(), o.patches.len())).collect();
        assert_eq!(roots, [("config/overlays/a", 1), ("config/overlays/b", 2)]);
        assert!(graph.overlays_of("config/manager/other.yaml", &mut read).is_empty());
        assert!(graph.renamed("config/manager/manager.yaml", "web").is_empty());
    }
}
