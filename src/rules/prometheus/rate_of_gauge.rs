use super::{each_rule, expr_token_span};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::counter_calls_on_gauges;

/// `rate`, `irate` and `increase` take every drop for a counter reset: over a gauge they add the
/// whole level back on each dip and report growth that never happened.
pub struct RateOfGauge;

impl Rule for RateOfGauge {
    fn name(&self) -> &'static str {
        "prometheus/rate-of-gauge"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_rule(file, &mut |_, rule| {
            let Some(expr) = &rule.expr else { return };
            let Ok(parsed) = expr.parsed() else { return };
            for call in counter_calls_on_gauges(parsed) {
                out.report(
                    expr_token_span(file, expr, &call.metric),
                    format!("`{}` of `{}`, whose name says it is a gauge, in `{}`", call.function, call.metric, rule.name.value),
                )
                .help("counter functions read every drop as a reset; use `deriv()` or `delta()` for the change of a gauge, or `*_over_time()` for its level");
            }
        });
    }
}
