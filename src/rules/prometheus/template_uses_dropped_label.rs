use super::{each_alert, template_place};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::{output_labels, template_label_uses, LabelSet};

/// `$labels` in an alert's templates holds the labels of the series the expression returns: a
/// label the expression aggregates away (`sum by (job)` then `$labels.instance`) renders as an
/// empty string in every notification.
pub struct TemplateUsesDroppedLabel;

impl Rule for TemplateUsesDroppedLabel {
    fn name(&self) -> &'static str {
        "prometheus/template-uses-dropped-label"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_alert(file, &mut |rule| {
            let Some(expr) = &rule.expr else { return };
            let Ok(parsed) = expr.parsed() else { return };
            let labels = output_labels(parsed);
            for pair in rule.labels.iter().chain(&rule.annotations) {
                for used in template_label_uses(&pair.value) {
                    if labels.has(&used.name) || used.name == "__name__" {
                        continue;
                    }
                    let span = template_place(file, pair, used.offset, used.name.len());
                    out.report(
                        span,
                        format!(
                            "`{}` in `{}` of `{}` is always empty: {}",
                            used.name,
                            pair.name,
                            rule.name.value,
                            why(&labels, &used.name)
                        ),
                    )
                    .help(format!(
                        "keep `{}` in the expression's result (add it to `by (…)` or `on (…)`), or drop it from the template",
                        used.name
                    ));
                }
            }
        });
    }
}

fn why(labels: &LabelSet, name: &str) -> String {
    match labels {
        LabelSet::Only(kept) if kept.is_empty() => "the expression's result has no labels".to_string(),
        LabelSet::Only(kept) => {
            let kept: Vec<String> = kept.iter().map(|k| format!("`{k}`")).collect();
            format!("the expression's result keeps only {}", kept.join(", "))
        }
        LabelSet::AllBut(_) => format!("the expression removes `{name}`"),
    }
}
