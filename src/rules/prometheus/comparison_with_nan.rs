use super::{each_rule, find_expr_token};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::nan_comparisons;

/// NaN equals nothing, itself included: `x == NaN` keeps no series (the alert never fires) and
/// `x != NaN` keeps every one.
pub struct ComparisonWithNan;

impl Rule for ComparisonWithNan {
    fn name(&self) -> &'static str {
        "prometheus/comparison-with-nan"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_rule(file, &mut |_, rule| {
            let Some(expr) = &rule.expr else { return };
            let Ok(parsed) = expr.parsed() else { return };
            for op in nan_comparisons(parsed) {
                let outcome = if op == "==" {
                    "keeps no series: the rule never yields anything"
                } else {
                    "keeps every series, NaN ones included"
                };
                let place = ["NaN", "nan", "Nan"]
                    .iter()
                    .find_map(|w| find_expr_token(file, expr, w))
                    .unwrap_or(expr.span);
                out.report(place, format!("`{op} NaN` in `{}` {outcome}", rule.name.value))
                    .help("NaN equals nothing, itself included; find NaN samples with `x != x`, and non-NaN ones with `x == x`");
            }
        });
    }
}
