use super::{each_rule, expr_token_span};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql;

/// `histogram_quantile` over raw bucket counters computes the quantile of everything since the
/// process started (and over a name without `_bucket`, of nothing): a latency spike never
/// moves it.
pub struct HistogramQuantileWithoutRate;

impl Rule for HistogramQuantileWithoutRate {
    fn name(&self) -> &'static str {
        "prometheus/histogram-quantile-without-rate"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_rule(file, &mut |_, rule| {
            let Some(expr) = &rule.expr else { return };
            let Ok(parsed) = expr.parsed() else { return };
            if let Some(metric) = promql::quantiles_without_rate(parsed).into_iter().next() {
                let suggestion = if metric.ends_with("_bucket") {
                    metric.clone()
                } else {
                    format!("{metric}_bucket")
                };
                out.report(
                    expr_token_span(file, expr, &metric),
                    format!(
                        "`histogram_quantile` in `{}` reads `{metric}` without `rate()`: the quantile since process start, not of recent requests",
                        rule.name.value
                    ),
                )
                .help(format!("use `histogram_quantile(φ, sum by (le) (rate({suggestion}[5m])))`"));
            }
        });
    }
}
