//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning and other SARIF consumers ingest it.
//! One run, every enabled rule described in full, every result pinned to its exact region.

use super::ReportInput;
use crate::diagnostic::{Applicability, Severity};
use crate::engine::{Finding, SuppressedBy};
use crate::rules::catalog::RuleMeta;
use crate::source::{Position, Span};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

pub const SCHEMA_URI: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The partialFingerprints key. Versioned so that a change to how fingerprints are computed can
/// ship under a new key instead of silently reopening every alert.
pub const FINGERPRINT_KEY: &str = "andon/v1";

const SRCROOT: &str = "%SRCROOT%";
const BASE_DESCRIPTION: &str =
    "The folder andon ran in (or --root); for a file outside it, the folder named on the command line that holds it.";

pub struct Options<'a> {
    /// `run.automationDetails.id`: keeps two andon runs on one repository (different paths or
    /// configurations) from replacing each other's alerts.
    pub category: &'a str,
}

pub fn render(input: &ReportInput, opts: &Options) -> String {
    let rules = input.all_rules();
    let index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, m)| (m.id.as_str(), i)).collect();
    let descriptors: Vec<Value> = rules.iter().map(|m| descriptor(m)).collect();
    // Suppressed findings stay in the log, marked, so that code scanning closes their alerts as
    // dismissed rather than as fixed; both kinds in the report's order.
    let mut all: Vec<(&Finding, Option<&SuppressedBy>)> = input.findings.iter().map(|f| (f, None)).collect();
    all.extend(input.suppressed.iter().map(|(f, s)| (f, Some(s))));
    all.sort_by(|(a, _), (b, _)| {
        (&a.diag.path, a.start.line, a.start.column, &a.meta.id).cmp(&(&b.diag.path, b.start.line, b.start.column, &b.meta.id))
    });
    let results: Vec<Value> = all
        .into_iter()
        .map(|(f, suppressed)| result(input, f, index.get(f.meta.id.as_str()).copied(), suppressed))
        .collect();
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "andon",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": descriptors,
            }},
            "automationDetails": {"id": opts.category},
            // No absolute uri: it would put the machine's folder layout in the report and make
            // it differ between machines, and a file checked outside the current folder is
            // relative to the folder given instead. Code scanning resolves paths against its
            // checkout, which is where andon runs in CI.
            "originalUriBaseIds": {SRCROOT: {"description": {"text": BASE_DESCRIPTION}}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub ranks security alerts by this CVSS-like score (critical ≥ 9, high ≥ 7, medium ≥ 4,
/// low > 0). andon's rules carry a severity, not a score; the bands keep the same order.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

fn descriptor(m: &RuleMeta) -> Value {
    let mut tags = vec![m.kind().to_string()];
    tags.extend(m.checklist.clone());
    if m.security {
        tags.push("security".into());
    }
    let mut properties = Map::new();
    properties.insert("tags".into(), json!(tags));
    if let Some(item) = &m.checklist {
        properties.insert("checklist".into(), json!(item));
    }
    if !m.related.is_empty() {
        properties.insert("related".into(), json!(m.related));
    }
    if m.security {
        properties.insert("security-severity".into(), json!(security_severity(m.severity)));
    }
    let mut rule = json!({
        "id": m.id,
        "name": m.name,
        "shortDescription": {"text": m.summary},
        "fullDescription": {"text": m.docs.why.trim()},
        "help": {"text": help_text(m), "markdown": help_markdown(m)},
        "defaultConfiguration": {"level": level(m.severity), "enabled": m.enabled},
        "properties": properties,
    });
    // A team's own rule has no page to link: its help is all there is.
    if !m.custom {
        rule["helpUri"] = json!(m.docs_url());
    }
    rule
}

fn help_text(m: &RuleMeta) -> String {
    format!(
        "{}\n\nWhy: {}\n\nFix: {}\n\nFailing example:\n{}\nPassing example:\n{}",
        m.summary,
        m.docs.why.trim(),
        m.docs.fix.trim(),
        m.docs.failing,
        m.docs.passing
    )
}

fn help_markdown(m: &RuleMeta) -> String {
    let lang = match m.kind() {
        "dockerfile" => "dockerfile",
        "compose" | "k8s" | "prometheus" | "alertmanager" => "yaml",
        "env" => "sh",
        _ => "",
    };
    format!(
        "**{} {}**: {}\n\n## Why\n{}\n\n## Failing example\n{}\n## Passing example\n{}\n## Fix\n{}\n\n`andon explain {}` prints this page.\n",
        m.id,
        m.name,
        m.summary,
        m.docs.why.trim(),
        fenced(&m.docs.failing, lang),
        fenced(&m.docs.passing, lang),
        m.docs.fix.trim(),
        m.id
    )
}

/// A code block whose fence is longer than any backtick run inside it.
fn fenced(code: &str, lang: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest.max(2) + 1);
    let body = code.trim_end_matches('\n');
    format!("{fence}{lang}\n{body}\n{fence}\n")
}

fn result(input: &ReportInput, f: &Finding, rule_index: Option<usize>, suppressed: Option<&SuppressedBy>) -> Value {
    let d = &f.diag;
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(f.meta.id));
    if let Some(i) = rule_index {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(d.severity)));
    r.insert("message".into(), json!({"text": input.scrub(f, &message_text(f))}));
    r.insert("locations".into(), json!([location(input, f)]));
    let related = related_locations(input, f);
    if !related.is_empty() {
        r.insert("relatedLocations".into(), json!(related));
    }
    r.insert("partialFingerprints".into(), json!({FINGERPRINT_KEY: f.fingerprint}));
    if let Some(fix) = fix(input, f) {
        r.insert("fixes".into(), json!([fix]));
    }
    let mut properties = Map::new();
    if let Some(item) = &f.meta.checklist {
        properties.insert("checklist".into(), json!(item));
    }
    if !properties.is_empty() {
        r.insert("properties".into(), Value::Object(properties));
    }
    if let Some(s) = suppressed {
        // A comment or annotation in the file is `inSource`, a config `ignore:` entry
        // `external`; code scanning treats both as dismissed.
        let mut suppression = Map::new();
        suppression.insert("kind".into(), json!(if s.external { "external" } else { "inSource" }));
        if !s.reason.trim().is_empty() {
            suppression.insert("justification".into(), json!(input.scrub(f, s.reason.trim())));
        }
        r.insert("suppressions".into(), json!([suppression]));
    }
    Value::Object(r)
}

