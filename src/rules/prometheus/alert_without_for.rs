use super::{each_alert, insert_rule_key_fix};
use crate::model::prometheus::PromRule;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::is_event_window;

/// An alert without `for:` fires on the first evaluation that matches: one scrape blip pages.
pub struct AlertWithoutFor;

impl Rule for AlertWithoutFor {
    fn name(&self) -> &'static str {
        "prometheus/alert-without-for"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_alert(file, &mut |rule| {
            if !lacks_for(rule) {
                return;
            }
            out.report(
                rule.name.span,
                format!(
                    "alert `{}` has no `for:` and fires on the first matching evaluation",
                    rule.name.value
                ),
            )
            .help("add `for: 5m` (or a few evaluation intervals) so one bad scrape does not page; write `for: 0m` if firing at once is intended")
            .fix_opt(insert_rule_key_fix(
                file,
                rule,
                "expr",
                &["for: 5m"],
                format!("add `for: 5m` to alert `{}`", rule.name.value),
            ));
        });
    }
}

/// An explicit `for: 0m` is a decision (event alerts such as an OOM kill); heartbeat alerts
/// (`expr: vector(1)`) and inhibit-only alerts (`severity: none`) fire always by design. So
/// does an event alert on a counter's window (`sum(increase(panics_total[10m])) > 0`): one
/// event keeps it true for the whole window, so a blip cannot page and a `for:` only delays.
fn lacks_for(rule: &PromRule) -> bool {
    let expr = rule.expr.as_ref().map_or("", |e| e.text.as_str());
    let heartbeat = expr.trim().starts_with("vector(");
    let inhibitor = rule.label("severity").is_some_and(|l| l.value == "none");
    let event = rule.expr.as_ref().and_then(|e| e.parsed().ok()).is_some_and(is_event_window);
    rule.for_.is_none() && !heartbeat && !inhibitor && !event
}
