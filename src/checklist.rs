//! The production checklist (`data/checklist.tsv`, built from CHECKLIST.md) and its evaluation
//! from the results of one run: each item passes, fails (with the findings that show why), does
//! not apply (nothing it concerns was scanned), is manual (a person must confirm it), or is
//! unchecked (no rule judges it yet, or its rules are turned off).

use crate::diagnostic::Severity;
use crate::engine::Finding;
use crate::kind::FileKind;
use crate::rules::catalog::RuleMeta;
use serde::Serialize;
use std::collections::BTreeSet;

const TSV: &str = include_str!("../data/checklist.tsv");

/// One item of the checklist, as the data file words it.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub section: String,
    pub id: String,
    pub title: String,
    /// How andon judges it (or what a person must confirm).
    pub how: String,
    /// Artifact codes: D, C, K, P, PC, A, CFG, E, R, `all`.
    pub artifacts: Vec<String>,
    pub manual: bool,
}

/// Every item, in the data file's order.
pub fn items() -> Vec<Item> {
    TSV.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let [section, id, title, how, artifacts, manual] = cols.as_slice() else {
                return None;
            };
            Some(Item {
                section: section.to_string(),
                id: id.to_string(),
                title: title.to_string(),
                how: how.to_string(),
                artifacts: artifacts
                    .split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty() && *a != "—")
                    .map(str::to_string)
                    .collect(),
                manual: manual.trim() == "manual",
            })
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum State {
    #[serde(rename = "pass")]
    Pass,
    #[serde(rename = "fail")]
    Fail,
    #[serde(rename = "n/a")]
    NotApplicable,
    #[serde(rename = "manual")]
    Manual,
    #[serde(rename = "unchecked")]
    Unchecked,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pass => "pass",
            State::Fail => "fail",
            State::NotApplicable => "n/a",
            State::Manual => "manual",
            State::Unchecked => "unchecked",
        }
    }
}

/// An item with its state and what justifies it.
#[derive(Debug)]
pub struct ItemResult<'a> {
    pub item: Item,
    pub state: State,
    /// One sentence: why this state.
    pub reason: String,
    /// The enabled rules that judge the item (its own and related).
    pub rules: Vec<&'static RuleMeta>,
    /// Error and warning findings of those rules: why it fails.
    pub findings: Vec<&'a Finding>,
    /// Info findings of those rules: worth reading, not a failure.
    pub notes: Vec<&'a Finding>,
    /// Findings of those rules that a suppression covers.
    pub suppressed: usize,
}

/// A section of the checklist with its items.
#[derive(Debug)]
pub struct Section<'a> {
    pub name: String,
    pub items: Vec<ItemResult<'a>>,
}

impl Section<'_> {
    pub fn count(&self, state: State) -> usize {
        self.items.iter().filter(|i| i.state == state).count()
    }

    /// (passing, judged) items: judged = pass + fail.
    pub fn score(&self) -> (usize, usize) {
        let pass = self.count(State::Pass);
        (pass, pass + self.count(State::Fail))
    }
}

/// The whole checklist for one run.
#[derive(Debug)]
pub struct Checklist<'a> {
    /// What was scanned, as given.
    pub target: String,
    pub files_checked: usize,
    /// Whether a scanned folder is a repository's top (repository items are judged only then).
    pub repository: bool,
    pub sections: Vec<Section<'a>>,
}

impl Checklist<'_> {
    pub fn count(&self, state: State) -> usize {
        self.sections.iter().map(|s| s.count(state)).sum()
    }

    pub fn score(&self) -> (usize, usize) {
        self.sections
            .iter()
            .map(Section::score)
            .fold((0, 0), |(p, j), (sp, sj)| (p + sp, j + sj))
    }

    pub fn items(&self) -> impl Iterator<Item = &ItemResult<'_>> {
        self.sections.iter().flat_map(|s| &s.items)
    }
}

