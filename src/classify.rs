//! Content-based classification of YAML, JSON and TOML files (DESIGN.md "FileKind"): the shape
//! of a document decides what it is, and lookalikes are recognised and left alone.

use crate::discover::{is_app_config_path, ConfigFormat, FileKind};
use crate::syntax::tree::{Node, TreeFile};

/// The kind of a parsed tree file, or `Other` with the reason it is left alone.
pub fn classify_tree(path: &str, text: &str, tree: &TreeFile, format: ConfigFormat) -> (FileKind, Option<&'static str>) {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let roots: Vec<&Node> = tree.docs.iter().filter_map(|d| d.root.as_ref()).collect();
    // Outside a chart's `templates/` folder, a file that parses whole is what it says it is
    // (its template strings are values for Helm's `tpl`); one that does not is left alone.
    let unrendered = in_templates_folder(&lower) || !tree.errors.is_empty();
    if format != ConfigFormat::Toml && unrendered && is_helm_template(&lower, text) {
        return (FileKind::Other, Some("Helm template (rendered manifests are what Kubernetes sees)"));
    }
    // A file that does not parse and opens with a template action (`{{- /*gotype: …*/ -}}`,
    // `{{- define "x" }}`) is a Go template a program renders (an operator's embedded
    // manifests): YAML only once rendered.
    if format != ConfigFormat::Toml && is_go_template(text, tree) {
        return (FileKind::Other, Some("Go template (YAML only once a program renders it)"));
    }
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
    if crate::model::repo::is_kustomization(path) {
        return (
            FileKind::Other,
            Some("Kustomize kustomization (the resources it lists are checked themselves)"),
        );
    }
    if format != ConfigFormat::Toml && roots.iter().any(|r| is_json_patch(r)) {
        return (
            FileKind::Other,
            Some("Kustomize JSON 6902 patch (operations on a manifest, not a config)"),
        );
    }
    if is_app_config_path(path) {
        return (FileKind::AppConfig(format), None);
    }
    (FileKind::Other, Some("not a deployment file andon knows"))
}

/// A JSON 6902 patch: a list of `{op, path}` operations.
fn is_json_patch(root: &Node) -> bool {
    root.as_seq().is_some_and(|ops| {
        !ops.is_empty()
            && ops.iter().all(|o| {
                o.get("op")
                    .and_then(Node::as_str)
                    .is_some_and(|op| matches!(op, "add" | "remove" | "replace" | "move" | "copy" | "test"))
                    && o.get("path").is_some()
            })
    })
}

/// A file that does not parse and opens with a template action: a Go template, whatever its
/// name says.
pub fn is_go_template(text: &str, tree: &TreeFile) -> bool {
    !tree.errors.is_empty() && text.trim_start().starts_with("{{")
}

