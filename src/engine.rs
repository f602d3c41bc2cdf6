//! Runs the selected rules over parsed files and the project, and turns what they report into
//! sorted, deduplicated findings with positions and fingerprints.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::repo::RepoIndex;
use crate::model::File;
use crate::redact::Redacted;
use crate::rules::catalog::RuleMeta;
use crate::rules::{andon::INTERNAL_ERROR, registry, Project, Rule, Sink};
use crate::source::{Position, Span};
use rayon::prelude::*;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// One rule as configured for a run.
pub struct Enabled {
    pub rule: &'static dyn Rule,
    pub meta: &'static RuleMeta,
    pub severity: Severity,
    pub options: serde_json::Value,
}

/// The rules of a run.
pub struct RuleSet {
    pub enabled: Vec<Enabled>,
    /// Production-only rules also run on non-production paths (tests of the rules themselves).
    pub all_paths_production: bool,
    catalog: &'static [RuleMeta],
}

/// A rule and its catalog entry, joined by name.
pub fn rules_with_meta() -> Result<Vec<(&'static dyn Rule, &'static RuleMeta)>, String> {
    let catalog = crate::rules::catalog::load()?;
    registry()
        .into_iter()
        .map(|rule| {
            catalog
                .iter()
                .find(|m| m.name == rule.name())
                .map(|m| (rule, m))
                .ok_or_else(|| format!("rule {} has no catalog entry", rule.name()))
        })
        .collect()
}

/// Does `selector` (an id, a name, or a prefix of either such as `DKR` or `dockerfile`) pick
/// this rule?
pub fn selector_matches(selector: &str, meta: &RuleMeta) -> bool {
    let s = selector.trim();
    if s.is_empty() {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    meta.id.eq_ignore_ascii_case(s)
        || meta.name == lower
        || meta.id.to_ascii_lowercase().starts_with(&lower)
        || meta.name.starts_with(&format!("{}/", lower.trim_end_matches('/')))
        || meta.name.starts_with(&lower) && lower.ends_with('/')
}

impl RuleSet {
    /// Default-enabled rules, or exactly those `select` names; minus those `ignore` names.
    pub fn new(select: &[String], ignore: &[String]) -> Result<RuleSet, String> {
        let all = rules_with_meta()?;
        for sel in select.iter().chain(ignore) {
            if !all.iter().any(|(_, m)| selector_matches(sel, m)) {
                return Err(format!("no rule matches `{sel}` (see `andon rules`)"));
            }
        }
        let enabled = all
            .into_iter()
            .filter(|(_, m)| {
                if select.is_empty() {
                    m.enabled
                } else {
                    select.iter().any(|s| selector_matches(s, m))
                }
            })
            .filter(|(_, m)| !ignore.iter().any(|s| selector_matches(s, m)) || m.name == INTERNAL_ERROR)
            .map(|(rule, meta)| Enabled {
                rule,
                meta,
                severity: meta.severity,
                options: meta.default_options(),
            })
            .collect();
        Ok(RuleSet {
            enabled,
            all_paths_production: false,
            catalog: crate::rules::catalog::load()?,
        })
    }

    fn meta(&self, name: &str) -> Option<&'static RuleMeta> {
        self.catalog.iter().find(|m| m.name == name)
    }

    fn applies(&self, e: &Enabled, file: &File) -> bool {
        !e.meta.production_only || file.production || self.all_paths_production
    }
}

/// A diagnostic placed in its file, with the catalog entry of its rule.
#[derive(Clone, Debug)]
pub struct Finding {
    pub diag: Diagnostic,
    pub meta: &'static RuleMeta,
    pub start: Position,
    pub end: Position,
    pub fingerprint: String,
}

/// Runs every enabled rule on every file (in parallel), then the project rules.
pub fn run(files: &[File], repo: &RepoIndex, rules: &RuleSet) -> Vec<Finding> {
    let mut diags: Vec<Diagnostic> = files.par_iter().flat_map_iter(|file| check_file(file, rules)).collect();
    let project = Project { files, repo };
    for e in &rules.enabled {
        let mut sink = Sink::new(e.meta.name.as_str(), e.severity, "", &e.options);
        let outcome = catch_unwind(AssertUnwindSafe(|| e.rule.check_project(&project, &mut sink)));
        match outcome {
            Ok(()) => diags.extend(
                sink.into_diagnostics()
                    .into_iter()
                    .filter(|d| files.iter().find(|f| f.path() == d.path).is_none_or(|f| rules.applies(e, f))),
            ),
            Err(payload) => {
                if let Some(f) = files.first() {
                    diags.push(internal_error(e.meta.name.as_str(), f.path(), &payload));
                }
            }
        }
    }
    finish(diags, files, rules)
}

