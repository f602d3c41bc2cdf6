//! Suppressions: `# andon-ignore: ID,… -- reason` comments, `andon-ignore-file`, the Kubernetes
//! annotation `andon.dev/ignore`, and the ignore syntax of peers (hadolint, kube-linter,
//! kube-score, Polaris, checkov) mapped through each rule's peer ids.

use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::engine::{Finding, SuppressedBy};
use crate::model::{File, Parsed};
use crate::rules::catalog::RuleMeta;
use crate::source::{SourceFile, Span};
use crate::syntax::tree::{Comment, Node};

pub const UNUSED_IGNORE: &str = "andon/unused-ignore";
pub const IGNORE_WITHOUT_REASON: &str = "andon/ignore-without-reason";
pub const ANNOTATION: &str = "andon.dev/ignore";

/// What a suppression covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// 1-based lines, inclusive.
    Lines(u32, u32),
    File,
}

/// Who wrote the suppression: andon's own syntax, or a peer's (`hadolint DL3008`).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    /// Rule ids or names, as written.
    Own(Vec<(String, Span)>),
    /// `tool check` pairs, matched against each rule's `peers`.
    Foreign(Vec<String>),
}

#[derive(Clone, Debug)]
struct Suppression {
    target: Target,
    scope: Scope,
    reason: Option<String>,
    /// The comment (or annotation value) that holds it.
    span: Span,
    /// Whether the comment stands alone on its line (removable whole by the unused-ignore fix).
    own_line: bool,
    /// A comment can be removed by a fix; an annotation is left to people.
    comment: bool,
}

pub struct Options {
    /// Honour peers' ignore comments and annotations (`--no-foreign-ignores` turns it off).
    pub foreign: bool,
}

/// Findings split by whether a suppression covers them, plus the findings about the
/// suppressions themselves (unused, or without a reason).
pub struct Outcome {
    pub kept: Vec<Finding>,
    /// Suppressed findings, covered in their own files.
    pub suppressed: Vec<(Finding, SuppressedBy)>,
    pub about_suppressions: Vec<Diagnostic>,
}

/// Applies every suppression of `files` to `findings`. `enabled` says which rules ran, so that an
/// ignore naming a rule that did not run is not called unused.
pub fn apply(findings: Vec<Finding>, files: &[File], enabled: &dyn Fn(&RuleMeta) -> bool, catalog: &[RuleMeta], opts: &Options) -> Outcome {
    let mut per_file: std::collections::HashMap<&str, (Vec<Suppression>, Vec<bool>)> = std::collections::HashMap::new();
    for f in files {
        let sups = collect(f, opts.foreign);
        let used = vec![false; sups.len()];
        per_file.insert(f.path(), (sups, used));
    }
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for finding in findings {
        let hit = per_file.get_mut(finding.diag.path.as_str()).and_then(|(sups, used)| {
            let i = sups.iter().position(|s| covers(s, &finding))?;
            used[i] = true;
            Some(sups[i].reason.clone().unwrap_or_default())
        });
        match hit {
            Some(reason) => suppressed.push((finding, SuppressedBy { reason, external: false })),
            None => kept.push(finding),
        }
    }
    let mut about = Vec::new();
    for f in files {
        let Some((sups, used)) = per_file.get(f.path()) else { continue };
        for (s, was_used) in sups.iter().zip(used) {
            let Target::Own(names) = &s.target else { continue };
            let require_reasons = catalog.iter().any(|m| m.name == IGNORE_WITHOUT_REASON && enabled(m));
            if require_reasons && s.reason.is_none() {
                about.push(diag(
                    IGNORE_WITHOUT_REASON,
                    Severity::Warning,
                    f,
                    s.span,
                    "suppression gives no reason".into(),
                    None,
                    "say why after ` -- ` (`# andon-ignore: DKR001 -- the entrypoint drops to uid 10001`), so a reviewer can tell a decision from a shortcut",
                ));
            }
            if *was_used {
                continue;
            }
            let unknown: Vec<&(String, Span)> = names.iter().filter(|(n, _)| !catalog.iter().any(|m| names_rule(n, m))).collect();
            for (n, span) in &unknown {
                about.push(diag(
                    UNUSED_IGNORE,
                    Severity::Warning,
                    f,
                    *span,
                    format!("`{n}` is not an andon rule"),
                    None,
                    UNUSED_HELP,
                ));
            }
            // Only an ignore whose rules all ran and found nothing here is unused.
            let all_ran = names.iter().all(|(n, _)| catalog.iter().filter(|m| names_rule(n, m)).all(enabled));
            if unknown.is_empty() && all_ran {
                let fix = s.comment.then(|| Fix::safe("remove the suppression", vec![removal(&f.source, s)]));
                about.push(diag(
                    UNUSED_IGNORE,
                    Severity::Warning,
                    f,
                    s.span,
                    "suppression matches no finding".into(),
                    fix,
                    UNUSED_HELP,
                ));
            }
        }
    }
    Outcome {
        kept,
        suppressed,
        about_suppressions: about,
    }
}

