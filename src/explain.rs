//! `andon rules` and `andon explain`: the catalog as people and programs read it.

use crate::engine::selector_matches;
use crate::rules::catalog::{FixKind, RuleMeta};
use serde_json::json;

pub fn rules_list(catalog: &[RuleMeta], as_json: bool) -> String {
    let mut all: Vec<&RuleMeta> = catalog.iter().collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    if as_json {
        let rows: Vec<_> = all
            .iter()
            .map(|m| {
                json!({
                    "id": m.id, "name": m.name, "kind": m.kind(), "summary": m.summary,
                    "severity": m.severity, "enabled": m.enabled, "production_only": m.production_only,
                    "checklist": m.checklist, "related": m.related, "fixable": m.fix != FixKind::None,
                })
            })
            .collect();
        return format!("{}\n", serde_json::to_string_pretty(&rows).unwrap_or_default());
    }
    let mut out = format!(
        "{:<7} {:<44} {:<8} {:<3} {:<32} {}\n",
        "ID", "NAME", "SEVERITY", "ON", "CHECKLIST ITEM", "FIX"
    );
    for m in all {
        out.push_str(&format!(
            "{:<7} {:<44} {:<8} {:<3} {:<32} {}\n",
            m.id,
            m.name,
            m.severity.as_str(),
            if m.enabled { "on" } else { "off" },
            m.checklist.as_deref().unwrap_or("-"),
            match m.fix {
                FixKind::None => "",
                FixKind::Safe => "fix",
                FixKind::Unsafe => "fix (unsafe)",
            }
        ));
    }
    out
}

pub fn explain(catalog: &[RuleMeta], selector: &str) -> Result<String, String> {
    let m = catalog
        .iter()
        .find(|m| m.id.eq_ignore_ascii_case(selector) || m.name == selector)
        .or_else(|| {
            let mut hits = catalog.iter().filter(|m| selector_matches(selector, m));
            match (hits.next(), hits.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            }
        })
        .ok_or_else(|| format!("no rule `{selector}` (see `andon rules`)"))?;
    let mut out = format!("{} {}\n{}\n\n", m.id, m.name, m.summary);
    out.push_str(&format!(
        "severity: {}   enabled by default: {}   production only: {}\n",
        m.severity.as_str(),
        yes_no(m.enabled),
        yes_no(m.production_only)
    ));
    out.push_str(&format!("checklist: {}", m.checklist.as_deref().unwrap_or("-")));
    if !m.related.is_empty() {
        out.push_str(&format!(" (related: {})", m.related.join(", ")));
    }
    out.push('\n');
    out.push_str(&format!(
        "fix: {}\n",
        match m.fix {
            FixKind::None => "none",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe (may change behaviour)",
        }
    ));
    if !m.peers.is_empty() {
        out.push_str(&format!("peers: {}\n", m.peers.join(", ")));
    }
    out.push_str(&format!("docs: {}\n", m.docs_url()));
    out.push_str(&format!(
        "\n## Why\n{}\n## Failing example\n{}\n## Passing example\n{}\n## Fix\n{}",
        m.docs.why,
        indent(&m.docs.failing),
        indent(&m.docs.passing),
        m.docs.fix
    ));
    if !m.options.is_empty() {
        out.push_str("\n## Options\n");
        for o in &m.options {
            out.push_str(&format!("- {} ({}, default {}): {}\n", o.name, o.ty, o.default, o.docs));
        }
    }
    Ok(out)
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}\n")).collect()
}
