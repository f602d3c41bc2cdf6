//! `--format json`: the stable machine-readable report, described by
//! `schemas/andon-report.schema.json`. Fields may be added, never renamed.

use super::ReportInput;
use crate::diagnostic::Applicability;
use crate::diagnostic::Severity;
use crate::engine::Finding;
use crate::source::Position;
use serde::Serialize;

pub const FORMAT_VERSION: u32 = 1;

/// The report, written from typed structs that borrow the findings: a `serde_json::Value`
/// tree of a large run (150,000 findings) costs a gigabyte and seconds to build and free.
#[derive(Serialize)]
struct Report<'a> {
    andon_version: &'static str,
    format_version: u32,
    diagnostics: Vec<Diag<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    non_production_files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    fixable: usize,
}

#[derive(Serialize)]
struct Diag<'a> {
    rule: &'a str,
    name: &'a str,
    checklist: Option<&'a str>,
    related: &'a [String],
    severity: Severity,
    path: &'a str,
    start: Position,
    end: Position,
    message: &'a str,
    help: Option<&'a str>,
    fingerprint: &'a str,
    fix: Option<FixOut<'a>>,
}

#[derive(Serialize)]
struct FixOut<'a> {
    applicability: Applicability,
    description: &'a str,
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct EditOut<'a> {
    path: &'a str,
    start: Position,
    end: Position,
    replacement: &'a str,
}

pub fn render(input: &ReportInput) -> String {
    let report = Report {
        andon_version: env!("CARGO_PKG_VERSION"),
        format_version: FORMAT_VERSION,
        diagnostics: input.findings.iter().map(|f| diagnostic(input, f)).collect(),
        summary: Summary {
            files: input.files_checked,
            non_production_files: input.non_production_files,
            errors: input.count(Severity::Error),
            warnings: input.count(Severity::Warning),
            infos: input.count(Severity::Info),
            fixable: input.fixable(),
        },
    };
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}

fn diagnostic<'a>(input: &'a ReportInput, f: &'a Finding) -> Diag<'a> {
    let d = &f.diag;
    let source = input.sources.get(d.path.as_str());
    let fix = d.fix.as_ref().map(|fix| FixOut {
        applicability: fix.applicability,
        description: &fix.description,
        edits: fix
            .edits
            .iter()
            .map(|e| {
                let (start, end) = match source {
                    Some(s) => (s.position(e.span.start), s.position(e.span.end)),
                    None => (f.start, f.end),
                };
                EditOut {
                    path: &d.path,
                    start,
                    end,
                    replacement: &e.replacement,
                }
            })
            .collect(),
    });
    Diag {
        rule: &f.meta.id,
        name: f.meta.name.as_str(),
        checklist: f.meta.checklist.as_deref(),
        related: &f.meta.related,
        severity: d.severity,
        path: &d.path,
        start: f.start,
        end: f.end,
        message: &d.message,
        help: d.help.as_deref(),
        fingerprint: &f.fingerprint,
        fix,
    }
}
