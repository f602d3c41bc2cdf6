//! `andon checklist` as a readable table: each section with its score, each item with its state
//! and the reason, and under a failing item the findings behind it.

use crate::checklist::{Checklist, ItemResult, State};
use crate::engine::Finding;
use std::fmt::Write as _;

/// Findings listed under a failing item; the rest are counted.
pub const SHOWN_FINDINGS: usize = 8;

/// `path:line:column`.
pub fn place(f: &Finding) -> String {
    format!("{}:{}:{}", f.diag.path, f.start.line, f.start.column)
}

/// The summary line: counts of each state and the overall score.
pub fn summary(c: &Checklist) -> String {
    let (pass, judged) = c.score();
    format!(
        "{pass}/{judged} judged items pass · {} fail · {} n/a · {} manual · {} unchecked",
        c.count(State::Fail),
        c.count(State::NotApplicable),
        c.count(State::Manual),
        c.count(State::Unchecked)
    )
}

/// A text bar `██████░░░░` for `part` of `whole`.
pub fn bar(part: usize, whole: usize, width: usize) -> String {
    let filled = (part * width).checked_div(whole).unwrap_or(0);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

fn mark(state: State) -> &'static str {
    match state {
        State::Pass => "✔",
        State::Fail => "✘",
        State::NotApplicable => "–",
        State::Manual => "?",
        State::Unchecked => "·",
    }
}

pub fn render(c: &Checklist) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "andon checklist for {} ({} deployment files)", c.target, c.files_checked);
    if !c.repository {
        let _ = writeln!(
            out,
            "note: no scanned folder is a repository's top (.git or README): repository items are n/a"
        );
    }
    let _ = writeln!(out, "{}\n", summary(c));
    let width = c.items().map(|i| i.item.id.len()).max().unwrap_or(0);
    for s in &c.sections {
        let (pass, judged) = s.score();
        let score = if judged == 0 {
            "nothing judged".to_string()
        } else {
            format!("{} {pass}/{judged}", bar(pass, judged, 10))
        };
        let _ = writeln!(out, "{}  {score}", s.name);
        for i in &s.items {
            item(&mut out, i, width);
        }
        out.push('\n');
    }
    out
}

fn item(out: &mut String, i: &ItemResult, width: usize) {
    let _ = writeln!(
        out,
        "  {} {:<9} {:<width$}  {}",
        mark(i.state),
        i.state.as_str(),
        i.item.id,
        i.item.title
    );
    let _ = writeln!(out, "  {:<11} {:<width$}  {}", "", "", i.reason);
    for f in i.findings.iter().take(SHOWN_FINDINGS) {
        let _ = writeln!(out, "  {:<11} {:<width$}    {} {} {}", "", "", place(f), f.meta.id, f.diag.message);
    }
    if i.findings.len() > SHOWN_FINDINGS {
        let _ = writeln!(
            out,
            "  {:<11} {:<width$}    … and {} more",
            "",
            "",
            i.findings.len() - SHOWN_FINDINGS
        );
    }
}