/// The message with the rule's concrete advice: code scanning shows only this text beside the
/// code, and the help of a finding (what to write instead) is often the most useful part.
fn message_text(f: &Finding) -> String {
    match &f.diag.help {
        Some(help) if !help.trim().is_empty() => format!("{}\nhelp: {}", f.diag.message, help.trim()),
        _ => f.diag.message.clone(),
    }
}

/// A relative URI reference for an output path: percent-encoded, `/`-separated, never
/// absolute and never climbing out of the root.
pub fn uri(path: &str) -> String {
    let segments: Vec<String> = path
        .split(['/', '\\'])
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .map(percent_encode)
        .collect();
    segments.join("/")
}

fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.' | b'_' | b'~' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'@'
            )
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn artifact_location(path: &str) -> Value {
    json!({"uri": uri(path), "uriBaseId": SRCROOT})
}

fn region(start: Position, end: Position) -> Map<String, Value> {
    let mut m = Map::new();
    let start_line = start.line.max(1);
    m.insert("startLine".into(), json!(start_line));
    m.insert("startColumn".into(), json!(start.column.max(1)));
    m.insert("endLine".into(), json!(end.line.max(start_line)));
    let end_column = if end.line > start_line {
        end.column
    } else {
        end.column.max(start.column)
    };
    m.insert("endColumn".into(), json!(end_column.max(1)));
    m
}

fn location(input: &ReportInput, f: &Finding) -> Value {
    let mut region = region(f.start, f.end);
    if let Some(source) = input.sources.get(f.diag.path.as_str()) {
        let snippet = super::masked_slice(input, source, f, f.diag.span);
        if !snippet.is_empty() {
            region.insert("snippet".into(), json!({"text": snippet}));
        }
    }
    json!({"physicalLocation": {"artifactLocation": artifact_location(&f.diag.path), "region": region}})
}

fn related_locations(input: &ReportInput, f: &Finding) -> Vec<Value> {
    let Some(source) = input.sources.get(f.diag.path.as_str()) else {
        return Vec::new();
    };
    f.diag
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "id": i,
                "message": {"text": input.scrub(f, &l.message)},
                "physicalLocation": {
                    "artifactLocation": artifact_location(&f.diag.path),
                    "region": region(source.position(l.span.start), source.position(l.span.end)),
                },
            })
        })
        .collect()
}

/// The fix as SARIF replacements, or none when its edits cannot be placed or would carry a
/// secret: a fix that leaks, or one masked into nonsense, is worse than no fix.
fn fix(input: &ReportInput, f: &Finding) -> Option<Value> {
    let fix = f.diag.fix.as_ref()?;
    let source = input.sources.get(f.diag.path.as_str())?;
    if fix.edits.is_empty()
        || fix
            .edits
            .iter()
            .any(|e| input.leaks(f, &e.replacement) || !within(e.span, &source.text))
    {
        return None;
    }
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|e| {
            json!({
                "deletedRegion": region(source.position(e.span.start), source.position(e.span.end)),
                "insertedContent": {"text": e.replacement},
            })
        })
        .collect();
    let how = match fix.applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
    };
    Some(json!({
        "description": {"text": input.scrub(f, &fix.description)},
        "artifactChanges": [{"artifactLocation": artifact_location(&f.diag.path), "replacements": replacements}],
        "properties": {"applicability": how},
    }))
}

fn within(span: Span, text: &str) -> bool {
    span.start <= span.end && text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("k8s/my app/deploy.yaml"), "k8s/my%20app/deploy.yaml");
        assert_eq!(uri("/etc/../x%y"), "etc/x%25y");
    }

    #[test]
    fn fences_outgrow_backticks_inside() {
        assert!(fenced("a ``` b\n", "yaml").starts_with("````yaml\n"));
    }
}
