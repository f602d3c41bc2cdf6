//! Typed views of Prometheus files: rule files (plain `groups:` files and the `spec.groups` of
//! PrometheusRule objects in Kubernetes files) and prometheus.yml. Every value keeps its span.

use super::{File, FromFile};
use crate::kind::FileKind;
use crate::source::Span;
use crate::syntax::promql::{self, Unparsed};
use crate::syntax::tree::{Document, Node, ScalarStyle};
use promql_parser::parser::Expr;
use std::sync::OnceLock;

/// A string value with the span of its value and of its key.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned {
    pub value: String,
    pub span: Span,
    pub key: Span,
}

impl Spanned {
    /// `key`'s value in `map`, with both spans (aliases followed).
    pub fn from_entry(doc: &Document, map: &Node, key: &str) -> Option<Spanned> {
        let map = doc.resolve(map);
        let entry = map.entry(key)?;
        let value = doc.resolve(&entry.value);
        Some(Spanned {
            value: value.as_str().unwrap_or("").to_string(),
            span: value.span,
            key: entry.key.span,
        })
    }
}

/// A key of a mapping, in source order, with its value's span.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyPlace {
    pub name: String,
    pub key: Span,
    pub value: Span,
}

/// A Prometheus rule file's content, or the groups of every PrometheusRule object of a
/// Kubernetes file.
#[derive(Clone, Debug, Default)]
pub struct RuleFile {
    pub groups: Vec<Group>,
    /// The `groups:` key of the first document that has one (whole-file findings go there).
    pub groups_key: Option<Span>,
}

#[derive(Clone, Debug)]
pub struct Group {
    /// `name:` with its value; `None` when the group has no name.
    pub name: Option<Spanned>,
    /// The whole group item.
    pub span: Span,
    pub interval: Option<Spanned>,
    pub rules: Vec<PromRule>,
    /// Every key of the group's mapping in source order.
    pub keys: Vec<KeyPlace>,
    /// Which document of the file holds the group (PrometheusRule objects are separate rule
    /// files to the operator, so group names need only be unique within one).
    pub doc: usize,
}

impl Group {
    /// Where to point for the group as a whole: its `name:` value, else the item.
    pub fn place(&self) -> Span {
        self.name.as_ref().map(|n| n.span).unwrap_or(self.span)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    Alert,
    Record,
}

/// The `expr:` of a rule.
#[derive(Clone, Debug)]
pub struct RuleExpr {
    pub text: String,
    pub span: Span,
    pub key: Span,
    pub style: ScalarStyle,
    /// The parsed expression, worked out once for the many rules that read it.
    parsed: OnceLock<Result<Expr, Unparsed>>,
}

impl RuleExpr {
    /// The expression parsed as PromQL, or why it was not.
    pub fn parsed(&self) -> Result<&Expr, &Unparsed> {
        self.parsed.get_or_init(|| promql::parse(&self.text)).as_ref()
    }
}

/// One alerting or recording rule.
#[derive(Clone, Debug)]
pub struct PromRule {
    pub kind: RuleKind,
    /// The `alert:` or `record:` value (empty when it is not a string).
    pub name: Spanned,
    /// The whole rule item.
    pub span: Span,
    pub expr: Option<RuleExpr>,
    pub for_: Option<Spanned>,
    pub keep_firing_for: Option<Spanned>,
    pub labels: Vec<Pair>,
    pub labels_key: Option<Span>,
    pub annotations: Vec<Pair>,
    pub annotations_key: Option<Span>,
    /// Every key of the rule's mapping in source order (for fixes that insert beside them).
    pub keys: Vec<KeyPlace>,
}

impl PromRule {
    pub fn is_alert(&self) -> bool {
        self.kind == RuleKind::Alert
    }

    pub fn label(&self, name: &str) -> Option<&Pair> {
        self.labels.iter().find(|l| l.name == name)
    }