fn check_file(file: &File, rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for e in rules.enabled.iter().filter(|e| rules.applies(e, file)) {
        let mut sink = Sink::new(e.meta.name.as_str(), e.severity, file.path(), &e.options);
        match catch_unwind(AssertUnwindSafe(|| e.rule.check_file(file, &mut sink))) {
            Ok(()) => out.extend(sink.into_diagnostics()),
            Err(payload) => out.push(internal_error(e.meta.name.as_str(), file.path(), &payload)),
        }
    }
    out
}

fn internal_error(rule: &str, path: &str, payload: &Box<dyn std::any::Any + Send>) -> Diagnostic {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    Diagnostic {
        rule: INTERNAL_ERROR,
        severity: Severity::Error,
        path: path.to_string(),
        span: Span::empty(0),
        message: format!("rule {rule} failed on this file: {what}"),
        labels: Vec::new(),
        help: Some("this is a bug in andon; the other rules still ran".into()),
        fix: None,
        secrets: Vec::new(),
    }
}

/// Positions, fingerprints, order and deduplication.
fn finish(diags: Vec<Diagnostic>, files: &[File], rules: &RuleSet) -> Vec<Finding> {
    let by_path: HashMap<&str, &File> = files.iter().map(|f| (f.path(), f)).collect();
    let mut findings: Vec<Finding> = diags
        .into_iter()
        .filter_map(|diag| {
            let meta = rules.meta(diag.rule)?;
            let file = by_path.get(diag.path.as_str());
            let (start, end) = match file {
                Some(f) => (f.source.position(diag.span.start), f.source.position(diag.span.end)),
                None => (
                    Position {
                        line: 1,
                        column: 1,
                        offset: 0,
                    },
                    Position {
                        line: 1,
                        column: 1,
                        offset: 0,
                    },
                ),
            };
            Some(Finding {
                diag,
                meta,
                start,
                end,
                fingerprint: String::new(),
            })
        })
        .collect();
    findings.sort_by(|a, b| {
        (&a.diag.path, a.start.line, a.start.column, &a.meta.id, a.diag.span, &a.diag.message).cmp(&(
            &b.diag.path,
            b.start.line,
            b.start.column,
            &b.meta.id,
            b.diag.span,
            &b.diag.message,
        ))
    });
    findings.dedup_by(|a, b| {
        a.diag.rule == b.diag.rule && a.diag.path == b.diag.path && a.diag.span == b.diag.span && a.diag.message == b.diag.message
    });
    // The fingerprint hashes what is at the place, not where it is, so inserting lines above a
    // finding keeps it; the occurrence count separates identical lines.
    let mut seen: HashMap<(String, String, String), u32> = HashMap::new();
    for f in &mut findings {
        let content = by_path
            .get(f.diag.path.as_str())
            .map(|file| {
                let line = file.source.index.line_span(&file.source.text, f.start.line as usize - 1);
                let red = Redacted::new(file.source.slice(line), &shift_into(line, &f.diag.secrets));
                red.text.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .unwrap_or_default();
        let n = seen.entry((f.meta.id.clone(), f.diag.path.clone(), content.clone())).or_insert(0);
        *n += 1;
        f.fingerprint = format!(
            "{:016x}",
            fnv1a(&[f.meta.id.as_bytes(), f.diag.path.as_bytes(), content.as_bytes(), &n.to_le_bytes()])
        );
    }
    findings
}

/// Secret spans of a file, made relative to `line`.
fn shift_into(line: Span, secrets: &[Span]) -> Vec<Span> {
    secrets
        .iter()
        .filter(|s| s.start < line.end && s.end > line.start)
        .map(|s| Span {
            start: s.start.max(line.start) - line.start,
            end: s.end.min(line.end) - line.start,
        })
        .collect()
}

/// FNV-1a: a stable hash (std's hasher may change between Rust releases).
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.iter().chain(&[0xffu8]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}