const UNUSED_HELP: &str = "remove it, or name the rule it is meant for";

fn diag(rule: &'static str, severity: Severity, f: &File, span: Span, message: String, fix: Option<Fix>, help: &str) -> Diagnostic {
    Diagnostic {
        rule,
        severity,
        path: f.path().to_string(),
        span,
        message,
        labels: Vec::new(),
        help: Some(help.into()),
        fix,
        secrets: Vec::new(),
    }
}

/// The edit that removes a suppression: the whole line when the comment stands alone, else the
/// comment and the blanks before it.
fn removal(src: &SourceFile, s: &Suppression) -> Edit {
    let text = &src.text;
    if s.own_line {
        let line = src.index.line_of(s.span.start);
        let start = src.index.line_span(text, line).start as usize;
        let next = src.index.line_span(text, line + 1).start as usize;
        let end = if next > start { next } else { text.len() };
        return Edit {
            span: Span::new(start, end),
            replacement: String::new(),
        };
    }
    let before = &text[..s.span.start as usize];
    let start = before.trim_end_matches([' ', '\t']).len();
    Edit {
        span: Span::new(start, s.span.end as usize),
        replacement: String::new(),
    }
}

fn names_rule(name: &str, meta: &RuleMeta) -> bool {
    meta.id.eq_ignore_ascii_case(name) || meta.name == name
}

fn covers(s: &Suppression, finding: &Finding) -> bool {
    let in_scope = match s.scope {
        Scope::File => true,
        Scope::Lines(a, b) => (a..=b).contains(&finding.start.line),
    };
    in_scope
        && match &s.target {
            Target::Own(names) => names.iter().any(|(n, _)| names_rule(n, finding.meta)),
            Target::Foreign(checks) => checks.iter().any(|c| finding.meta.peers.iter().any(|p| p.eq_ignore_ascii_case(c))),
        }
}

/// Every suppression in one file.
fn collect(file: &File, foreign: bool) -> Vec<Suppression> {
    let src = &file.source;
    let mut out = Vec::new();
    let comments: &[Comment] = match &file.parsed {
        Parsed::Tree(t) => &t.comments,
        Parsed::Dockerfile(d) => &d.comments,
        Parsed::None => &[],
    };
    for c in comments {
        let own_line = src.text[..c.span.start as usize]
            .rsplit('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty());
        let line = src.position(c.span.start).line;
        let next_scope = || next_code_scope(file, c.span, line);
        let here = if own_line { next_scope() } else { Scope::Lines(line, line) };
        let body = c.text.trim();
        if let Some(rest) = body.strip_prefix("andon-ignore-file:") {
            out.push(own(rest, c, Scope::File, own_line));
        } else if let Some(rest) = body.strip_prefix("andon-ignore:") {
            out.push(own(rest, c, here, own_line));
        } else if foreign {
            if let Some(s) = foreign_comment(body, c, here, own_line) {
                out.push(s);
            }
        }
    }
    if let Parsed::Tree(tree) = &file.parsed {
        for doc in &tree.docs {
            if let Some(root) = &doc.root {
                annotations(root, src, foreign, &mut out);
            }
        }
    }
    out
}

/// `ID,ID -- reason`, with the span of each id inside the comment.
fn own(rest: &str, c: &Comment, scope: Scope, own_line: bool) -> Suppression {
    let (list, reason) = match rest.split_once("--") {
        Some((l, r)) => (l, Some(r.trim().to_string()).filter(|r| !r.is_empty())),
        None => (rest, None),
    };
    // Offsets: the comment text starts right after `#`.
    let list_at = c.span.start as usize + 1 + (c.text.len() - c.text.trim_start().len()) + (c.text.trim().len() - rest.len());
    let mut names = Vec::new();
    let mut at = 0;
    for part in list.split([',', ' ']) {
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let offset = list.get(at..).and_then(|s| s.find(trimmed)).map(|i| i + at).unwrap_or(at);
            names.push((trimmed.to_string(), Span::new(list_at + offset, list_at + offset + trimmed.len())));
        }
        at += part.len() + 1;
    }
    Suppression {
        target: Target::Own(names),
        scope,
        reason,
        span: c.span,
        own_line,
        comment: true,
    }
}

