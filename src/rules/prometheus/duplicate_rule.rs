use super::rule_file;
use crate::model::prometheus::PromRule;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Two rules with the same name and the same labels produce the same series (or the same
/// alert): a recording rule then fails with duplicate samples, two alerts send notifications
/// nobody can tell apart. `promtool check rules` lints this as duplicate rules.
pub struct DuplicateRule;

impl Rule for DuplicateRule {
    fn name(&self) -> &'static str {
        "prometheus/duplicate-rule"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(rf) = rule_file(file) else { return };
        let rules: Vec<(usize, &PromRule)> = rf.groups.iter().flat_map(|g| g.rules.iter().map(move |r| (g.doc, r))).collect();
        for (i, (doc, rule)) in rules.iter().enumerate() {
            let first = rules[..i].iter().find(|(d, r)| d == doc && same_series(r, rule));
            if let Some((_, first)) = first {
                let what = if rule.is_alert() { "alert" } else { "recording rule" };
                out.report(
                    rule.name.span,
                    format!("{what} `{}` is defined again with the same labels", rule.name.value),
                )
                .label(first.name.span, "first defined here")
                .help("remove the copy, or tell the two apart with a label (e.g. a different `severity`)");
            }
        }
    }
}

/// Same kind, name and labels: the rules write the same series.
fn same_series(a: &PromRule, b: &PromRule) -> bool {
    a.kind == b.kind && !a.name.value.is_empty() && a.name.value == b.name.value && labels(a) == labels(b)
}

fn labels(r: &PromRule) -> Vec<(&str, &str)> {
    let mut l: Vec<(&str, &str)> = r.labels.iter().map(|p| (p.name.as_str(), p.value.as_str())).collect();
    l.sort_unstable();
    l
}