    pub fn annotation(&self, name: &str) -> Option<&Pair> {
        self.annotations.iter().find(|l| l.name == name)
    }
}

/// A label or annotation: its name, value and both spans.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    pub name: String,
    pub value: String,
    pub key: Span,
    pub span: Span,
}

fn pairs(doc: &Document, map: Option<&Node>) -> Vec<Pair> {
    let Some(map) = map else { return Vec::new() };
    doc.entries(map)
        .into_iter()
        .filter_map(|e| {
            let value = doc.resolve(&e.value);
            Some(Pair {
                name: e.key.as_str()?.to_string(),
                value: value.as_str().unwrap_or("").to_string(),
                key: e.key.span,
                span: value.span,
            })
        })
        .collect()
}

impl FromFile for RuleFile {
    fn build(file: &File) -> Option<Self> {
        let tree = file.tree()?;
        let mut out = RuleFile::default();
        for (index, doc) in tree.docs.iter().enumerate() {
            let Some(root) = doc.root.as_ref() else { continue };
            let holder = match file.kind {
                FileKind::PrometheusRules => Some(doc.resolve(root)),
                FileKind::Kubernetes if doc.get(root, "kind").and_then(Node::as_str) == Some("PrometheusRule") => doc.get(root, "spec"),
                _ => None,
            };
            let Some(holder) = holder else { continue };
            let Some(entry) = holder.entry("groups") else { continue };
            out.groups_key.get_or_insert(entry.key.span);
            for g in doc.items(&entry.value) {
                if g.as_map().is_some() {
                    out.groups.push(build_group(doc, g, index));
                }
            }
        }
        out.groups_key?;
        Some(out)
    }
}

fn build_group(doc: &Document, g: &Node, index: usize) -> Group {
    let rules = doc
        .get(g, "rules")
        .map(|r| doc.items(r))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| build_rule(doc, r))
        .collect();
    Group {
        name: Spanned::from_entry(doc, g, "name"),
        span: g.span,
        interval: Spanned::from_entry(doc, g, "interval"),
        rules,
        keys: key_places(doc.resolve(g)),
        doc: index,
    }
}

fn key_places(map: &Node) -> Vec<KeyPlace> {
    map.as_map()
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| {
            Some(KeyPlace {
                name: e.key.as_str()?.to_string(),
                key: e.key.span,
                value: e.value.span,
            })
        })
        .collect()
}

fn build_rule(doc: &Document, r: &Node) -> Option<PromRule> {
    r.as_map()?;
    let (kind, name) = match Spanned::from_entry(doc, r, "alert") {
        Some(a) => (RuleKind::Alert, a),
        None => (RuleKind::Record, Spanned::from_entry(doc, r, "record")?),
    };
    let expr = r.entry("expr").map(|e| {
        let v = doc.resolve(&e.value);
        RuleExpr {
            text: v.as_str().unwrap_or("").to_string(),
            span: v.span,
            key: e.key.span,
            style: v.as_scalar().map(|s| s.style).unwrap_or(ScalarStyle::Plain),
            parsed: OnceLock::new(),
        }
    });
    let keys = key_places(r);
    Some(PromRule {
        kind,
        name,
        span: r.span,
        expr,
        for_: Spanned::from_entry(doc, r, "for"),
        keep_firing_for: Spanned::from_entry(doc, r, "keep_firing_for"),
        labels: pairs(doc, doc.get(r, "labels")),
        labels_key: r.entry("labels").map(|e| e.key.span),
        annotations: pairs(doc, doc.get(r, "annotations")),
        annotations_key: r.entry("annotations").map(|e| e.key.span),
        keys,
    })
}

