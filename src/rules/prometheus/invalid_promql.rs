use super::rule_file;
use crate::model::prometheus::RuleExpr;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::Unparsed;

/// An expression Prometheus cannot parse makes it refuse the whole rule file at load or reload.
pub struct InvalidPromql;

impl Rule for InvalidPromql {
    fn name(&self) -> &'static str {
        "prometheus/invalid-promql"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(rf) = rule_file(file) else { return };
        for rule in rf.groups.iter().flat_map(|g| &g.rules) {
            let Some(expr) = &rule.expr else { continue };
            if let Err(message) = check(expr) {
                out.report(expr.span, format!("`expr` of `{}` is not valid PromQL: {message}", rule.name.value))
                    .help("fix the expression (`promtool check rules` shows the same error); Prometheus refuses the whole file until then");
            }
        }
    }
}

/// The parser's complaint; an expression beyond andon's limits is andon/too-complex-to-check's.
fn check(expr: &RuleExpr) -> Result<(), &str> {
    if expr.text.trim().is_empty() {
        return Err("the expression is empty");
    }
    match expr.parsed() {
        Err(Unparsed::Invalid(message)) => Err(message),
        Ok(_) | Err(Unparsed::TooComplex(_)) => Ok(()),
    }
}
