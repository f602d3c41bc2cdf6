//! Content-based classification of YAML, JSON and TOML files (DESIGN.md "FileKind"): the shape
//! of a document decides what it is, and lookalikes are recognised and left alone.

use crate::discover::{is_app_config_path, ConfigFormat, FileKind};
use crate::syntax::tree::{Node, TreeFile};

/// The kind of a parsed tree file, or `Other` with the reason it is left alone.
pub fn classify_tree(path: &str, text: &str, tree: &TreeFile, format: ConfigFormat) -> (FileKind, Option<&'static str>) {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    if format != ConfigFormat::Toml && is_helm_template(&lower, text) {
        return (FileKind::Other, Some("Helm template (rendered manifests are what Kubernetes sees)"));
    }
    let roots: Vec<&Node> = tree.docs.iter().filter_map(|d| d.root.as_ref()).collect();
    if format != ConfigFormat::Toml {
        if roots.iter().any(|r| is_kubernetes_object(r)) {
            return (FileKind::Kubernetes, None);
        }
        if let Some(verdict) = rule_file_verdict(&roots) {
            return verdict;
        }
        if roots.iter().any(|r| r.get("services").is_some_and(|s| s.as_map().is_some())) && !is_lookalike_with_services(&roots) {
            return (FileKind::Compose, None);
        }
        if roots.iter().any(|r| r.get("route").is_some() && r.get("receivers").is_some()) {
            return (FileKind::AlertmanagerConfig, None);
        }
        if let Some(verdict) = prometheus_config_verdict(&roots) {
            return verdict;
        }
        if is_compose_name(name) && tree.docs.iter().all(|d| d.root.is_none()) {
            return (FileKind::Compose, None);
        }
    }
    if is_app_config_path(path) {
        return (FileKind::AppConfig(format), None);
    }
    (FileKind::Other, Some("not a deployment file andon knows"))
}

fn is_compose_name(name: &str) -> bool {
    (name.starts_with("docker-compose") || name.starts_with("compose")) && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

/// Helm chart templates are Go templates, not YAML: `{{` directives anywhere in a `templates/`
/// folder, or a `{{-`/`{{ .Values` anywhere.
fn is_helm_template(lower_path: &str, text: &str) -> bool {
    (lower_path.contains("templates/") && text.contains("{{")) || text.contains("{{ .Values") || text.contains("{{- ")
}

fn is_kubernetes_object(root: &Node) -> bool {
    let api = root.get("apiVersion").and_then(Node::as_str);
    let kind = root.get("kind").and_then(Node::as_str);
    matches!((api, kind), (Some(a), Some(k)) if !a.is_empty() && !k.is_empty())
}

/// `groups: [{name, rules: [...]}]` is a Prometheus rule file, unless its expressions are LogQL
/// (a Loki or Mimir ruler file for logs).
fn rule_file_verdict(roots: &[&Node]) -> Option<(FileKind, Option<&'static str>)> {
    let groups: Vec<&Node> = roots
        .iter()
        .filter_map(|r| r.get("groups"))
        .filter_map(Node::as_seq)
        .flatten()
        .filter(|g| g.get("rules").is_some())
        .collect();
    if groups.is_empty() {
        return None;
    }
    let exprs = groups
        .iter()
        .filter_map(|g| g.get("rules").and_then(Node::as_seq))
        .flatten()
        .filter_map(|r| r.get("expr").and_then(Node::as_str));
    for expr in exprs {
        if is_logql(expr) {
            return Some((FileKind::Other, Some("Loki ruler file (LogQL expressions)")));
        }
    }
    Some((FileKind::PrometheusRules, None))
}

/// LogQL stream selectors are followed by a line filter or parser (`{app="x"} |= "err"`,
/// `| json`), which PromQL never has.
fn is_logql(expr: &str) -> bool {
    [
        "|=",
        "!=\"",
        "|~",
        "!~\"",
        "| json",
        "| logfmt",
        "| line_format",
        "| pattern",
        "| regexp",
        "| unpack",
    ]
    .iter()
    .any(|t| expr.contains(t))
        && expr.contains('{')
}

fn is_lookalike_with_services(roots: &[&Node]) -> bool {
    // Docker stack / compose always maps services to maps; a CI file (`services:` of
    // GitLab or Drone) lists images instead and comes with stages/steps.
    roots
        .iter()
        .any(|r| r.get("stages").is_some() || r.get("steps").is_some() || r.get("pipeline").is_some())
}

fn prometheus_config_verdict(roots: &[&Node]) -> Option<(FileKind, Option<&'static str>)> {
    let root = roots.iter().find(|r| {
        r.get("scrape_configs").is_some()
            || r.get("rule_files").is_some()
            || r.get_path(&["alerting", "alertmanagers"]).is_some()
            || r.get_path(&["global", "scrape_interval"]).is_some()
            || r.get("remote_write").is_some() && r.get("global").is_some()
    })?;
    if root.get("positions").is_some() || root.get("clients").is_some() {
        return Some((FileKind::Other, Some("Promtail config (scrape_configs beside clients/positions)")));
    }
    if root.get("server").is_some() && root.get("metrics").is_some() || root.get("integrations").is_some() {
        return Some((FileKind::Other, Some("Grafana Agent config")));
    }
    Some((FileKind::PrometheusConfig, None))
}
