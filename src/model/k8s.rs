//! Typed view of Kubernetes manifests: every object of every document (and the items of `List`
//! kinds), with the pod spec and containers of pod-bearing kinds, each keeping its span.
//!
//! The model holds copies of the tree's nodes with aliases and merge keys resolved (within a
//! budget), so rules can use plain [`Node::get`] without a [`Document`] at hand.

use super::kustomize::Overlay;
use super::{File, FromFile};
use crate::kind::FileKind;
use crate::source::Span;
use crate::syntax::tree::{Document, Entry, Node, NodeKind, Scalar, ScalarStyle};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Most nodes copied out of one file; beyond it aliases stay unresolved (an alias bomb is
/// reported by the parser, not expanded here).
const NODE_BUDGET: usize = 500_000;

/// Every Kubernetes object of one file.
#[derive(Debug, Default)]
pub struct Manifests {
    /// The objects as they deploy: an object that Kustomize overlays patch appears once for each
    /// distinct rendering ([`crate::model::kustomize`]).
    pub objects: Vec<Object>,
    /// The objects as the file writes them, when an overlay renders some differently (else the
    /// same as `objects`, and empty).
    as_written: Vec<Object>,
}

impl Manifests {
    /// The whole objects, without patches and fragments.
    pub fn whole(&self) -> impl Iterator<Item = &Object> {
        self.objects.iter().filter(|o| !o.partial)
    }

    /// The objects as the file writes them, before any overlay patches them: for rules about
    /// the text itself (schema, API versions).
    pub fn written(&self) -> &[Object] {
        if self.as_written.is_empty() {
            &self.objects
        } else {
            &self.as_written
        }
    }
}

/// One Kubernetes object.
#[derive(Debug, Clone)]
pub struct Object {
    pub api_version: String,
    pub kind: String,
    pub name: Option<String>,
    /// `metadata.namespace`, or `default` when the object names none.
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// The whole object.
    pub node: Node,
    /// Where to point for a finding about the whole object: the `metadata.name` value, else the
    /// `kind` value.
    pub at: Span,
    /// Whether the object's document defines anchors: its spans may be shared, so no fix edits it.
    pub shared_spans: bool,
    /// The pod spec of a pod-bearing kind.
    pub pod: Option<PodSpec>,
    /// A Kustomize patch or another fragment merged into a full object elsewhere: rules do not
    /// judge what it leaves out.
    pub partial: bool,
}

/// The pod spec of a Pod, or of a workload's pod template.
#[derive(Debug, Clone)]
pub struct PodSpec {
    /// The `spec:` entry that holds the pod spec (its key is where missing pod fields point).
    pub entry: Entry,
    /// Labels of the pod template (of the Pod itself for a bare Pod).
    pub labels: BTreeMap<String, String>,
    pub containers: Vec<Container>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    Regular,
    Init,
    Ephemeral,
}

impl ContainerKind {
    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Regular => "containers",
            ContainerKind::Init => "initContainers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }

    /// How a message names such a container.
    pub fn noun(self) -> &'static str {
        match self {
            ContainerKind::Regular => "container",
            ContainerKind::Init => "init container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

/// One container of a pod spec.
#[derive(Debug, Clone)]
pub struct Container {
    pub kind: ContainerKind,
    pub node: Node,
    pub name: Option<String>,
    /// The `name:` value, or the start of the item when it has none: where findings about a
    /// missing field point (the `- name:` line).
    pub at: Span,
    pub image: Option<Node>,
    pub ports: Vec<Port>,
    pub liveness_probe: Option<Entry>,
    pub readiness_probe: Option<Entry>,
    pub startup_probe: Option<Entry>,
    pub resources: Option<Entry>,
    pub security_context: Option<Entry>,
    pub env: Vec<EnvVar>,
}

#[derive(Debug, Clone)]
pub struct Port {
    pub name: Option<String>,
    pub container_port: Option<i64>,
    pub node: Node,
}

#[derive(Debug, Clone)]
pub struct EnvVar {
    pub name: String,
    /// The `name:` value.
    pub name_span: Span,
    /// A literal `value:`.
    pub value: Option<Node>,
    pub value_from: Option<Node>,
    pub node: Node,
}

/// Where a security setting of a container comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Pod,
    Container,
}

impl FromFile for Manifests {
    fn build(file: &File) -> Option<Self> {
        if file.kind != FileKind::Kubernetes {
            return None;
        }
        let tree = file.tree()?;
        let mut budget = NODE_BUDGET;
        let mut objects = Vec::new();
        for doc in &tree.docs {
            let Some(root) = &doc.root else { continue };
            let root = materialize(doc, root, &mut budget);
            let shared_spans = !doc.anchors.is_empty();
            collect_objects(root, shared_spans, &mut objects, 0);
        }
        if file.kustomize_patch || is_patch_path(file.path()) {
            objects.iter_mut().for_each(|o| o.partial = true);
        }
        if file.overlays.is_empty() {
            return Some(Manifests {
                objects,
                as_written: Vec::new(),
            });
        }
        Some(match render(&objects, &file.overlays) {
            Some(rendered) => Manifests {
                objects: rendered,
                as_written: objects,
            },
            None => Manifests {
                objects,
                as_written: Vec::new(),
            },
        })
    }
}

/// The objects as the `overlays` render them, or `None` when no patch of theirs applies to any.
/// A rendering keeps the base's places (what a patch adds is placed where it was merged) and
/// allows no fix: an edit to the base would not be what that overlay deploys.
fn render(objects: &[Object], overlays: &[Arc<Overlay>]) -> Option<Vec<Object>> {
    let mut any = false;
    let mut out = Vec::with_capacity(objects.len());
    for o in objects {
        let mut renders: Vec<Object> = Vec::new();
        let mut as_written = o.partial;
        for overlay in overlays.iter().filter(|_| !o.partial) {
            match overlay.render(&o.node) {
                Some(Some(node)) if !same_content(&node, &o.node) => {
                    if let Some(r) = Object::read(node, true) {
                        if !renders.iter().any(|x| same_content(&x.node, &r.node)) {
                            renders.push(r);
                        }
                    }
                }
                // An overlay that leaves the object alone, or patches it in a way not rendered
                // here, deploys it as written.
                _ => as_written = true,
            }
        }
        any |= !renders.is_empty();
        if as_written || renders.is_empty() {
            out.push(o.clone());
        }
        out.extend(renders);
    }
    any.then_some(out)
}

/// Adds `node` as an object, or the items of a `List` kind.
fn collect_objects(node: Node, shared_spans: bool, out: &mut Vec<Object>, depth: usize) {
    let kind = str_at(&node, &["kind"]).unwrap_or_default();
    if kind.ends_with("List") && depth < 4 {
        if let Some(items) = node.get("items").and_then(Node::as_seq) {
            for item in items {
                collect_objects(item.clone(), shared_spans, out, depth + 1);
            }
            return;
        }
    }
    if let Some(object) = Object::read(node, shared_spans) {
        out.push(object);
    }
}

impl Object {
    fn read(node: Node, shared_spans: bool) -> Option<Object> {
        let api_version = str_at(&node, &["apiVersion"])?;
        let kind_node = node.get("kind")?;
        let kind = kind_node.as_str()?.to_string();
        let name_node = node.get_path(&["metadata", "name"]);
        let at = name_node.filter(|n| n.as_str().is_some()).unwrap_or(kind_node).span;
        let pod = pod_spec_path(&api_version, &kind).and_then(|path| PodSpec::read(&node, path));
        let partial = is_partial(&node, pod.as_ref());
        Some(Object {
            partial,
            name: name_node.and_then(Node::as_str).map(str::to_string),
            namespace: str_at(&node, &["metadata", "namespace"])
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "default".to_string()),
            labels: string_map(node.get_path(&["metadata", "labels"])),
            annotations: string_map(node.get_path(&["metadata", "annotations"])),
            api_version,
            kind,
            at,
            shared_spans,
            pod,
            node,
        })
    }

    /// `spec`, for the kinds that have one.
    pub fn spec(&self) -> Option<&Node> {
        self.node.get("spec")
    }

    /// The `spec:` entry of the object itself.
    pub fn spec_entry(&self) -> Option<&Entry> {
        self.node.entry("spec")
    }

    /// The API group: `apps` for `apps/v1`, empty for the core group `v1`.
    pub fn group(&self) -> &str {
        api_group(&self.api_version)
    }

    /// A built-in kind of a built-in group, not a CRD that reuses the name.
    pub fn is(&self, kind: &str) -> bool {
        self.kind == kind && is_builtin_group(self.group())
    }

    /// `kube-system` and `kube-public`: where the cluster installer puts static pods and
    /// control-plane components that manifests do not define.
    pub fn in_system_namespace(&self) -> bool {
        matches!(self.namespace.as_str(), "kube-system" | "kube-public")
    }

    /// Whether the object's API group is a built-in one (not a CRD's).
    pub fn is_builtin(&self) -> bool {
        is_builtin_group(self.group())
    }

    /// Deployments, StatefulSets, ReplicaSets and ReplicationControllers: kinds with `replicas`.
    pub fn is_replicated(&self) -> bool {
        self.pod.is_some()
            && matches!(
                self.kind.as_str(),
                "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController"
            )
    }

    /// Jobs and CronJobs: pods that run to completion.
    pub fn runs_to_completion(&self) -> bool {
        self.pod.is_some() && matches!(self.kind.as_str(), "Job" | "CronJob")
    }

    /// `kind name` for messages, e.g. `Deployment web`.
    pub fn describe(&self) -> String {
        match &self.name {
            Some(n) => format!("{} `{n}`", self.kind),
            None => self.kind.clone(),
        }
    }
}

/// Kustomize patches by name: `patches/…`, `*.patch.yaml`, `*-patch.yaml`, `patchReplicas.yaml`
/// (not `dispatcher.yaml`).
fn is_patch_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = path.rsplit('/').next().unwrap_or(path);
    let starts_word = |i: usize| {
        let before = name[..i].chars().next_back();
        before.is_none_or(|c| !c.is_ascii_alphanumeric()) || (before.is_some_and(|c| c.is_ascii_lowercase()) && name[i..].starts_with('P'))
    };
    let ends_word = |i: usize| {
        let after = name[i + 5..].chars().next();
        after.is_none_or(|c| !c.is_ascii_lowercase() || name[i + 5..].starts_with("es"))
    };
    lower.contains("/patches/")
        || lower.starts_with("patches/")
        || name
            .to_ascii_lowercase()
            .match_indices("patch")
            .any(|(i, _)| starts_word(i) && ends_word(i))
}

