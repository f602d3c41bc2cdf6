use super::{each_rule, expr_token_span};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql;
use serde::Deserialize;

/// Aggregating `by` a per-user or per-request label keeps one series per value: a recording
/// rule writes an unbounded number of series, an alert fires once per user.
pub struct HighCardinalityGrouping;

#[derive(Deserialize)]
#[serde(default)]
struct Options {
    labels: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        let labels = [
            "user_id",
            "userid",
            "email",
            "request_id",
            "trace_id",
            "span_id",
            "session_id",
            "client_ip",
            "remote_addr",
            "ip",
            "url",
            "uri",
            "path",
        ];
        Options {
            labels: labels.iter().map(|l| l.to_string()).collect(),
        }
    }
}

impl Rule for HighCardinalityGrouping {
    fn name(&self) -> &'static str {
        "prometheus/high-cardinality-grouping"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let options: Options = out.options();
        each_rule(file, &mut |_, rule| {
            let Some(expr) = &rule.expr else { return };
            let Ok(parsed) = expr.parsed() else { return };
            let mut seen = Vec::new();
            for g in promql::groupings(parsed) {
                for label in g.by.iter().filter(|l| is_listed(l, &options.labels)) {
                    if seen.contains(label) {
                        continue;
                    }
                    seen.push(label.clone());
                    out.report(
                        expr_token_span(file, expr, label),
                        format!("`{} by ({label})` in `{}` keeps one series per `{label}` value", g.op, rule.name.value),
                    )
                    .help(format!(
                        "aggregate by a bounded label (service, route template, status class) and look `{label}` up in logs or traces instead"
                    ));
                }
            }
        });
    }
}

fn is_listed(label: &str, listed: &[String]) -> bool {
    listed.iter().any(|l| l.eq_ignore_ascii_case(label))
}
