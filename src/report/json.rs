//! `--format json`: the stable machine-readable report, described by
//! `schemas/andon-report.schema.json`. Fields may be added, never renamed.

use super::ReportInput;
use crate::diagnostic::Severity;
use crate::engine::Finding;
use crate::source::Position;
use serde_json::{json, Value};

pub const FORMAT_VERSION: u32 = 1;

pub fn render(input: &ReportInput) -> String {
    let diagnostics: Vec<Value> = input.findings.iter().map(|f| diagnostic(input, f)).collect();
    let report = json!({
        "andon_version": env!("CARGO_PKG_VERSION"),
        "format_version": FORMAT_VERSION,
        "diagnostics": diagnostics,
        "summary": {
            "files": input.files_checked,
            "non_production_files": input.non_production_files,
            "errors": input.count(Severity::Error),
            "warnings": input.count(Severity::Warning),
            "infos": input.count(Severity::Info),
            "fixable": input.fixable(),
        },
    });
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}

fn pos(p: Position) -> Value {
    json!({"line": p.line, "column": p.column, "offset": p.offset})
}

fn diagnostic(input: &ReportInput, f: &Finding) -> Value {
    let d = &f.diag;
    let source = input.sources.get(d.path.as_str());
    let fix = d.fix.as_ref().map(|fix| {
        let edits: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                let (start, end) = match source {
                    Some(s) => (s.position(e.span.start), s.position(e.span.end)),
                    None => (f.start, f.end),
                };
                json!({"path": d.path, "start": pos(start), "end": pos(end), "replacement": e.replacement})
            })
            .collect();
        json!({"applicability": fix.applicability, "description": fix.description, "edits": edits})
    });
    json!({
        "rule": f.meta.id,
        "name": f.meta.name,
        "checklist": f.meta.checklist,
        "related": f.meta.related,
        "severity": d.severity,
        "path": d.path,
        "start": pos(f.start),
        "end": pos(f.end),
        "message": d.message,
        "help": d.help,
        "fingerprint": f.fingerprint,
        "fix": fix,
    })
}