/// What the evaluation reads from a run.
pub struct Input<'a> {
    pub target: String,
    /// Kinds of the deployment files checked.
    pub kinds: BTreeSet<FileKind>,
    pub files_checked: usize,
    /// Some Prometheus rules were found (in rule files or PrometheusRule objects).
    pub has_prometheus_rules: bool,
    pub repository: bool,
    pub catalog: &'static [RuleMeta],
    /// Names of the rules enabled for the run.
    pub enabled: BTreeSet<String>,
    pub findings: &'a [Finding],
    pub suppressed: &'a [(Finding, crate::engine::SuppressedBy)],
}

/// Project rules that read deployment files, not the repository's documents or CI, with the
/// artifacts they read: they judge wherever those files are, repository top or not.
const CROSS_FILE_RULES: &[(&str, &[&str])] = &[
    ("project/alert-routed-nowhere", &["A"]),
    ("project/healthcheck-tool-missing", &["K", "C"]),
    ("project/no-backup-job", &["K"]),
    ("project/no-metrics-endpoint", &["K", "C"]),
    ("project/port-not-exposed", &["K", "C"]),
    ("project/shutdown-outlasts-grace-period", &["K", "C"]),
    ("project/unscraped-metrics-port", &["K", "C"]),
];

fn cross_file_inputs(rule: &RuleMeta) -> Option<&'static [&'static str]> {
    CROSS_FILE_RULES
        .iter()
        .find(|(name, _)| *name == rule.name)
        .map(|(_, codes)| *codes)
}

impl Input<'_> {
    /// Whether the run holds anything of artifact `code`.
    fn has(&self, code: &str) -> bool {
        let kind = |k: FileKind| self.kinds.contains(&k);
        match code {
            "D" => kind(FileKind::Dockerfile),
            "C" => kind(FileKind::Compose),
            "K" => kind(FileKind::Kubernetes),
            "P" => kind(FileKind::PrometheusRules) || self.has_prometheus_rules,
            "PC" => kind(FileKind::PrometheusConfig),
            "A" => kind(FileKind::AlertmanagerConfig),
            "CFG" => self.kinds.iter().any(|k| matches!(k, FileKind::AppConfig(_))),
            "E" => ["D", "C", "K"].iter().any(|c| self.has(c)) || kind(FileKind::DotEnv),
            "R" => self.repository,
            "all" => !self.kinds.is_empty(),
            _ => false,
        }
    }

    /// Whether what `rule` reads is in the run.
    fn rule_has_input(&self, rule: &RuleMeta) -> bool {
        let codes: &[&str] = match rule.kind() {
            "dockerfile" => &["D"],
            "compose" => &["C"],
            "k8s" => &["K"],
            "prometheus" => &["P", "PC"],
            "alertmanager" => &["A"],
            "appconfig" => &["CFG"],
            "env" => &["E"],
            "project" => cross_file_inputs(rule).unwrap_or(&["R"]),
            _ => &["all"],
        };
        codes.iter().any(|c| self.has(c))
    }
}

/// Plain names of artifact codes, for "n/a" reasons.
fn artifact_name(code: &str) -> &str {
    match code {
        "D" => "Dockerfiles",
        "C" => "Compose files",
        "K" => "Kubernetes manifests",
        "P" => "Prometheus rules",
        "PC" => "prometheus.yml",
        "A" => "Alertmanager configs",
        "CFG" => "app configs",
        "E" => "environment settings",
        "R" => "repository top (a scanned folder with .git or a README)",
        "all" => "deployment files",
        other => other,
    }
}

fn serves(rule: &RuleMeta, id: &str) -> bool {
    rule.checklist.as_deref() == Some(id) || rule.related.iter().any(|r| r == id)
}

/// Rules of the catalog that judge `id`.
pub fn rules_for(catalog: &'static [RuleMeta], id: &str) -> Vec<&'static RuleMeta> {
    let mut rules: Vec<&'static RuleMeta> = catalog.iter().filter(|r| serves(r, id)).collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    rules
}

/// Items andon should judge (not manual) that no rule of `catalog` serves.
pub fn unchecked_items(catalog: &'static [RuleMeta]) -> Vec<String> {
    items()
        .into_iter()
        .filter(|i| !i.manual && rules_for(catalog, &i.id).is_empty())
        .map(|i| i.id)
        .collect()
}

fn ids(rules: &[&RuleMeta]) -> String {
    rules.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(", ")
}

/// Evaluates every item against a run.
pub fn evaluate<'a>(input: &Input<'a>) -> Checklist<'a> {
    let mut sections: Vec<Section<'a>> = Vec::new();
    for item in items() {
        let result = evaluate_item(input, item);
        match sections.last_mut() {
            Some(s) if s.name == result.item.section => s.items.push(result),
            _ => sections.push(Section {
                name: result.item.section.clone(),
                items: vec![result],
            }),
        }
    }
    Checklist {
        target: input.target.clone(),
        files_checked: input.files_checked,
        repository: input.repository,
        sections,
    }
}

