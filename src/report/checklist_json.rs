//! `andon checklist --format json`: every item as an object (`id`, `section`, `title`, `state`,
//! `reason`, `rules`, and the findings behind a fail), with per-section scores.

use crate::checklist::{Checklist, ItemResult, State};
use crate::engine::Finding;
use serde_json::{json, Value};

fn finding(f: &Finding) -> Value {
    json!({
        "rule": f.meta.id,
        "name": f.meta.name,
        "severity": f.diag.severity.as_str(),
        "path": f.diag.path,
        "line": f.start.line,
        "column": f.start.column,
        "message": f.diag.message,
        "help": f.diag.help,
    })
}

fn item(i: &ItemResult) -> Value {
    json!({
        "id": i.item.id,
        "section": i.item.section,
        "title": i.item.title,
        "how": i.item.how,
        "state": i.state.as_str(),
        "reason": i.reason,
        "rules": i.rules.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        "findings": i.findings.iter().map(|f| finding(f)).collect::<Vec<_>>(),
        "notes": i.notes.iter().map(|f| finding(f)).collect::<Vec<_>>(),
        "suppressed": i.suppressed,
    })
}

pub fn render(c: &Checklist) -> String {
    let (pass, judged) = c.score();
    let count = |s: State| c.count(s);
    let value = json!({
        "target": c.target,
        "files_checked": c.files_checked,
        "repository": c.repository,
        "summary": {
            "pass": count(State::Pass),
            "fail": count(State::Fail),
            "n/a": count(State::NotApplicable),
            "manual": count(State::Manual),
            "unchecked": count(State::Unchecked),
            "score": if judged == 0 { Value::Null } else { json!(pass as f64 / judged as f64) },
        },
        "sections": c.sections.iter().map(|s| {
            let (p, j) = s.score();
            json!({"name": s.name, "pass": p, "judged": j})
        }).collect::<Vec<_>>(),
        "items": c.items().map(item).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}
