//! The named selectors of declarative rules: which nodes of which files a rule's schema judges.

use crate::kind::FileKind;
use crate::model::File;
use crate::source::Span;
use crate::syntax::dockerfile::Dockerfile;
use crate::syntax::tree::{Document, Node};
use serde_json::{json, Value};

/// A selector name and the file kind it reads.
pub const SELECTORS: &[(&str, &str)] = &[
    ("k8s.objects", "k8s"),
    ("k8s.pod_specs", "k8s"),
    ("k8s.containers", "k8s"),
    ("compose.services", "compose"),
    ("prometheus.alerting_rules", "prometheus"),
    ("prometheus.recording_rules", "prometheus"),
    ("alertmanager.receivers", "alertmanager"),
    ("appconfig.documents", "appconfig"),
    ("dockerfile.final_stage", "dockerfile"),
];

/// The rule kind (`k8s`, `compose` …) a selector reads, `None` for an unknown selector.
pub fn kind_of(selector: &str) -> Option<&'static str> {
    SELECTORS.iter().find(|(name, _)| *name == selector).map(|(_, kind)| *kind)
}

/// One selected node: its JSON value, how a JSON Pointer into it maps back to the file, and
/// what it is, for messages.
pub struct Selected<'a> {
    pub value: Value,
    pub place: Place<'a>,
    pub object: String,
}

/// How a pointer into a selected value maps to a span.
pub enum Place<'a> {
    /// A node of a YAML, JSON or TOML tree.
    Tree { doc: &'a Document, node: &'a Node },
    /// A Dockerfile stage: `/instructions/N` is the N-th instruction, the rest the FROM line.
    Stage { instructions: Vec<Span>, from: Span },
}

impl Place<'_> {
    pub fn span(&self, pointer: &str, key: Option<&str>) -> Span {
        match self {
            Place::Tree { doc, node } => crate::syntax::value::node_at_pointer(doc, node, pointer, key),
            Place::Stage { instructions, from } => pointer
                .strip_prefix("/instructions/")
                .and_then(|rest| rest.split('/').next()?.parse::<usize>().ok())
                .and_then(|i| instructions.get(i).copied())
                .unwrap_or(*from),
        }
    }

    /// The tree node a fix edits, when the selection is one.
    pub fn node(&self) -> Option<&Node> {
        match self {
            Place::Tree { node, .. } => Some(node),
            Place::Stage { .. } => None,
        }
    }
}

/// Calls `f` with every node of `file` that `selector` picks.
pub fn each(selector: &str, file: &File, f: &mut dyn FnMut(Selected)) {
    if selector == "dockerfile.final_stage" {
        if let Some(s) = file.dockerfile().and_then(final_stage) {
            f(s);
        }
        return;
    }
    let wanted = match kind_of(selector) {
        Some("k8s") => file.kind == FileKind::Kubernetes,
        Some("compose") => file.kind == FileKind::Compose,
        Some("prometheus") => matches!(file.kind, FileKind::PrometheusRules | FileKind::Kubernetes),
        Some("alertmanager") => file.kind == FileKind::AlertmanagerConfig,
        Some("appconfig") => matches!(file.kind, FileKind::AppConfig(_)),
        _ => false,
    };
    let Some(tree) = file.tree().filter(|_| wanted) else { return };
    for doc in &tree.docs {
        let Some(root) = doc.root.as_ref().map(|r| doc.resolve(r)) else {
            continue;
        };
        let mut pick = |node: &Node, object: String| {
            f(Selected {
                value: crate::syntax::value::to_json(doc, node),
                place: Place::Tree { doc, node },
                object,
            })
        };
        match selector {
            "k8s.objects" | "k8s.pod_specs" | "k8s.containers" if file.kind == FileKind::Kubernetes => {
                for obj in k8s_objects(doc, root) {
                    let what = describe_object(doc, obj);
                    match selector {
                        "k8s.objects" => pick(obj, what),
                        _ => {
                            let Some(spec) = pod_spec(doc, obj) else { continue };
                            if selector == "k8s.pod_specs" {
                                pick(spec, what);
                                continue;
                            }
                            for c in doc.get(spec, "containers").map(|c| doc.items(c)).unwrap_or_default() {
                                let name = doc.get(c, "name").and_then(Node::as_str).unwrap_or("?");
                                pick(c, format!("container `{name}` of {what}"));
                            }
                        }
                    }
                }
            }
            "compose.services" => {
                for e in doc.get(root, "services").map(|s| doc.entries(s)).unwrap_or_default() {
                    let name = e.key.as_str().unwrap_or("?");
                    pick(doc.resolve(&e.value), format!("service `{name}`"));
                }
            }
            "prometheus.alerting_rules" | "prometheus.recording_rules" => {
                let field = if selector == "prometheus.alerting_rules" {
                    "alert"
                } else {
                    "record"
                };
                for group in rule_groups(doc, root) {
                    for rule in doc.get(group, "rules").map(|r| doc.items(r)).unwrap_or_default() {
                        if let Some(name) = doc.get(rule, field).and_then(Node::as_str) {
                            pick(rule, format!("{field} `{name}`"));
                        }
                    }
                }
            }
            "alertmanager.receivers" => {
                for r in doc.get(root, "receivers").map(|r| doc.items(r)).unwrap_or_default() {
                    let name = doc.get(r, "name").and_then(Node::as_str).unwrap_or("?");
                    pick(r, format!("receiver `{name}`"));
                }
            }
            "appconfig.documents" => pick(root, "the document".to_string()),
            _ => {}
        }
    }
}