/// What only a patch or fragment looks like: a `$patch` directive, or a container without an
/// image. (A missing selector is not enough: minimal examples and test files omit it too.)
fn is_partial(node: &Node, pod: Option<&PodSpec>) -> bool {
    let mut directive = false;
    node.walk(&mut |n| {
        if let Some(entries) = n.as_map() {
            directive |= entries.iter().any(|e| {
                e.key
                    .as_str()
                    .is_some_and(|k| k.starts_with("$patch") || k.starts_with("$setElementOrder"))
            });
        }
    });
    let imageless = pod.is_some_and(|p| p.containers.iter().any(|c| c.image.is_none()));
    directive || imageless
}

fn api_group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(g, _)| g)
}

fn is_builtin_group(group: &str) -> bool {
    group.is_empty() || !group.contains('.') || group.ends_with(".k8s.io")
}

/// The path from an object to its pod spec, for the built-in pod-bearing kinds.
fn pod_spec_path(api_version: &str, kind: &str) -> Option<&'static [&'static str]> {
    let group = api_group(api_version);
    if !matches!(group, "" | "apps" | "extensions" | "batch") {
        return None;
    }
    Some(match kind {
        "Pod" => &["spec"],
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" | "ReplicationController" => &["spec", "template", "spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "PodTemplate" => &["template", "spec"],
        _ => return None,
    })
}