/// prometheus.yml.
#[derive(Clone, Debug, Default)]
pub struct PromConfig {
    /// The first key of the file (whole-file findings go there).
    pub first_key: Span,
    pub global_key: Option<Span>,
    pub scrape_interval: Option<Spanned>,
    pub scrape_timeout: Option<Spanned>,
    pub evaluation_interval: Option<Spanned>,
    /// The names of `global.external_labels`, which Prometheus adds to every alert it sends.
    pub external_labels: Vec<String>,
    pub rule_files_key: Option<Span>,
    pub rule_files: Vec<Spanned>,
    pub alerting_key: Option<Span>,
    pub alertmanagers: Vec<AlertmanagerTarget>,
    /// True when some `alertmanagers` entry discovers its targets (not only static ones).
    pub alertmanagers_discovered: bool,
    pub scrape_configs: Vec<ScrapeJob>,
    /// Every relabelling step of the file: `relabel_configs` and `metric_relabel_configs` of
    /// scrape jobs, `alert_relabel_configs` and the `relabel_configs` of Alertmanager and
    /// remote-write entries.
    pub relabels: Vec<Relabel>,
    /// Every credential written inline ([`CREDENTIAL_KEYS`], placeholders excepted), anywhere
    /// in the file: scrape jobs, remote write and read, Alertmanager targets, discovery.
    pub credentials: Vec<Spanned>,
}

/// Keys of Prometheus' HTTP client settings that hold a credential, each with a `*_file` twin:
/// `basic_auth.password`, `authorization.credentials`, the older `bearer_token`,
/// `oauth2.client_secret`.
pub const CREDENTIAL_KEYS: &[&str] = &["password", "credentials", "bearer_token", "client_secret"];

/// One relabelling step, with the keys rules check.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Relabel {
    pub regex: Option<Spanned>,
    pub action: Option<Spanned>,
}

/// A static Alertmanager target of `alerting.alertmanagers[].static_configs[].targets`.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertmanagerTarget {
    pub target: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct ScrapeJob {
    pub job_name: Option<Spanned>,
    pub span: Span,
    pub scrape_interval: Option<Spanned>,
    pub scrape_timeout: Option<Spanned>,
    pub targets: Vec<AlertmanagerTarget>,
}

impl ScrapeJob {
    pub fn place(&self) -> Span {
        self.job_name.as_ref().map(|n| n.span).unwrap_or(self.span)
    }
}

impl FromFile for PromConfig {
    fn build(file: &File) -> Option<Self> {
        if file.kind != FileKind::PrometheusConfig {
            return None;
        }
        let tree = file.tree()?;
        let doc = tree.docs.iter().find(|d| d.root.is_some())?;
        let root = doc.resolve(doc.root.as_ref()?);
        let first_key = root.as_map()?.first().map(|e| e.key.span)?;
        let mut out = PromConfig {
            first_key,
            ..PromConfig::default()
        };
        if let Some(global) = root.entry("global") {
            out.global_key = Some(global.key.span);
            out.scrape_interval = Spanned::from_entry(doc, &global.value, "scrape_interval");
            out.scrape_timeout = Spanned::from_entry(doc, &global.value, "scrape_timeout");
            out.evaluation_interval = Spanned::from_entry(doc, &global.value, "evaluation_interval");
            if let Some(ext) = doc.get(&global.value, "external_labels") {
                out.external_labels = doc.entries(ext).iter().filter_map(|e| e.key.as_str().map(str::to_string)).collect();
            }
        }
        if let Some(rf) = root.entry("rule_files") {
            out.rule_files_key = Some(rf.key.span);
            out.rule_files = doc
                .items(&rf.value)
                .into_iter()
                .filter_map(|n| {
                    Some(Spanned {
                        value: n.as_str()?.to_string(),
                        span: n.span,
                        key: rf.key.span,
                    })
                })
                .collect();
        }
        if let Some(alerting) = root.entry("alerting") {
            out.alerting_key = Some(alerting.key.span);
            let ams = doc.get(&alerting.value, "alertmanagers").map(|a| doc.items(a)).unwrap_or_default();
            for am in ams {
                for e in doc.entries(am) {
                    let Some(k) = e.key.as_str() else { continue };
                    if k == "static_configs" {
                        out.alertmanagers.extend(static_targets(doc, &e.value));
                    } else if k.ends_with("_sd_configs") {
                        out.alertmanagers_discovered = true;
                    }
                }
            }
        }
        collect_relabels(doc, root, 0, &mut out.relabels);
        collect_credentials(doc, root, 0, &mut out.credentials);
        let jobs = doc.get(root, "scrape_configs").map(|s| doc.items(s)).unwrap_or_default();
        for j in jobs {
            if j.as_map().is_none() {
                continue;
            }
            out.scrape_configs.push(ScrapeJob {
                job_name: Spanned::from_entry(doc, j, "job_name"),
                span: j.span,
                scrape_interval: Spanned::from_entry(doc, j, "scrape_interval"),
                scrape_timeout: Spanned::from_entry(doc, j, "scrape_timeout"),
                targets: doc.get(j, "static_configs").map(|s| static_targets(doc, s)).unwrap_or_default(),
            });
        }
        Some(out)
    }
}