/// The objects of a Kubernetes document: the items of a `List`, else the document itself.
fn k8s_objects<'a>(doc: &'a Document, root: &'a Node) -> Vec<&'a Node> {
    match doc.get(root, "kind").and_then(Node::as_str) {
        Some(kind) if kind.ends_with("List") => doc.get(root, "items").map(|i| doc.items(i)).unwrap_or_default(),
        Some(_) => vec![root],
        None => Vec::new(),
    }
}

fn describe_object(doc: &Document, obj: &Node) -> String {
    let kind = doc.get(obj, "kind").and_then(Node::as_str).unwrap_or("object");
    let name = doc
        .get(obj, "metadata")
        .and_then(|m| doc.get(m, "name"))
        .and_then(Node::as_str)
        .unwrap_or("?");
    format!("{kind} `{name}`")
}

/// The pod spec of a pod-bearing object (a Pod, a workload's template, a CronJob's job template).
fn pod_spec<'a>(doc: &'a Document, obj: &'a Node) -> Option<&'a Node> {
    let spec = doc.get(obj, "spec")?;
    if doc.get(obj, "kind").and_then(Node::as_str) == Some("Pod") {
        return Some(spec);
    }
    let template_spec = |s: &'a Node| doc.get(doc.get(s, "template")?, "spec");
    template_spec(spec).or_else(|| template_spec(doc.get(doc.get(spec, "jobTemplate")?, "spec")?))
}

/// Rule groups of a rule file, or of a PrometheusRule object.
fn rule_groups<'a>(doc: &'a Document, root: &'a Node) -> Vec<&'a Node> {
    let holder = match doc.get(root, "kind").and_then(Node::as_str) {
        Some("PrometheusRule") => doc.get(root, "spec"),
        Some(_) => None,
        None => Some(root),
    };
    holder.and_then(|h| doc.get(h, "groups")).map(|g| doc.items(g)).unwrap_or_default()
}

/// The shipped stage as JSON: `{base, user, instructions: [{instruction, arguments}]}`.
fn final_stage(df: &Dockerfile) -> Option<Selected<'static>> {
    let stage = crate::model::dockerfile::runtime_stage(df)?;
    let chain = crate::model::dockerfile::stage_chain(df, stage);
    let instructions: Vec<&crate::syntax::dockerfile::Instruction> = chain.iter().rev().flat_map(|s| s.instructions(df)).collect();
    let user = crate::model::dockerfile::effective_user(df, stage).and_then(crate::model::dockerfile::user_name);
    let value = json!({
        "base": crate::model::dockerfile::base_image(df, stage),
        "user": user,
        "instructions": instructions
            .iter()
            .map(|i| json!({"instruction": i.keyword.to_ascii_uppercase(), "arguments": i.rest.text}))
            .collect::<Vec<_>>(),
    });
    let from = stage.from_inst(df).map_or(stage.image.span, |i| i.span);
    Some(Selected {
        value,
        place: Place::Stage {
            instructions: instructions.iter().map(|i| i.span).collect(),
            from,
        },
        object: "the final stage".to_string(),
    })
}
