use super::{each_rule, expr_token_span};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql;

/// `rate(x{code!~"5.."}[5m]) / rate(x[5m])` matches every series with itself: the ratio is 1
/// wherever it exists, so an availability or error-ratio alert built on it can never fire.
pub struct RatioOfSeriesToItself;

impl Rule for RatioOfSeriesToItself {
    fn name(&self) -> &'static str {
        "prometheus/ratio-of-series-to-itself"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_rule(file, &mut |_, rule| {
            let Some(expr) = &rule.expr else { return };
            let Ok(parsed) = expr.parsed() else { return };
            if let Some(metric) = promql::self_ratios(parsed).into_iter().next() {
                out.report(
                    expr_token_span(file, expr, &metric),
                    format!(
                        "`{}` divides `{metric}` by itself series by series: the result is always 1",
                        rule.name.value
                    ),
                )
                .help(format!(
                    "aggregate both sides so the label that tells them apart goes away: `sum(rate({metric}{{code=~\"5..\"}}[5m])) / sum(rate({metric}[5m]))`"
                ));
            }
        });
    }
}