impl PodSpec {
    fn read(object: &Node, path: &[&str]) -> Option<PodSpec> {
        let (last, parents) = path.split_last()?;
        let parent = object.get_path(parents)?;
        let entry = parent.entry(last)?.clone();
        entry.value.as_map()?;
        let labels_at = if parents.is_empty() {
            object.get_path(&["metadata", "labels"])
        } else {
            parent.get_path(&["metadata", "labels"])
        };
        let mut containers = Vec::new();
        for kind in [ContainerKind::Init, ContainerKind::Regular, ContainerKind::Ephemeral] {
            let items = entry.value.get(kind.field()).and_then(Node::as_seq);
            for item in items.unwrap_or_default() {
                if item.as_map().is_some() {
                    containers.push(Container::read(kind, item));
                }
            }
        }
        Some(PodSpec {
            labels: string_map(labels_at),
            entry,
            containers,
        })
    }

    pub fn node(&self) -> &Node {
        &self.entry.value
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry.value.get(key)
    }

    /// A setting of the pod-level `securityContext`.
    pub fn security(&self, key: &str) -> Option<&Node> {
        self.entry.value.get_path(&["securityContext", key])
    }

    /// The regular containers (not init or ephemeral ones).
    pub fn regular(&self) -> impl Iterator<Item = &Container> {
        self.containers.iter().filter(|c| c.kind == ContainerKind::Regular)
    }
}

