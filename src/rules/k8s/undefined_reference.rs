use super::{may_share_namespace, HelmCharts, ProjectObjects};
use crate::diagnostic::Severity;
use crate::model::k8s::{kustomize_generated, Object, PodSpec};
use crate::model::repo::parent;
use crate::rules::{edit_distance, Project, Rule, Sink};
use crate::syntax::tree::Node;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeSet;

/// A pod that reads a ServiceAccount, ConfigMap, Secret (image pull Secrets too) or
/// PersistentVolumeClaim that the repository does not define,
/// while it defines others of that kind in the pod's namespace.
pub struct UndefinedReference;

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
struct Options {
    allow_external: Vec<String>,
}

impl Rule for UndefinedReference {
    fn name(&self) -> &'static str {
        "k8s/undefined-reference"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let charts = HelmCharts::new(project);
        let allowed = glob_set(&out.options::<Options>().allow_external);
        let objects = ProjectObjects::new(project.files);
        let made = made_elsewhere(project, &objects);
        for (path, obj) in objects.iter() {
            let Some(pod) = obj.pod.as_ref().filter(|_| !obj.partial) else {
                continue;
            };
            for Reference { kind, node, optional } in references(pod) {
                let Some(name) = node.as_str().filter(|n| !n.is_empty()) else {
                    continue;
                };
                if always_there(kind, name)
                    || charts.may_define(path, kind)
                    || allowed.is_match(name)
                    || allowed.is_match(format!("{kind}/{name}"))
                    || made.contains(&(kind, name.to_string()))
                    || kind == "PersistentVolumeClaim" && (claim_templates(obj).any(|t| t == name) || made_by_stateful_set(&objects, name))
                    || !defined_beside(&objects, path, kind, obj)
                    || objects.named(kind, name, obj).next().is_some()
                {
                    continue;
                }
                let message = format!(
                    "{} reads {kind} `{name}`, which no manifest defines in namespace `{}`",
                    obj.describe(),
                    obj.namespace
                );
                let help = match (kind, optional) {
                    (_, true) => format!("correct the name, define the {kind}, mark the reference `optional: true`, or list it under the rule's allow-external option when it is created elsewhere: the pod cannot start while it is missing"),
                    ("Secret", false) => "correct the name, define the Secret, or list it under the rule's allow-external option when it is created elsewhere: without it the kubelet pulls anonymously, and a private image cannot be pulled".to_string(),
                    ("ServiceAccount", false) => "correct the name, define the ServiceAccount, or list it under the rule's allow-external option when it is created elsewhere: no pod is created while it is missing".to_string(),
                    _ => format!("correct the name, define the {kind}, or list it under the rule's allow-external option when it is created elsewhere: the pod stays Pending while it is missing"),
                };
                match near_name(&objects, kind, name, obj) {
                    Some(near) => {
                        out.report_in(path, node.span, message)
                            .help(format!("did you mean `{near}`? {help}"));
                    }
                    // Without a near name it may as well be defined in a file the run did not see.
                    None => {
                        out.report_in(path, node.span, message).help(help).severity(Severity::Info);
                    }
                }
            }
        }
    }
}

/// Whether the folder of `path` defines objects of `kind` that may share `obj`'s namespace: the
/// sign that this folder's objects of that kind are kept in the repository, not made elsewhere.
fn defined_beside(objects: &ProjectObjects, path: &str, kind: &str, obj: &Object) -> bool {
    let folder = parent(path);
    objects
        .iter()
        .any(|(p, o)| parent(p) == folder && o.is(kind) && may_share_namespace(o, obj))
}

/// A defined object of `kind` whose name is one or two edits from `name`: likely a typo.
fn near_name<'a>(objects: &'a ProjectObjects, kind: &str, name: &str, obj: &Object) -> Option<&'a str> {
    let budget = if name.chars().count() > 6 { 2 } else { 1 };
    objects
        .iter()
        .map(|(_, o)| o)
        .filter(|o| o.is(kind) && may_share_namespace(o, obj))
        .filter_map(|o| o.name.as_deref())
        .find(|n| edit_distance(n, name) <= budget)
}

/// The names of a StatefulSet's `volumeClaimTemplates`.
fn claim_templates(obj: &Object) -> impl Iterator<Item = &str> {
    let templates = obj.spec().and_then(|s| s.get("volumeClaimTemplates")).and_then(Node::as_seq);
    templates
        .unwrap_or_default()
        .iter()
        .filter_map(|t| t.get_path(&["metadata", "name"]).and_then(Node::as_str))
}

