//! Runs the selected rules over parsed files and the project, and turns what they report into
//! sorted, deduplicated findings with positions and fingerprints.

use crate::config::{Config, Override, RuleSetting};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::repo::RepoIndex;
use crate::model::File;
use crate::redact::Redacted;
use crate::rules::catalog::RuleMeta;
use crate::rules::declarative::Declarative;
use crate::rules::{andon::INTERNAL_ERROR, registry, Project, Rule, Sink};
use crate::source::{Position, Span};
use crate::timings::timed;
use rayon::prelude::*;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

/// The rule that validates application configs against the schemas a config maps.
const SCHEMA_VIOLATION: &str = "appconfig/schema-violation";
/// k8s/deprecated-api-version judges removals against the release that k8s/schema-violation's
/// `kubernetes-version` option names: one setting for both.
const K8S_SCHEMA_VIOLATION: &str = "k8s/schema-violation";
const K8S_DEPRECATED_API: &str = "k8s/deprecated-api-version";

/// One rule as configured for a run.
pub struct Enabled {
    pub rule: &'static dyn Rule,
    pub meta: &'static RuleMeta,
    /// On for every path (else only where an override turns it on).
    pub on: bool,
    pub severity: Severity,
    pub options: serde_json::Value,
}

/// The rules of a run: those on anywhere, with their settings and per-path overrides.
pub struct RuleSet {
    pub enabled: Vec<Enabled>,
    /// Honour peers' ignore comments and annotations.
    pub foreign_ignores: bool,
    /// Skip `Rule::check_project`: the run was given files, not folders, so a project rule
    /// would judge the repository by the few files it sees (a Service whose Deployment was not
    /// passed "selects nothing").
    pub skip_project_rules: bool,
    /// Where the time goes, rule by rule (`--timings`).
    pub timings: Option<std::sync::Arc<crate::timings::Timings>>,
    overrides: Vec<Override>,
    object_ignores: Vec<crate::config::ObjectIgnore>,
    /// The config's folder: its globs match paths relative to it.
    config_folder: Option<std::path::PathBuf>,
    catalog: &'static [RuleMeta],
}

/// Every built-in rule and its catalog entry, joined by name.
pub fn rules_with_meta() -> Result<Vec<(&'static dyn Rule, &'static RuleMeta)>, String> {
    rules_of(crate::rules::catalog::load()?)
}

/// The rules of `catalog`: the registry's, joined to their entries by name, and a declarative
/// rule for each entry with `select:`.
fn rules_of(catalog: &'static [RuleMeta]) -> Result<Vec<(&'static dyn Rule, &'static RuleMeta)>, String> {
    let mut out = registry()
        .into_iter()
        .map(|rule| {
            catalog
                .iter()
                .find(|m| m.name == rule.name())
                .map(|m| (rule, m))
                .ok_or_else(|| format!("rule {} has no catalog entry", rule.name()))
        })
        .collect::<Result<Vec<_>, String>>()?;
    for meta in catalog.iter().filter(|m| m.select.is_some()) {
        let rule = Declarative::new(meta).map_err(|e| format!("{}: {e}", meta.file))?;
        // Built once per run and used to its end.
        let rule: &'static Declarative = Box::leak(Box::new(rule));
        out.push((rule, meta));
    }
    Ok(out)
}

/// The built-in catalog, plus the rule files a config adds. Their ids and names must be new.
fn catalog_with(extra: &[RuleMeta]) -> Result<&'static [RuleMeta], String> {
    let builtin = crate::rules::catalog::load()?;
    if extra.is_empty() {
        return Ok(builtin);
    }
    let mut all: Vec<RuleMeta> = builtin.to_vec();
    for meta in extra {
        if let Some(clash) = all.iter().find(|m| m.id.eq_ignore_ascii_case(&meta.id) || m.name == meta.name) {
            return Err(format!(
                "{}: rule {} ({}) clashes with {} ({}) of {}",
                meta.file, meta.id, meta.name, clash.id, clash.name, clash.file
            ));
        }
        all.push(meta.clone());
    }
    // One catalog per run, alive to its end.
    Ok(Box::leak(all.into_boxed_slice()))
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
}

/// Applies a config setting onto (on, severity, options).
fn apply_setting(setting: &RuleSetting, on: &mut bool, severity: &mut Severity, options: &mut serde_json::Value) {
    if let Some(e) = setting.enabled {
        *on = e;
    }
    if let Some(s) = setting.severity {
        *severity = s;
    }
    if let (Some(extra), Some(opts)) = (&setting.options, options.as_object_mut()) {
        opts.extend(extra.clone());
    }
}