impl Container {
    fn read(kind: ContainerKind, node: &Node) -> Container {
        let name_node = node.get("name");
        let entry = |key: &str| node.entry(key).cloned();
        let ports = node
            .get("ports")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .map(|p| Port {
                name: str_at(p, &["name"]),
                container_port: p.get("containerPort").and_then(int_value),
                node: p.clone(),
            })
            .collect();
        let env = node
            .get("env")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| {
                let name = e.get("name")?;
                Some(EnvVar {
                    name: name.as_str()?.to_string(),
                    name_span: name.span,
                    value: e.get("value").filter(|v| !v.is_null()).cloned(),
                    value_from: e.get("valueFrom").cloned(),
                    node: e.clone(),
                })
            })
            .collect();
        Container {
            kind,
            name: name_node.and_then(Node::as_str).map(str::to_string),
            at: name_node.map_or(Span::empty(node.span.start as usize), |n| n.span),
            image: node.get("image").cloned(),
            ports,
            liveness_probe: entry("livenessProbe"),
            readiness_probe: entry("readinessProbe"),
            startup_probe: entry("startupProbe"),
            resources: entry("resources"),
            security_context: entry("securityContext"),
            env,
            node: node.clone(),
        }
    }

    /// ``container `web` `` / ``init container `setup` `` for messages.
    pub fn describe(&self) -> String {
        match &self.name {
            Some(n) => format!("{} `{n}`", self.kind.noun()),
            None => self.kind.noun().to_string(),
        }
    }

    /// A setting of the container's own `securityContext`.
    pub fn security(&self, key: &str) -> Option<&Node> {
        self.security_context.as_ref()?.value.get(key)
    }

    /// A setting that the pod-level `securityContext` also offers (runAsNonRoot, runAsUser,
    /// seccompProfile …): the container's own value wins.
    pub fn effective_security<'a>(&'a self, pod: &'a PodSpec, key: &str) -> Option<(&'a Node, Level)> {
        self.security(key)
            .filter(|n| !n.is_null())
            .map(|n| (n, Level::Container))
            .or_else(|| pod.security(key).filter(|n| !n.is_null()).map(|n| (n, Level::Pod)))
    }

    /// The image reference, when given as a string.
    pub fn image_ref(&self) -> Option<&str> {
        self.image.as_ref().and_then(Node::as_str)
    }

    /// A port of this container by name or number (as a probe or Service targets it).
    /// A port left as a `${VAR}` for envsubst or Flux's postBuild to fill in is unknown until
    /// then, so it counts as declared.
    pub fn has_port(&self, port: &Node) -> bool {
        match int_value(port) {
            Some(n) => self.ports.iter().any(|p| p.container_port == Some(n)),
            None => port
                .as_str()
                .is_some_and(|name| name.contains("${") || self.ports.iter().any(|p| p.name.as_deref() == Some(name))),
        }
    }
}