/// A claim a StatefulSet creates from its templates, `<template>-<statefulset>-<ordinal>`
/// (a backup Job may mount `data-postgres-0`).
fn made_by_stateful_set(objects: &ProjectObjects, claim: &str) -> bool {
    objects.iter().filter(|(_, o)| o.kind == "StatefulSet").any(|(_, o)| {
        let Some(set) = o.name.as_deref() else { return false };
        claim_templates(o).any(|t| {
            claim
                .strip_prefix(t)
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|rest| rest.strip_prefix(set))
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|ordinal| !ordinal.is_empty() && ordinal.bytes().all(|b| b.is_ascii_digit()))
        })
    })
}

/// What every namespace has without a manifest.
fn always_there(kind: &str, name: &str) -> bool {
    matches!((kind, name), ("ServiceAccount", "default") | ("ConfigMap", "kube-root-ca.crt"))
}

fn glob_set(patterns: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        if let Ok(g) = Glob::new(p) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// ConfigMaps and Secrets that exist without a manifest of their own: generated by Kustomize,
/// or written by a controller from a custom resource (Sealed Secrets, External Secrets,
/// cert-manager). Namespaces are not compared: a generator's namespace is often set elsewhere.
fn made_elsewhere(project: &Project, objects: &ProjectObjects) -> BTreeSet<(&'static str, String)> {
    let mut made = BTreeSet::new();
    for path in project.repo.paths() {
        if crate::model::repo::is_kustomization(path) {
            if let Some(text) = project.repo.text(path) {
                made.extend(kustomize_generated(text));
            }
        }
    }
    let at = |o: &Object, p: &[&str]| o.node.get_path(p).and_then(Node::as_str).map(str::to_string);
    for (_, o) in objects.iter() {
        let secret = match o.kind.as_str() {
            "SealedSecret" => at(o, &["spec", "template", "metadata", "name"]).or_else(|| o.name.clone()),
            "ExternalSecret" => at(o, &["spec", "target", "name"]).or_else(|| o.name.clone()),
            "Certificate" => at(o, &["spec", "secretName"]),
            _ => None,
        };
        made.extend(secret.map(|n| ("Secret", n)));
    }
    made
}

/// A name a pod reads: the kind it names, the name's node, and whether the reference could be
/// marked `optional: true` (ConfigMaps and Secrets a container reads; not image pull Secrets,
/// claims or ServiceAccounts).
struct Reference<'a> {
    kind: &'static str,
    node: &'a Node,
    optional: bool,
}

/// The objects a pod reads by name; references marked `optional: true` are left out, since the
/// pod starts without them.
fn references(pod: &PodSpec) -> Vec<Reference<'_>> {
    let mut refs = Vec::new();
    let r = &mut refs;
    let account = if pod.get("serviceAccountName").is_some() {
        "serviceAccountName"
    } else {
        "serviceAccount"
    };
    add(r, "ServiceAccount", Some(pod.node()), account);
    let pulls = pod.get("imagePullSecrets").and_then(Node::as_seq).unwrap_or_default();
    r.extend(pulls.iter().filter_map(|p| p.get("name")).map(|node| Reference {
        kind: "Secret",
        node,
        optional: false,
    }));
    for volume in pod.get("volumes").and_then(Node::as_seq).unwrap_or_default() {
        add(r, "PersistentVolumeClaim", volume.get("persistentVolumeClaim"), "claimName");
        add(r, "ConfigMap", volume.get("configMap"), "name");
        add(r, "Secret", volume.get("secret"), "secretName");
        let sources = volume
            .get_path(&["projected", "sources"])
            .and_then(Node::as_seq)
            .unwrap_or_default();
        for source in sources {
            add(r, "ConfigMap", source.get("configMap"), "name");
            add(r, "Secret", source.get("secret"), "name");
        }
    }
    for c in &pod.containers {
        for from in c.node.get("envFrom").and_then(Node::as_seq).unwrap_or_default() {
            add(r, "ConfigMap", from.get("configMapRef"), "name");
            add(r, "Secret", from.get("secretRef"), "name");
        }
        for var in &c.env {
            let from = var.value_from.as_ref();
            add(r, "ConfigMap", from.and_then(|f| f.get("configMapKeyRef")), "name");
            add(r, "Secret", from.and_then(|f| f.get("secretKeyRef")), "name");
        }
    }
    refs
}

/// Adds the name at `key` of a reference `source`, unless it is `optional: true`.
fn add<'a>(refs: &mut Vec<Reference<'a>>, kind: &'static str, source: Option<&'a Node>, key: &str) {
    if let Some(s) = source.filter(|s| s.get("optional").and_then(Node::as_bool) != Some(true)) {
        let optional = matches!(kind, "ConfigMap" | "Secret");
        refs.extend(s.get(key).map(|node| Reference { kind, node, optional }));
    }
}