impl RuleSet {
    /// Default-enabled rules, or exactly those `select` names; minus those `ignore` names.
    pub fn new(select: &[String], ignore: &[String]) -> Result<RuleSet, String> {
        RuleSet::build(select, ignore, &Config::default())
    }

    /// The rules as `config` sets them, then as `--select`/`--ignore` narrow them.
    pub fn build(select: &[String], ignore: &[String], config: &Config) -> Result<RuleSet, String> {
        let catalog = catalog_with(&config.rule_files)?;
        let all = rules_of(catalog)?;
        let known = |sel: &str| all.iter().any(|(_, m)| selector_matches(sel, m));
        for sel in select.iter().chain(ignore) {
            if !known(sel) {
                return Err(format!("no rule matches `{sel}` (see `andon rules`)"));
            }
        }
        let config_selectors = config
            .rules
            .iter()
            .chain(config.overrides.iter().flat_map(|o| &o.rules))
            .map(|(s, _)| s);
        for sel in config_selectors {
            if !known(sel) {
                return Err(format!(
                    "{}: no rule matches `{sel}` in `rules:`",
                    config.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default()
                ));
            }
        }
        let overrides = config.overrides.clone();
        // Schemas mapped in the config are this rule's options: the rule never reads a file.
        let mapped_schemas: Vec<serde_json::Value> = config
            .schemas
            .iter()
            .map(|m| serde_json::json!({"files": m.globs, "schema": m.schema, "source": m.source, "base": config.folder}))
            .collect();
        let kubernetes_version = all.iter().find(|(_, m)| m.name == K8S_SCHEMA_VIOLATION).and_then(|(_, meta)| {
            let (mut on, mut severity, mut options) = (meta.enabled, meta.severity, meta.default_options());
            for (_, setting) in config.rules.iter().filter(|(sel, _)| selector_matches(sel, meta)) {
                apply_setting(setting, &mut on, &mut severity, &mut options);
            }
            options.get("kubernetes-version").cloned()
        });
        let enabled = all
            .into_iter()
            .filter_map(|(rule, meta)| {
                let (mut on, mut severity, mut options) = (meta.enabled, meta.severity, meta.default_options());
                for (sel, setting) in &config.rules {
                    if selector_matches(sel, meta) {
                        apply_setting(setting, &mut on, &mut severity, &mut options);
                    }
                }
                if meta.name == SCHEMA_VIOLATION {
                    options["schemas"] = serde_json::Value::Array(mapped_schemas.clone());
                }
                if let Some(version) = kubernetes_version.as_ref().filter(|_| meta.name == K8S_DEPRECATED_API) {
                    options["kubernetes-version"] = version.clone();
                }
                if !select.is_empty() {
                    on = select.iter().any(|s| selector_matches(s, meta));
                }
                let ignored = ignore.iter().any(|s| selector_matches(s, meta)) && meta.name != INTERNAL_ERROR;
                if ignored {
                    return None;
                }
                let on_somewhere = on
                    || overrides.iter().any(|o| {
                        o.rules
                            .iter()
                            .any(|(sel, st)| selector_matches(sel, meta) && st.enabled == Some(true))
                    });
                on_somewhere.then_some(Enabled {
                    rule,
                    meta,
                    on,
                    severity,
                    options,
                })
            })
            .collect();
        Ok(RuleSet {
            enabled,
            foreign_ignores: true,
            skip_project_rules: false,
            timings: None,
            overrides,
            object_ignores: config.ignore.clone(),
            config_folder: config.folder.clone(),
            catalog,
        })
    }