/// What a Kustomization in `folder` adds its selector labels to (`commonLabels`, or `labels`
/// with `includeSelectors: true`): its `resources`, as paths joined to `folder` (a folder's
/// resources as that folder with a trailing `/`). Empty when it adds none.
pub fn kustomize_selector_resources(folder: &str, text: &str) -> Vec<String> {
    let tree = crate::syntax::yaml::parse(text, &crate::syntax::Limits::default());
    let mut out = Vec::new();
    for root in tree.docs.iter().filter_map(|d| d.root.as_ref()) {
        let common = root.get("commonLabels").and_then(Node::as_map).is_some_and(|m| !m.is_empty());
        let labels = root.get("labels").and_then(Node::as_seq).unwrap_or_default();
        let selectors = labels
            .iter()
            .any(|l| l.get("includeSelectors").and_then(Node::as_bool) == Some(true));
        if !common && !selectors {
            continue;
        }
        let resources = root.get("resources").and_then(Node::as_seq).unwrap_or_default();
        for path in resources.iter().filter_map(Node::as_str).filter(|p| !p.contains("://")) {
            let Some(joined) = super::repo::join(folder, path) else { continue };
            let lower = joined.to_ascii_lowercase();
            let file = [".yaml", ".yml", ".json"].iter().any(|e| lower.ends_with(e));
            out.push(if file { joined } else { format!("{joined}/") });
        }
    }
    out
}

/// The images a Kustomization pins through `images:` (a `newTag` other than `latest`, or a
/// `digest`): the names its resources may write without a tag.
pub fn kustomize_pinned_images(text: &str) -> Vec<String> {
    let tree = crate::syntax::yaml::parse(text, &crate::syntax::Limits::default());
    let roots = tree.docs.iter().filter_map(|d| d.root.as_ref());
    let images = roots.flat_map(|r| r.get("images").and_then(Node::as_seq).unwrap_or_default());
    images
        .filter(|i| {
            let tag = i
                .get("newTag")
                .and_then(|t| t.as_str().map(str::to_string).or_else(|| t.as_i64().map(|n| n.to_string())));
            tag.is_some_and(|t| !t.is_empty() && !t.eq_ignore_ascii_case("latest")) || i.get("digest").and_then(Node::as_str).is_some()
        })
        .filter_map(|i| i.get("name")?.as_str().map(str::to_string))
        .collect()
}

/// The ConfigMaps and Secrets a Kustomization generates (`configMapGenerator`,
/// `secretGenerator`), as (kind, name), from the text of its `kustomization.yaml`.
pub fn kustomize_generated(text: &str) -> Vec<(&'static str, String)> {
    let tree = crate::syntax::yaml::parse(text, &crate::syntax::Limits::default());
    let mut out = Vec::new();
    for root in tree.docs.iter().filter_map(|d| d.root.as_ref()) {
        for (field, kind) in [("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")] {
            let items = root.get(field).and_then(Node::as_seq).unwrap_or_default();
            out.extend(items.iter().filter_map(|g| Some((kind, g.get("name")?.as_str()?.to_string()))));
        }
    }
    out
}

/// A resource quantity (`500m`, `2`, `512Mi`, `1G`, `1e3`) as a number of base units, for
/// comparing a limit with a request.
pub fn quantity(node: &Node) -> Option<f64> {
    let text = node.as_str()?.trim();
    let split = text
        .find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let factor = match suffix {
        "" => 1.0,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        _ => return None,
    };
    let n: f64 = number.parse().ok()?;
    n.is_finite().then_some(n * factor)
}

/// An integer, also from a quoted string (`"8080"`), as Kubernetes' IntOrString reads it.
pub fn int_value(node: &Node) -> Option<i64> {
    node.as_i64().or_else(|| match &node.kind {
        NodeKind::Scalar(Scalar { value, style }) if *style != ScalarStyle::Plain => value.trim().parse().ok(),
        _ => None,
    })
}

fn str_at(node: &Node, path: &[&str]) -> Option<String> {
    node.get_path(path).and_then(Node::as_str).map(str::to_string)
}

fn string_map(node: Option<&Node>) -> BTreeMap<String, String> {
    node.and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| Some((e.key.as_str()?.to_string(), e.value.as_str().unwrap_or_default().to_string())))
        .collect()
}

/// The documents of `tree`, with aliases and merge keys resolved while the budget lasts.
pub fn resolved_documents(tree: &crate::syntax::tree::TreeFile) -> Vec<Node> {
    let mut budget = NODE_BUDGET;
    let roots = tree.docs.iter().filter_map(|d| Some((d, d.root.as_ref()?)));
    roots.map(|(doc, root)| materialize(doc, root, &mut budget)).collect()
}

