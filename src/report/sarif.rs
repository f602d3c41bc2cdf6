//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning and other SARIF consumers ingest it.
//! One run, every enabled rule described in full, every result pinned to its exact region.

use super::ReportInput;
use crate::diagnostic::{Applicability, Severity};
use crate::engine::{Finding, SuppressedBy};
use crate::rules::catalog::RuleMeta;
use crate::source::{Position, Span};
use serde::Serialize;
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
    let results: Vec<SarifResult> = all
        .into_iter()
        .map(|(f, suppressed)| result(input, f, index.get(f.meta.id.as_str()).copied(), suppressed))
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: json!({"driver": {
                "name": "andon",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": descriptors,
            }}),
            automation_details: json!({"id": opts.category}),
            // No absolute uri: it would put the machine's folder layout in the report and make
            // it differ between machines, and a file checked outside the current folder is
            // relative to the folder given instead. Code scanning resolves paths against its
            // checkout, which is where andon runs in CI.
            original_uri_base_ids: json!({SRCROOT: {"description": {"text": BASE_DESCRIPTION}}}),
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
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

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Value,
    automation_details: Value,
    original_uri_base_ids: Value,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

// The results are typed structs that borrow from the findings, not a `serde_json::Value` tree:
// a tree of maps per result made the report of 150,000 findings take seconds and gigabytes.
// Field order is the output's key order.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    partial_fingerprints: Fingerprints<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[SarifFix<'a>; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Checklist<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression; 1]>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    #[serde(rename = "andon/v1")]
    v1: &'a str,
}

#[derive(Serialize)]
struct Checklist<'a> {
    checklist: &'a str,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    message: Text,
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text,
    artifact_changes: [ArtifactChange<'a>; 1],
    properties: Applicable,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: TextRef<'a>,
}

#[derive(Serialize)]
struct TextRef<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Applicable {
    applicability: &'static str,
}

fn result<'a>(input: &ReportInput, f: &'a Finding, rule_index: Option<usize>, suppressed: Option<&SuppressedBy>) -> SarifResult<'a> {
    let d = &f.diag;
    SarifResult {
        rule_id: &f.meta.id,
        rule_index,
        level: level(d.severity),
        message: Text {
            text: input.scrub(f, &message_text(f)),
        },
        locations: [location(input, f)],
        related_locations: related_locations(input, f),
        partial_fingerprints: Fingerprints { v1: &f.fingerprint },
        fixes: fix(input, f).map(|x| [x]),
        properties: f.meta.checklist.as_deref().map(|checklist| Checklist { checklist }),
        // A comment or annotation in the file is `inSource`, a config `ignore:` entry
        // `external`; code scanning treats both as dismissed.
        suppressions: suppressed.map(|s| {
            [Suppression {
                kind: if s.external { "external" } else { "inSource" },
                justification: (!s.reason.trim().is_empty()).then(|| input.scrub(f, s.reason.trim())),
            }]
        }),
    }
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

fn artifact_location(path: &str) -> ArtifactLocation {
    ArtifactLocation {
        uri: uri(path),
        uri_base_id: SRCROOT,
    }
}

fn region(start: Position, end: Position) -> Region {
    let start_line = start.line.max(1);
    let end_column = if end.line > start_line {
        end.column
    } else {
        end.column.max(start.column)
    };
    Region {
        start_line,
        start_column: start.column.max(1),
        end_line: end.line.max(start_line),
        end_column: end_column.max(1),
        snippet: None,
    }
}

fn location(input: &ReportInput, f: &Finding) -> Location {
    let mut region = region(f.start, f.end);
    if let Some(source) = input.sources.get(f.diag.path.as_str()) {
        let snippet = super::masked_slice(input, source, f, f.diag.span);
        if !snippet.is_empty() {
            region.snippet = Some(Text { text: snippet });
        }
    }
    Location {
        physical_location: PhysicalLocation {
            artifact_location: artifact_location(&f.diag.path),
            region,
        },
    }
}

fn related_locations(input: &ReportInput, f: &Finding) -> Vec<RelatedLocation> {
    let Some(source) = input.sources.get(f.diag.path.as_str()) else {
        return Vec::new();
    };
    f.diag
        .labels
        .iter()
        .enumerate()
        .map(|(id, l)| RelatedLocation {
            id,
            message: Text {
                text: input.scrub(f, &l.message),
            },
            physical_location: PhysicalLocation {
                artifact_location: artifact_location(&f.diag.path),
                region: region(source.position(l.span.start), source.position(l.span.end)),
            },
        })
        .collect()
}

/// The fix as SARIF replacements, or none when its edits cannot be placed or would carry a
/// secret: a fix that leaks, or one masked into nonsense, is worse than no fix.
fn fix<'a>(input: &ReportInput, f: &'a Finding) -> Option<SarifFix<'a>> {
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
    let replacements = fix
        .edits
        .iter()
        .map(|e| Replacement {
            deleted_region: region(source.position(e.span.start), source.position(e.span.end)),
            inserted_content: TextRef { text: &e.replacement },
        })
        .collect();
    Some(SarifFix {
        description: Text {
            text: input.scrub(f, &fix.description),
        },
        artifact_changes: [ArtifactChange {
            artifact_location: artifact_location(&f.diag.path),
            replacements,
        }],
        properties: Applicable {
            applicability: match fix.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            },
        },
    })
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