fn is_compose_name(name: &str) -> bool {
    (name.starts_with("docker-compose") || name.starts_with("compose")) && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

/// Go template directives only Helm renders: its own objects and `include`. (`template "x"` is
/// not one: Alertmanager configs call their notification templates that way.)
const HELM_MARKERS: [&str; 5] = [".Values", ".Release.", ".Chart.", ".Capabilities.", "include \""];

/// Helm chart templates are Go templates, not YAML: `{{` directives in a `templates/` folder,
/// or anywhere when they reach for Helm's own objects. Prometheus alert templates (`{{ $labels
/// }}`, `{{- end }}`) are Go templates too, so a `templates/` folder holding only those is not
/// taken for a chart.
fn is_helm_template(lower_path: &str, text: &str) -> bool {
    text.contains("{{")
        && (HELM_MARKERS.iter().any(|t| text.contains(t))
            || in_templates_folder(lower_path) && text.match_indices("{{").any(|(i, _)| !is_alert_template_action(&text[i + 2..])))
}

fn in_templates_folder(lower_path: &str) -> bool {
    lower_path.split('/').rev().skip(1).any(|dir| dir == "templates")
}

/// The text after a `{{` opens an action of a Prometheus alert template: a variable, the alert's
/// labels and value, a control word or one of the template functions alert texts use.
fn is_alert_template_action(after: &str) -> bool {
    let action = after.trim_start_matches('-').trim_start();
    [
        "$",
        ".Labels",
        ".Value",
        ".ExternalLabels",
        "end",
        "else",
        "if ",
        "range ",
        "with ",
        "humanize",
        "printf",
        "query ",
        "title ",
        "toUpper ",
        "toLower ",
        "reReplaceAll ",
    ]
    .iter()
    .any(|w| action.starts_with(w))
}

/// Where the template syntax of a chart's manifest template starts (its first `{{`), before
/// parsing: a file in a `templates/` folder with `kind:`/`apiVersion:` keys or Helm's objects.
/// Another tool's config that lives in a `templates/` folder (a Weaver or Jinja config) is not
/// one. Elsewhere, template syntax is judged once the file is parsed
/// ([`structural_template_at`]): a Flux HelmRelease whose values hold `{{ .Release.Name }}`
/// strings is a valid manifest, checked as written.
pub fn template_syntax_at(path: &str, text: &str) -> Option<usize> {
    let lower = path.to_ascii_lowercase();
    if !in_templates_folder(&lower) || !is_helm_template(&lower, text) {
        return None;
    }
    let manifest = looks_like_manifest(text) || HELM_MARKERS.iter().any(|t| text.contains(t));
    manifest.then(|| text.find("{{")).flatten()
}

/// The kind the start of a file says it is, for a file too large to parse: top-level keys that
/// only deployment files use. `None` for anything else (a data file, a dashboard).
pub fn kind_from_head(head: &str) -> Option<FileKind> {
    let top = |key: &str| {
        head.lines().any(|l| {
            let l = l.trim_start_matches("- ").trim_start_matches(['{', ' ']);
            l.starts_with(&format!("{key}:")) || l.starts_with(&format!("\"{key}\""))
        })
    };
    if top("apiVersion") && top("kind") {
        Some(FileKind::Kubernetes)
    } else if top("scrape_configs") {
        Some(FileKind::PrometheusConfig)
    } else if top("groups") && (top("alert") || top("record")) {
        Some(FileKind::PrometheusRules)
    } else if top("route") && top("receivers") {
        Some(FileKind::AlertmanagerConfig)
    } else if head.lines().any(|l| l == "services:") {
        Some(FileKind::Compose)
    } else {
        None
    }
}

fn looks_like_manifest(text: &str) -> bool {
    text.lines()
        .any(|l| l.trim_start_matches("- ").starts_with("kind:") || l.trim_start_matches("- ").starts_with("apiVersion:"))
}

/// Where template syntax that is part of a manifest's YAML structure starts: a `{{ … }}` or
/// `{% … %}` outside every string and comment, as Jinja, Go templates and the `{{NAME}}`
/// placeholders of sed or envsubst scripts write them. Such a file parses into nonsense or not
/// at all. Template syntax inside a string (`image: "{{ IMAGE }}"`, a block of embedded config)
/// leaves the YAML intact and is checked as written; a Prometheus alert template left unquoted
/// (`summary: {{ $labels.pod }} down`) is a real YAML error and stays one.
pub fn structural_template_at(text: &str, tree: &TreeFile) -> Option<usize> {
    if !(text.contains("{{") || text.contains("{%")) || !looks_like_manifest(text) {
        return None;
    }
    let mut strings: Vec<(u32, u32)> = tree.comments.iter().map(|c| (c.span.start, c.span.end)).collect();
    for root in tree.docs.iter().filter_map(|d| d.root.as_ref()) {
        root.walk(&mut |n| {
            if n.as_scalar().is_some() {
                strings.push((n.span.start, n.span.end));
            }
        });
    }
    let in_string = |i: usize| strings.iter().any(|&(s, e)| s as usize <= i && i < e as usize);
    // Only alerting objects write alert templates; elsewhere `{{ .Value }}` is a placeholder.
    let alerting = text.contains("PrometheusRule") || text.contains("AlertmanagerConfig") || text.contains("groups:");
    text.match_indices("{{")
        .chain(text.match_indices("{%"))
        .map(|(i, _)| i)
        .filter(|&i| !in_string(i))
        .filter(|&i| text[i + 1..].starts_with('%') || !(alerting && is_alert_template_action(&text[i + 2..])))
        .min()
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
    // Grafana's alerting provisioning also has `groups:` of `rules:`, but its rules are
    // `uid`/`title`/`condition`/`data` queries in Grafana's own format.
    let grafana = groups.iter().any(|g| g.get("orgId").is_some() || g.get("folder").is_some())
        || groups
            .iter()
            .filter_map(|g| g.get("rules").and_then(Node::as_seq))
            .flatten()
            .any(|r| r.get("uid").is_some() && r.get("data").is_some());
    if grafana {
        return Some((FileKind::Other, Some("Grafana alerting provisioning (not a Prometheus rule file)")));
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
/// `| json`), which PromQL never has. PromQL's own `!=`/`!~` live inside `{…}` label matchers,
/// so only the text outside braces and quotes is looked at.
fn is_logql(expr: &str) -> bool {
    let mut outside = String::with_capacity(expr.len());
    let (mut depth, mut quote) = (0usize, None::<char>);
    let mut prev = ' ';
    for c in expr.chars() {
        match quote {
            Some(q) if c == q && prev != '\\' => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '`' if depth > 0 => quote = Some(c),
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ if depth == 0 => outside.push(c),
                _ => {}
            },
        }
        prev = c;
    }
    expr.contains('{')
        && [
            "|=",
            "|~",
            "!= \"",
            "!=\"",
            "!~ \"",
            "!~\"",
            "| json",
            "| logfmt",
            "| line_format",
            "| pattern",
            "| regexp",
            "| unpack",
            "|json",
            "|logfmt",
        ]
        .iter()
        .any(|t| outside.contains(t))
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
            || r.get_path(&["global", "evaluation_interval"]).is_some()
            || r.get_path(&["storage", "tsdb"]).is_some() && r.get("global").is_some()
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

#[cfg(test)]
mod tests {
    use super::is_logql;

    #[test]
    fn logql_is_told_from_promql_with_negative_matchers() {
        assert!(is_logql(r#"sum(count_over_time({app="api"} |= "error" [5m])) > 0"#));
        assert!(is_logql(r#"rate({job="x"} | json | level="error" [1m])"#));
        assert!(!is_logql(r#"sum(rate(http_requests_total{status!~"5.."}[5m]))"#));
        assert!(!is_logql(r#"up{job!="node"} == 0"#));
    }

    #[test]
    fn helm_templates_but_not_alert_templates() {
        use super::is_helm_template;
        assert!(is_helm_template("chart/templates/deploy.yaml", "replicas: {{ .Values.replicas }}"));
        assert!(is_helm_template("deploy.yaml", "image: {{ .Values.image }}"));
        assert!(!is_helm_template(
            "rules.yaml",
            "description: on {{ $labels.cluster -}} x {{- end }}"
        ));
        let slack = "text: '{{ template \"slack.default.text\" . }}'";
        assert!(!is_helm_template("alertmanager.yml", slack));
        assert!(is_helm_template("alertmanager.yml", "api_url: {{ .Values.slack }}"));
        assert!(!is_helm_template(
            "monitoring/templates/alerts.yaml",
            "summary: '{{ $labels.pod }} is down: {{ humanize $value }}'"
        ));
        assert!(is_helm_template("chart/templates/svc.yaml", "name: {{ template \"app.name\" . }}"));
    }

    #[test]
    fn template_syntax_is_placed_only_for_manifest_templates() {
        use super::template_syntax_at;
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n";
        assert_eq!(template_syntax_at("chart/templates/svc.yaml", text), text.find("{{"));
        // Outside `templates/`, the parsed file decides (structural_template_at).
        assert_eq!(template_syntax_at("chart/svc.yaml", text), None);
        assert_eq!(template_syntax_at("chart/values.yaml", "fullname: \"{{ .Release.Name }}\"\n"), None);
        assert_eq!(template_syntax_at("chart/templates/x.yaml", "a: 1\n"), None);
        let weaver = "templates:\n  - file_name: services/{{ ctx.id | snake_case }}.md\n";
        assert_eq!(template_syntax_at("docs/templates/markdown/weaver.yaml", weaver), None);
    }

    #[test]
    fn grafana_alerting_provisioning_is_not_a_rule_file() {
        use super::classify_tree;
        use crate::discover::{ConfigFormat, FileKind};
        use crate::syntax::{yaml, Limits};
        let kind = |text: &str| {
            classify_tree(
                "alerting/rules.yml",
                text,
                &yaml::parse(text, &Limits::default()),
                ConfigFormat::Yaml,
            )
            .0
        };
        let grafana = "apiVersion: 1\ngroups:\n  - orgId: 1\n    name: g\n    folder: f\n    rules:\n      - uid: a1\n        title: High\n        condition: c\n        data: []\n";
        assert_eq!(kind(grafana), FileKind::Other);
        let prometheus = "groups:\n  - name: g\n    rules:\n      - alert: Down\n        expr: up == 0\n";
        assert_eq!(kind(prometheus), FileKind::PrometheusRules);
    }

    #[test]
    fn kustomize_files_are_not_app_configs() {
        use super::classify_tree;
        use crate::discover::{ConfigFormat, FileKind};
        use crate::syntax::{yaml, Limits};
        let kind = |path: &str, text: &str| classify_tree(path, text, &yaml::parse(text, &Limits::default()), ConfigFormat::Yaml).0;
        let kustomization = "resources:\n- deployment.yaml\nnamespace: logging\n";
        assert_eq!(kind("config/overlays/x/kustomization.yaml", kustomization), FileKind::Other);
        let patch = "- op: replace\n  path: /spec/replicas\n  value: 3\n- op: remove\n  path: /metadata/labels/x\n";
        assert_eq!(kind("config/overlays/x/replicas.yaml", patch), FileKind::Other);
        let config = "- name: a\n  path: /x\n";
        let template = "{{- /*gotype: x.Options*/ -}}\nauth_enabled: true\n{{- if .Gossip }}\nmemberlist:\n  - {{ .Name }}\n{{- end }}\n";
        assert_eq!(kind("internal/config/loki-config.yaml", template), FileKind::Other);
        assert_eq!(kind("config/app.yaml", config), FileKind::AppConfig(ConfigFormat::Yaml));
    }
}
