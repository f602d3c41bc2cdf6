//! `--format gitlab`: the GitLab Code Quality report (`artifacts:reports:codequality`), the
//! subset of the Code Climate issue format that GitLab reads.

use super::ReportInput;
use crate::diagnostic::Severity;
use crate::engine::Finding;
use serde_json::{json, Value};
use std::collections::HashSet;

/// GitLab's scale is info < minor < major < critical < blocker. andon's three severities map
/// onto the middle, with security errors one step up so they sort first in the merge request
/// widget. `blocker` is left to tools that know a finding stops a release on its own.
pub fn severity(f: &Finding) -> &'static str {
    match f.diag.severity {
        Severity::Error if f.meta.security => "critical",
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

pub fn render(input: &ReportInput) -> String {
    // GitLab keeps only the first issue of each fingerprint; andon's are unique by construction
    // (rule, path, the text at the place and its occurrence), and this keeps that true even if
    // that ever changes.
    let mut seen: HashSet<String> = HashSet::new();
    let issues: Vec<Value> = input
        .findings
        .iter()
        .map(|f| {
            let mut fingerprint = f.fingerprint.clone();
            let mut n = 1;
            while !seen.insert(fingerprint.clone()) {
                n += 1;
                fingerprint = format!("{}-{n}", f.fingerprint);
            }
            issue(input, f, &fingerprint)
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_default();
    out.push('\n');
    out
}

fn issue(input: &ReportInput, f: &Finding, fingerprint: &str) -> Value {
    // Code Climate's categories; GitLab ignores them, other Code Climate readers group by them.
    let categories = [if f.meta.security { "Security" } else { "Bug Risk" }];
    let mut body = format!("{} {}: {}", f.meta.id, f.meta.name, f.meta.summary);
    if let Some(help) = f.diag.help.as_deref().filter(|h| !h.trim().is_empty()) {
        body.push_str(&format!("\n\nhelp: {}", help.trim()));
    }
    body.push_str(&format!("\n\n{}", f.meta.docs.why.trim()));
    json!({
        "type": "issue",
        "engine_name": "andon",
        "check_name": f.meta.id,
        "description": input.scrub(f, &format!("{}: {}", f.meta.name, f.diag.message)),
        "content": {"body": input.scrub(f, &body)},
        "categories": categories,
        "fingerprint": fingerprint,
        "severity": severity(f),
        "location": {
            "path": f.diag.path,
            "lines": {"begin": f.start.line.max(1), "end": f.end.line.max(f.start.line).max(1)},
        },
    })
}
