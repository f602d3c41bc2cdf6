//! `andon checklist --format markdown`: for a release pull request or a GitHub job summary
//! (`>> "$GITHUB_STEP_SUMMARY"`). Failing items list their findings in a collapsed block.

use super::checklist_human::{place, summary, SHOWN_FINDINGS};
use crate::checklist::{Checklist, State};
use std::fmt::Write as _;

fn icon(state: State) -> &'static str {
    match state {
        State::Pass => "✅",
        State::Fail => "❌",
        State::NotApplicable => "➖",
        State::Manual => "📝",
        State::Unchecked => "❔",
    }
}

/// Text safe inside a table cell: no pipes, no line breaks, no HTML.
fn cell(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

pub fn render(c: &Checklist) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## andon production checklist: `{}`\n", cell(&c.target));
    let _ = writeln!(out, "**{}** ({} deployment files)\n", summary(c), c.files_checked);
    let _ = writeln!(out, "| section | score |\n|---|---|");
    for s in &c.sections {
        let (pass, judged) = s.score();
        let score = match (pass * 100).checked_div(judged) {
            Some(pct) => format!("{pass}/{judged} ({pct}%)"),
            None => "nothing judged".into(),
        };
        let _ = writeln!(out, "| {} | {score} |", cell(&s.name));
    }
    for s in &c.sections {
        let _ = writeln!(out, "\n### {}\n", cell(&s.name));
        let _ = writeln!(out, "| | item | state | why |\n|---|---|---|---|");
        for i in &s.items {
            let _ = writeln!(
                out,
                "| {} | `{}` {} | {} | {} |",
                icon(i.state),
                i.item.id,
                cell(&i.item.title),
                i.state.as_str(),
                cell(&i.reason)
            );
        }
        let failing: Vec<_> = s.items.iter().filter(|i| i.state == State::Fail).collect();
        for i in failing {
            let _ = writeln!(
                out,
                "\n<details><summary>❌ <code>{}</code>: {}</summary>\n",
                i.item.id,
                cell(&i.reason)
            );
            for f in i.findings.iter().take(SHOWN_FINDINGS) {
                let _ = writeln!(out, "- `{}` {} {}", place(f), f.meta.id, cell(&f.diag.message));
            }
            if i.findings.len() > SHOWN_FINDINGS {
                let _ = writeln!(out, "- … and {} more (run `andon check`)", i.findings.len() - SHOWN_FINDINGS);
            }
            out.push_str("\n</details>\n");
        }
    }
    out
}
