//! `andon checklist --format html`: one self-contained page (inline CSS, no script, no network,
//! no external asset) a release manager can open: section scores drawn as bars, each failing
//! item expandable to its findings with file and line.

use super::checklist_human::{place, summary};
use crate::checklist::{Checklist, ItemResult, State};
use std::fmt::Write as _;

const STYLE: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin:2rem 0 .4rem}
.summary{color:#57606a;margin:.2rem 0 1.2rem}
table{border-collapse:collapse;width:100%}td,th{padding:.3rem .5rem;text-align:left;vertical-align:top;border-bottom:1px solid #eaeef2}
.bar{background:#eaeef2;border-radius:4px;height:.8rem;width:14rem;overflow:hidden;display:inline-block;vertical-align:middle}
.bar span{display:block;height:100%;background:#2da44e}
.state{font-weight:600;white-space:nowrap}.pass{color:#1a7f37}.fail{color:#cf222e}.na{color:#8c959f}.manual{color:#9a6700}.unchecked{color:#57606a}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 .2rem;border-radius:3px}
.why{color:#57606a}details summary{cursor:pointer}details ul{margin:.3rem 0 .3rem 1rem;padding:0}details li{margin:.15rem 0}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}td,th{border-color:#30363d}.bar{background:#30363d}code{background:#161b22}.why,.summary{color:#8d96a0}}
";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn class(state: State) -> &'static str {
    match state {
        State::Pass => "pass",
        State::Fail => "fail",
        State::NotApplicable => "na",
        State::Manual => "manual",
        State::Unchecked => "unchecked",
    }
}

fn score_bar(pass: usize, judged: usize) -> String {
    if judged == 0 {
        return "<span class=\"why\">nothing judged</span>".into();
    }
    let pct = pass * 100 / judged;
    format!("<span class=\"bar\" title=\"{pct}%\"><span style=\"width:{pct}%\"></span></span> {pass}/{judged}")
}

fn item_row(out: &mut String, i: &ItemResult) {
    let _ = write!(
        out,
        "<tr><td class=\"state {}\">{}</td><td><code>{}</code><br>{}</td><td>",
        class(i.state),
        i.state.as_str(),
        esc(&i.item.id),
        esc(&i.item.title)
    );
    if i.state == State::Fail {
        let _ = write!(out, "<details><summary>{}</summary><ul>", esc(&i.reason));
        for f in &i.findings {
            let _ = write!(
                out,
                "<li><code>{}</code> <b>{}</b> {}{}</li>",
                esc(&place(f)),
                esc(&f.meta.id),
                esc(&f.diag.message),
                f.diag
                    .help
                    .as_deref()
                    .map(|h| format!("<br><span class=\"why\">{}</span>", esc(h)))
                    .unwrap_or_default()
            );
        }
        out.push_str("</ul></details>");
    } else {
        let _ = write!(out, "<span class=\"why\">{}</span>", esc(&i.reason));
    }
    out.push_str("</td></tr>\n");
}

pub fn render(c: &Checklist) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>andon checklist: {}</title><style>{STYLE}</style></head><body>\n",
        esc(&c.target)
    );
    let _ = writeln!(out, "<h1>Production checklist: <code>{}</code></h1>", esc(&c.target));
    let _ = writeln!(
        out,
        "<p class=\"summary\">{} — {} deployment files checked by andon</p>",
        esc(&summary(c)),
        c.files_checked
    );
    out.push_str("<table><tr><th>section</th><th>score</th></tr>\n");
    for s in &c.sections {
        let (pass, judged) = s.score();
        let _ = writeln!(out, "<tr><td>{}</td><td>{}</td></tr>", esc(&s.name), score_bar(pass, judged));
    }
    out.push_str("</table>\n");
    for s in &c.sections {
        let (pass, judged) = s.score();
        let _ = writeln!(out, "<h2>{} <small>{}</small></h2>", esc(&s.name), score_bar(pass, judged));
        out.push_str("<table>\n");
        for i in &s.items {
            item_row(&mut out, i);
        }
        out.push_str("</table>\n");
    }
    out.push_str("</body></html>\n");
    out
}
