use crate::model::prometheus::RuleFile;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::Unparsed;

/// An expression beyond andon's limits is not parsed (a parser over it would take minutes or
/// the stack), so no rule checks it; saying so keeps the skip from being silent.
pub struct TooComplexToCheck;

impl Rule for TooComplexToCheck {
    fn name(&self) -> &'static str {
        "andon/too-complex-to-check"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(rf) = file.model::<RuleFile>() else { return };
        for rule in rf.groups.iter().flat_map(|g| &g.rules) {
            let Some(expr) = &rule.expr else { continue };
            if let Err(Unparsed::TooComplex(why)) = expr.parsed() {
                out.report(
                    expr.span,
                    format!("`expr` of `{}` is too deeply nested to check: {why}", rule.name.value),
                )
                .help("split the expression into recording rules; andon checks nothing in it until then");
            }
        }
    }
}