/// `# hadolint ignore=DL3008,DL3009`, `# hadolint global ignore=…`, `# checkov:skip=CKV_K8S_8:reason`.
fn foreign_comment(body: &str, c: &Comment, here: Scope, own_line: bool) -> Option<Suppression> {
    let (tool, scope, list) = if let Some(rest) = body.strip_prefix("hadolint global ignore=") {
        ("hadolint", Scope::File, rest)
    } else if let Some(rest) = body.strip_prefix("hadolint ignore=") {
        ("hadolint", here, rest)
    } else if let Some(rest) = body.strip_prefix("checkov:skip=") {
        ("checkov", here, rest.split(':').next().unwrap_or(""))
    } else {
        return None;
    };
    let checks = list.split(',').map(|x| format!("{tool} {}", x.trim())).collect();
    Some(Suppression {
        target: Target::Foreign(checks),
        scope,
        reason: None,
        span: c.span,
        own_line,
        comment: true,
    })
}

/// The lines a stand-alone comment covers: the next instruction (Dockerfile), else the next line
/// holding something other than blanks and comments.
fn next_code_scope(file: &File, comment: Span, line: u32) -> Scope {
    if let Parsed::Dockerfile(df) = &file.parsed {
        if let Some(inst) = df.instructions.iter().find(|i| i.span.start >= comment.end) {
            let a = file.source.position(inst.span.start).line;
            let b = file.source.position(inst.span.end).line;
            return Scope::Lines(a, b.max(a));
        }
    }
    let mut l = line + 1;
    while (l as usize) <= file.source.index.line_count() {
        let t = file.source.line_text(l).trim();
        if !t.is_empty() && !t.starts_with('#') {
            return Scope::Lines(l, l);
        }
        l += 1;
    }
    Scope::Lines(line, line)
}

/// Kubernetes object annotations: andon's own, and kube-linter's, kube-score's and Polaris's.
fn annotations(root: &Node, src: &SourceFile, foreign: bool, out: &mut Vec<Suppression>) {
    if root.get("apiVersion").is_none() {
        return;
    }
    let Some(entries) = root.get_path(&["metadata", "annotations"]).and_then(Node::as_map) else {
        return;
    };
    let first = src.position(root.span.start).line;
    let last = src.position(root.span.end).line;
    let scope = Scope::Lines(first, last);
    for e in entries {
        let (Some(key), Some(value)) = (e.key.as_str(), e.value.as_str()) else {
            continue;
        };
        let target = if key == ANNOTATION {
            let names = value
                .split(',')
                .map(|n| (n.trim().to_string(), e.value.span))
                .filter(|(n, _)| !n.is_empty())
                .collect();
            Target::Own(names)
        } else if !foreign {
            continue;
        } else if let Some(check) = key.strip_prefix("ignore-check.kube-linter.io/") {
            Target::Foreign(vec![format!("kube-linter {check}")])
        } else if key == "kube-score/ignore" {
            Target::Foreign(value.split(',').map(|c| format!("kube-score {}", c.trim())).collect())
        } else if let Some(check) = key.strip_prefix("polaris.fairwinds.com/").and_then(|k| k.strip_suffix("-exempt")) {
            Target::Foreign(vec![format!("polaris {check}")])
        } else {
            continue;
        };
        let reason = (key != ANNOTATION && !value.is_empty()).then(|| value.to_string());
        out.push(Suppression {
            target,
            scope,
            reason,
            span: e.key.span.cover(e.value.span),
            own_line: false,
            comment: false,
        });
    }
}
