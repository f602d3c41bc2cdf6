use super::{each_rule, expr_token_span, find_expr_token};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::impossible_absent_selectors;

/// `absent()` of a selector no series can match is always 1: the alert fires forever and says
/// nothing about the target it was meant to watch.
pub struct AbsentNeverMatches;

impl Rule for AbsentNeverMatches {
    fn name(&self) -> &'static str {
        "prometheus/absent-never-matches"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_rule(file, &mut |_, rule| {
            let Some(expr) = &rule.expr else { return };
            let Ok(parsed) = expr.parsed() else { return };
            for m in impossible_absent_selectors(parsed) {
                // Written as printed, or with single quotes; else at the function's name.
                let place = [m.matcher.clone(), m.matcher.replace('"', "'")]
                    .iter()
                    .find_map(|n| find_expr_token(file, expr, n))
                    .unwrap_or_else(|| expr_token_span(file, expr, m.function));
                out.report(
                    place,
                    format!(
                        "`{}` in `{}` can never match while `{}` must equal \"{}\": `{}()` of it is always 1",
                        m.matcher, rule.name.value, m.label, m.required, m.function
                    ),
                )
                .help("drop the contradicting matcher, or use a regex alternative (`job=~\"a|b\"`) if either value is meant");
            }
        });
    }
}
