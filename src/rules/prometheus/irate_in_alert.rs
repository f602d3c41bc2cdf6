use super::{each_alert, expr_token_span};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::function_names;

/// `irate` reads only the last two samples of its window: an alert on it follows every
/// scrape-to-scrape blip, flaps, and resets its `for:` timer on any dip.
pub struct IrateInAlert;

impl Rule for IrateInAlert {
    fn name(&self) -> &'static str {
        "prometheus/irate-in-alert"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_alert(file, &mut |rule| {
            let Some(expr) = &rule.expr else { return };
            let Ok(parsed) = expr.parsed() else { return };
            if function_names(parsed).contains(&"irate") {
                out.report(
                    expr_token_span(file, expr, "irate"),
                    format!("alert `{}` uses `irate`, which follows the last two samples only", rule.name.value),
                )
                .help("use `rate()` over a window of at least 4 scrape intervals: alerts want the trend, graphs want irate");
            }
        });
    }
}