/// A copy of `node` with aliases and merge keys resolved, while the budget lasts.
fn materialize(doc: &Document, node: &Node, budget: &mut usize) -> Node {
    let node = doc.resolve(node);
    if *budget == 0 {
        return Node::scalar("", ScalarStyle::Plain, node.span);
    }
    *budget -= 1;
    let kind = match &node.kind {
        NodeKind::Map(_) => NodeKind::Map(
            doc.entries(node)
                .into_iter()
                .map(|e| Entry {
                    key: e.key.clone(),
                    value: materialize(doc, &e.value, budget),
                })
                .collect(),
        ),
        NodeKind::Seq(items) => NodeKind::Seq(items.iter().map(|n| materialize(doc, n, budget)).collect()),
        other => other.clone(),
    };
    Node {
        span: node.span,
        kind,
        anchor: node.anchor.clone(),
        tag: node.tag.clone(),
    }
}

/// Whether two nodes say the same thing, whatever their places and quoting.
pub fn same_content(a: &Node, b: &Node) -> bool {
    match (&a.kind, &b.kind) {
        (NodeKind::Scalar(x), NodeKind::Scalar(y)) => x.value == y.value,
        (NodeKind::Seq(x), NodeKind::Seq(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_content(p, q)),
        (NodeKind::Map(x), NodeKind::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|e| e.key.as_str().and_then(|k| b.get(k)).is_some_and(|v| same_content(&e.value, v)))
        }
        (NodeKind::Alias(x), NodeKind::Alias(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{yaml, Limits};

    #[test]
    fn patch_paths_name_the_word_patch() {
        for path in [
            "overlays/prod/patch.yaml",
            "a/healthcheck_patch.yaml",
            "deployment.patch.yaml",
            "patch-pdb-version.yaml",
            "deploymentPatch.yaml",
            "patches.yaml",
            "patches/replicas.yaml",
            "k/PATCH_LIMITS.yaml",
        ] {
            assert!(is_patch_path(path), "{path}");
        }
        for path in [
            "deploy/base/dispatcher.yaml",
            "k/dispatch.yaml",
            "patcher/app.yaml",
            "unpatched.yaml",
        ] {
            assert!(!is_patch_path(path), "{path}");
        }
    }

    fn objects(text: &str) -> Vec<Object> {
        let tree = yaml::parse(text, &Limits::default());
        let mut budget = NODE_BUDGET;
        let mut out = Vec::new();
        for doc in &tree.docs {
            if let Some(root) = &doc.root {
                collect_objects(materialize(doc, root, &mut budget), false, &mut out, 0);
            }
        }
        out
    }

    #[test]
    fn reads_lists_cronjobs_and_every_container_kind() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1\n  kind: CronJob\n  metadata: {name: c, namespace: ops}\n  spec:\n    jobTemplate:\n      spec:\n        template:\n          spec:\n            initContainers: [{name: i, image: busybox}]\n            containers:\n            - name: main\n              image: app:1\n---\napiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: crd}\nspec: {template: {spec: {containers: [{name: x}]}}}\n";
        let objs = objects(text);
        assert_eq!(objs.len(), 2);
        assert_eq!(objs[0].namespace, "ops");
        let pod = objs[0].pod.as_ref().expect("cronjob pod");
        let kinds: Vec<_> = pod.containers.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, vec![ContainerKind::Init, ContainerKind::Regular]);
        assert_eq!(objs[1].namespace, "default");
        assert!(objs[1].pod.is_none(), "a CRD named Deployment is passed over");
    }

    #[test]
    fn quantities_compare() {
        let q = |s: &str| quantity(&Node::scalar(s, ScalarStyle::Plain, Span::default()));
        assert_eq!(q("500m"), Some(0.5));
        assert_eq!(q("2Gi"), Some(2.0 * 1024f64.powi(3)));
        assert_eq!(q("1e3"), Some(1000.0));
        assert!(q("512Mi") > q("500M"));
        assert_eq!(q("lots"), None);
    }

    #[test]
    fn merge_keys_are_resolved() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - &base\n    name: a\n    resources: {limits: {cpu: 1}}\n  - <<: *base\n    name: b\n";
        let objs = objects(text);
        let pod = objs[0].pod.as_ref().expect("pod");
        assert_eq!(pod.containers.len(), 2);
        assert_eq!(pod.containers[1].name.as_deref(), Some("b"));
        assert!(pod.containers[1].resources.is_some());
    }
}
