use super::{each_alert, expr_token_span};
use crate::model::prometheus::PromRule;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql;

/// `rate(errors_total[5m]) > 0.05` fires at 0.05 errors per second, whatever the traffic: at
/// high traffic it never fires on a 5 % error ratio, at low traffic it fires on one error. When
/// the alert itself speaks of a percentage, the ratio was meant.
pub struct ErrorRateNotRatio;

impl Rule for ErrorRateNotRatio {
    fn name(&self) -> &'static str {
        "prometheus/error-rate-not-ratio"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_alert(file, &mut |rule| {
            let Some(expr) = &rule.expr else { return };
            let Ok(parsed) = expr.parsed() else { return };
            let Some((metric, threshold)) = promql::rate_compared_with_fraction(parsed) else {
                return;
            };
            if !is_error_metric(&metric) || !speaks_of_ratio(rule) {
                return;
            }
            out.report(
                expr_token_span(file, expr, &metric),
                format!(
                    "`{}` compares the per-second rate of `{metric}` with {threshold}, but reads it as a ratio",
                    rule.name.value
                ),
            )
            .help(format!(
                "divide by the rate of all requests: `sum(rate({metric}[5m])) / sum(rate(<requests_total>[5m])) > {threshold}`"
            ));
        });
    }
}

fn is_error_metric(metric: &str) -> bool {
    let m = metric.to_ascii_lowercase();
    ["error", "fail", "5xx"].iter().any(|w| m.contains(w))
}

/// The alert presents its value as a share: `humanizePercentage`, `%`, "percent", "ratio".
fn speaks_of_ratio(rule: &PromRule) -> bool {
    rule.annotations.iter().any(|a| {
        let v = a.value.to_ascii_lowercase();
        has_percent_sign(&v)
            || v.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| matches!(w, "humanizepercentage" | "percent" | "percentage" | "ratio"))
    })
}

/// A `%` that reads as a percent sign, not a `printf` verb (`%.2f`, `%s`).
fn has_percent_sign(v: &str) -> bool {
    v.match_indices('%').any(|(i, _)| {
        v[i + 1..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '.' || c == '%' || c == '+' || c == '-'))
    })
}