fn evaluate_item<'a>(input: &Input<'a>, item: Item) -> ItemResult<'a> {
    let mut result = ItemResult {
        state: State::Manual,
        reason: String::new(),
        rules: Vec::new(),
        findings: Vec::new(),
        notes: Vec::new(),
        suppressed: 0,
        item,
    };
    if result.item.manual {
        result.reason = match result.item.how.strip_prefix("manual") {
            Some(rest) if !rest.trim().is_empty() => format!("a person must confirm it {}", rest.trim()),
            _ => "a person must confirm it; no file shows it".into(),
        };
        return result;
    }
    let serving = rules_for(input.catalog, &result.item.id);
    if serving.is_empty() {
        result.state = State::Unchecked;
        result.reason = "no rule judges this yet: a person must confirm it".into();
        return result;
    }
    if !result.item.artifacts.iter().any(|a| input.has(a)) {
        result.state = State::NotApplicable;
        let wanted: Vec<&str> = result.item.artifacts.iter().map(|a| artifact_name(a)).collect();
        result.reason = format!("nothing it concerns was scanned (no {})", wanted.join(", no "));
        return result;
    }
    let enabled: Vec<&'static RuleMeta> = serving.iter().copied().filter(|r| input.enabled.contains(&r.name)).collect();
    if enabled.is_empty() {
        result.state = State::Unchecked;
        result.reason = format!("its rules are turned off ({})", ids(&serving));
        return result;
    }
    let ran: Vec<&'static RuleMeta> = enabled.iter().copied().filter(|r| input.rule_has_input(r)).collect();
    if ran.is_empty() {
        result.state = State::NotApplicable;
        let needs_top = enabled.iter().all(|r| r.kind() == "project" && cross_file_inputs(r).is_none());
        result.reason = if needs_top {
            "judged only at a repository's top (scan the folder holding .git or the README)".into()
        } else {
            format!("nothing its rules ({}) read was scanned", ids(&enabled))
        };
        return result;
    }
    let mine = |f: &Finding| enabled.iter().any(|r| r.name == f.meta.name);
    // A related rule's findings inform the item but fail only the item the rule serves.
    let own = |f: &Finding| f.meta.checklist.as_deref() == Some(result.item.id.as_str());
    for f in input.findings.iter().filter(|f| mine(f)) {
        if f.diag.severity >= Severity::Warning && own(f) {
            result.findings.push(f);
        } else {
            result.notes.push(f);
        }
    }
    result.suppressed = input.suppressed.iter().filter(|(f, _)| mine(f)).count();
    result.rules = enabled;
    let suppressed = match result.suppressed {
        0 => String::new(),
        n => format!("; {n} finding{} suppressed", if n == 1 { "" } else { "s" }),
    };
    if result.findings.is_empty() {
        result.state = State::Pass;
        let notes = match result.notes.len() {
            0 => String::new(),
            n => format!("; {n} note{}", if n == 1 { "" } else { "s" }),
        };
        result.reason = format!("checked by {}: nothing found{notes}{suppressed}", ids(&ran));
    } else {
        result.state = State::Fail;
        let from: BTreeSet<&str> = result.findings.iter().map(|f| f.meta.id.as_str()).collect();
        let n = result.findings.len();
        result.reason = format!(
            "{n} finding{} from {}{suppressed}",
            if n == 1 { "" } else { "s" },
            from.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_data_file_is_an_item() {
        let lines = TSV.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).count();
        assert_eq!(items().len(), lines);
        assert!(items().iter().any(|i| i.manual));
    }
}