/// The steps of every `*relabel_configs` list in `node` and below (service-discovery blocks
/// included), to a bounded depth.
fn collect_relabels(doc: &Document, node: &Node, depth: usize, out: &mut Vec<Relabel>) {
    if depth > 8 {
        return;
    }
    let node = doc.resolve(node);
    if node.as_map().is_some() {
        for e in doc.entries(node) {
            if e.key.as_str().is_some_and(|k| k.ends_with("relabel_configs")) {
                for step in doc.items(&e.value) {
                    out.push(Relabel {
                        regex: Spanned::from_entry(doc, step, "regex"),
                        action: Spanned::from_entry(doc, step, "action"),
                    });
                }
            } else {
                collect_relabels(doc, &e.value, depth + 1, out);
            }
        }
    } else {
        for item in doc.items(node) {
            collect_relabels(doc, item, depth + 1, out);
        }
    }
}

/// The inline values of [`CREDENTIAL_KEYS`] in `node` and below, to a bounded depth.
fn collect_credentials(doc: &Document, node: &Node, depth: usize, out: &mut Vec<Spanned>) {
    if depth > 16 {
        return;
    }
    let node = doc.resolve(node);
    if node.as_map().is_some() {
        for e in doc.entries(node) {
            let value = doc.resolve(&e.value);
            match (e.key.as_str(), value.as_str()) {
                (Some(k), Some(v)) if CREDENTIAL_KEYS.contains(&k) && !crate::model::alertmanager::is_placeholder(v) => {
                    out.push(Spanned {
                        value: v.to_string(),
                        span: value.span,
                        key: e.key.span,
                    });
                }
                _ => collect_credentials(doc, &e.value, depth + 1, out),
            }
        }
    } else {
        for item in doc.items(node) {
            collect_credentials(doc, item, depth + 1, out);
        }
    }
}

fn static_targets(doc: &Document, static_configs: &Node) -> Vec<AlertmanagerTarget> {
    let mut out = Vec::new();
    for sc in doc.items(static_configs) {
        for t in doc.get(sc, "targets").map(|t| doc.items(t)).unwrap_or_default() {
            if let Some(s) = t.as_str() {
                out.push(AlertmanagerTarget {
                    target: s.to_string(),
                    span: t.span,
                });
            }
        }
    }
    out
}

/// The rule files of the project, in path order, with their models.
pub fn rule_files(files: &[File]) -> Vec<(&File, std::sync::Arc<RuleFile>)> {
    let mut out: Vec<_> = files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::PrometheusRules | FileKind::Kubernetes))
        .filter_map(|f| f.model::<RuleFile>().map(|m| (f, m)))
        .collect();
    out.sort_by(|a, b| a.0.path().cmp(b.0.path()));
    out
}