    /// The run's catalog: built-in rules and those the config's rule files add.
    pub fn catalog(&self) -> &'static [RuleMeta] {
        self.catalog
    }

    fn meta(&self, name: &str) -> Option<&'static RuleMeta> {
        self.catalog.iter().find(|m| m.name == name)
    }

    /// Turns on a rule the defaults leave off (`--require-reasons`).
    pub fn turn_on(&mut self, name: &str) {
        if let Some(e) = self.enabled.iter_mut().find(|e| e.meta.name == name) {
            e.on = true;
            return;
        }
        if let Some((rule, meta)) = rules_of(self.catalog)
            .ok()
            .and_then(|all| all.into_iter().find(|(_, m)| m.name == name))
        {
            self.enabled.push(Enabled {
                rule,
                meta,
                on: true,
                severity: meta.severity,
                options: meta.default_options(),
            });
        }
    }

    fn stage(&self, name: &'static str, started: Instant) {
        if let Some(t) = &self.timings {
            t.stage(name, started);
        }
    }

    pub fn is_on(&self, meta: &RuleMeta) -> bool {
        self.enabled.iter().any(|e| e.meta.name == meta.name)
    }

    /// Whether the rule runs on this file, and at which severity.
    fn for_file(&self, e: &Enabled, file: &File) -> Option<Severity> {
        if e.meta.production_only && !file.production() {
            return None;
        }
        let (mut on, mut severity, mut options) = (e.on, e.severity, serde_json::Value::Null);
        if self.overrides.is_empty() {
            return on.then_some(severity);
        }
        // Asked for every rule and file: only worked out when there are overrides to match.
        let path = crate::config::glob_path(self.config_folder.as_deref(), &file.source.abs_path, file.path());
        for o in self.overrides.iter().filter(|o| o.files.is_match(&*path)) {
            for (sel, setting) in &o.rules {
                if selector_matches(sel, e.meta) {
                    apply_setting(setting, &mut on, &mut severity, &mut options);
                }
            }
        }
        on.then_some(severity)
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

/// What covered a suppressed finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuppressedBy {
    /// The justification given (empty when none was).
    pub reason: String,
    /// Covered from outside the file (an `ignore:` entry of the config), not by a comment or an
    /// annotation in it.
    pub external: bool,
}

/// What a run found: findings that count, and findings a suppression covers.
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub suppressed: Vec<(Finding, SuppressedBy)>,
}

/// Runs every enabled rule on every file (in parallel), then the project rules, then applies
/// suppressions.
pub fn run(files: &[File], repo: &RepoIndex, rules: &RuleSet) -> Outcome {
    let project = Project::new(files, repo);
    let started = Instant::now();
    let mut diags: Vec<Diagnostic> = files.par_iter().flat_map_iter(|file| check_file(file, rules, &project)).collect();
    rules.stage("file rules", started);
    let started = Instant::now();
    // Built once: project rules, positions and object ignores all look files up by path.
    let by_path: HashMap<&str, &File> = files.iter().map(|f| (f.path(), f)).collect();
    let project_rules = if rules.skip_project_rules { &[][..] } else { &rules.enabled[..] };
    let mut took = vec![0; rules.enabled.len()];
    for (i, e) in project_rules.iter().enumerate() {
        let mut sink = Sink::new(e.meta.name.as_str(), e.severity, "", &e.options, &project);
        let checked = timed(rules.timings.is_some(), &mut took[i], || {
            catch_unwind(AssertUnwindSafe(|| e.rule.check_project(&project, &mut sink)))
        });
        match checked {
            Ok(()) => diags.extend(sink.into_diagnostics().into_iter().filter_map(|mut d| {
                let Some(f) = by_path.get(d.path.as_str()) else {
                    return Some(d);
                };
                let severity = rules.for_file(e, f)?;
                if severity != e.severity {
                    d.severity = severity;
                }
                Some(d)
            })),
            Err(payload) => {
                if let Some(f) = files.first() {
                    diags.push(internal_error(e.meta.name.as_str(), f.path(), &payload));
                }
            }
        }
    }
    if let Some(t) = &rules.timings {
        t.ruled(&took);
    }
    rules.stage("project rules", started);
    let started = Instant::now();
    let findings = finish(diags, &by_path, rules);
    let (findings, mut suppressed) = ignore_objects(findings, &by_path, rules);
    let opts = crate::suppress::Options {
        foreign: rules.foreign_ignores,
    };
    let outcome = crate::suppress::apply(findings, files, &|m| rules.is_on(m), rules.catalog, &opts);
    let about: Vec<Diagnostic> = outcome
        .about_suppressions
        .into_iter()
        .filter(|d| rules.meta(d.rule).is_some_and(|m| rules.is_on(m)))
        .collect();
    let mut findings = outcome.kept;
    findings.extend(finish(about, &by_path, rules));
    sort(&mut findings);
    suppressed.extend(outcome.suppressed);
    rules.stage("positions and suppressions", started);
    Outcome { findings, suppressed }
}

