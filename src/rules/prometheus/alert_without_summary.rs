use super::each_alert;
use crate::model::prometheus::PromRule;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A notification without `summary` and `description` says only the alert's name.
pub struct AlertWithoutSummary;

impl Rule for AlertWithoutSummary {
    fn name(&self) -> &'static str {
        "prometheus/alert-without-summary"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_alert(file, &mut |rule| {
            let missing = missing_annotations(rule);
            if missing.is_empty() {
                return;
            }
            out.report(
                rule.name.span,
                format!(
                    "alert `{}` has no {} annotation",
                    rule.name.value,
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            )
            .help("add `summary` (one line: what is wrong) and `description` (values, affected target, impact) so the notification can be acted on");
        });
    }
}

/// `message` is the older spelling of a description (kube-prometheus mixins use it).
fn missing_annotations(rule: &PromRule) -> Vec<&'static str> {
    let mut out = Vec::new();
    if rule.annotation("summary").is_none() {
        out.push("summary");
    }
    if rule.annotation("description").is_none() && rule.annotation("message").is_none() {
        out.push("description");
    }
    out
}
