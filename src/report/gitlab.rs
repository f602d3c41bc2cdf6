//! `--format gitlab`: the GitLab Code Quality report (`artifacts:reports:codequality`), the
//! subset of the Code Climate issue format that GitLab reads.

use super::ReportInput;
use crate::diagnostic::Severity;
use crate::engine::Finding;
use serde::Serialize;
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
    let issues: Vec<Issue> = input
        .findings
        .iter()
        .map(|f| {
            let mut fingerprint = f.fingerprint.clone();
            let mut n = 1;
            while !seen.insert(fingerprint.clone()) {
                n += 1;
                fingerprint = format!("{}-{n}", f.fingerprint);
            }
            issue(input, f, fingerprint)
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_default();
    out.push('\n');
    out
}

/// One Code Climate issue, typed and borrowing from the finding (field order is key order): a
/// `serde_json::Value` per issue cost a gigabyte on 150,000 findings.
#[derive(Serialize)]
struct Issue<'a> {
    r#type: &'static str,
    engine_name: &'static str,
    check_name: &'a str,
    description: String,
    content: Body,
    categories: [&'static str; 1],
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation<'a>,
}

#[derive(Serialize)]
struct Body {
    body: String,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

fn issue<'a>(input: &ReportInput, f: &'a Finding, fingerprint: String) -> Issue<'a> {
    // Code Climate's categories; GitLab ignores them, other Code Climate readers group by them.
    let categories = [if f.meta.security { "Security" } else { "Bug Risk" }];
    let mut body = format!("{} {}: {}", f.meta.id, f.meta.name, f.meta.summary);
    if let Some(help) = f.diag.help.as_deref().filter(|h| !h.trim().is_empty()) {
        body.push_str(&format!("\n\nhelp: {}", help.trim()));
    }
    body.push_str(&format!("\n\n{}", f.meta.docs.why.trim()));
    Issue {
        r#type: "issue",
        engine_name: "andon",
        check_name: &f.meta.id,
        description: input.scrub(f, &format!("{}: {}", f.meta.name, f.diag.message)),
        content: Body {
            body: input.scrub(f, &body),
        },
        categories,
        fingerprint,
        severity: severity(f),
        location: IssueLocation {
            path: &f.diag.path,
            lines: Lines {
                begin: f.start.line.max(1),
                end: f.end.line.max(f.start.line).max(1),
            },
        },
    }
}