/// Config `ignore:` entries: findings inside the Kubernetes objects they name (or files they
/// match) are suppressed with the entry's reason.
fn ignore_objects(findings: Vec<Finding>, by_path: &HashMap<&str, &File>, rules: &RuleSet) -> (Vec<Finding>, Vec<(Finding, SuppressedBy)>) {
    let ignores = &rules.object_ignores;
    if ignores.is_empty() {
        return (findings, Vec::new());
    }
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for f in findings {
        let file = by_path.get(f.diag.path.as_str());
        let object = file.and_then(|file| object_at(file, f.diag.span));
        let path = match file {
            Some(file) => crate::config::glob_path(rules.config_folder.as_deref(), &file.source.abs_path, file.path()),
            None => std::borrow::Cow::Borrowed(f.diag.path.as_str()),
        };
        let hit = ignores.iter().find(|ig| {
            ig.rules.iter().any(|r| selector_matches(r, f.meta))
                && ig.path.as_ref().is_none_or(|g| g.is_match(&*path))
                && [(&ig.kind, 0), (&ig.name, 1), (&ig.namespace, 2)].iter().all(|(want, i)| {
                    want.as_ref().is_none_or(|w| {
                        object
                            .as_ref()
                            .is_some_and(|o| o[*i].as_deref().unwrap_or(if *i == 2 { "default" } else { "" }) == w)
                    })
                })
        });
        match hit {
            Some(ig) => dropped.push((
                f,
                SuppressedBy {
                    reason: ig.reason.clone().unwrap_or_default(),
                    external: true,
                },
            )),
            None => kept.push(f),
        }
    }
    (kept, dropped)
}

/// (kind, name, namespace) of the Kubernetes object whose document holds `span`.
fn object_at(file: &File, span: Span) -> Option<[Option<String>; 3]> {
    let tree = file.tree()?;
    let root = tree
        .docs
        .iter()
        .filter_map(|d| d.root.as_ref())
        .find(|r| r.span.contains(span) || r.span.start <= span.start && span.start <= r.span.end)?;
    let text = |path: &[&str]| root.get_path(path).and_then(crate::syntax::tree::Node::as_str).map(str::to_string);
    Some([text(&["kind"]), text(&["metadata", "name"]), text(&["metadata", "namespace"])])
}

fn check_file(file: &File, rules: &RuleSet, project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut took = vec![0; if rules.timings.is_some() { rules.enabled.len() } else { 0 }];
    for (i, e) in rules.enabled.iter().enumerate() {
        let Some(severity) = rules.for_file(e, file) else { continue };
        let mut sink = Sink::new(e.meta.name.as_str(), severity, file.path(), &e.options, project);
        let mut spent = 0;
        let checked = timed(rules.timings.is_some(), &mut spent, || {
            catch_unwind(AssertUnwindSafe(|| e.rule.check_file(file, &mut sink)))
        });
        if let Some(t) = took.get_mut(i) {
            *t += spent;
        }
        match checked {
            Ok(()) => out.extend(sink.into_diagnostics()),
            Err(payload) => out.push(internal_error(e.meta.name.as_str(), file.path(), &payload)),
        }
    }
    if let Some(t) = &rules.timings {
        t.ruled(&took);
    }
    out
}

/// What a caught panic said.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

fn internal_error(rule: &str, path: &str, payload: &Box<dyn std::any::Any + Send>) -> Diagnostic {
    let what = panic_message(&**payload);
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
fn finish(diags: Vec<Diagnostic>, by_path: &HashMap<&str, &File>, rules: &RuleSet) -> Vec<Finding> {
    let mut findings: Vec<Finding> = diags
        .into_iter()
        .filter_map(|mut diag| {
            let meta = rules.meta(diag.rule)?;
            let file = by_path.get(diag.path.as_str());
            // A file that does not ship is held to validity rules only, and what they find in it
            // does not fail a production gate: it is reported as info. A bug of andon's stays
            // an error.
            let in_part_home = file.is_some_and(|f| {
                f.non_production_parts
                    .iter()
                    .any(|(part, _)| part.start <= diag.span.start && diag.span.start < part.end)
            });
            if in_part_home && meta.production_only {
                return None;
            }
            if (in_part_home || file.is_some_and(|f| !f.production())) && diag.rule != INTERNAL_ERROR {
                diag.severity = diag.severity.min(Severity::Info);
            }
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
    sort(&mut findings);
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
                let red = Redacted::window(&file.source.text, line, &f.diag.secrets);
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

/// By path, line, column, rule; ties broken by span and message so that order never depends on
/// thread scheduling.
fn sort(findings: &mut [Finding]) {
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
