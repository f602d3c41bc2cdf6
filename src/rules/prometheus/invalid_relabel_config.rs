use super::prom_config;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::label_regex_error;

/// Relabelling steps Prometheus cannot load: a regex that does not compile or an action it does
/// not know make it refuse the whole configuration.
pub struct InvalidRelabelConfig;

/// Prometheus's relabel actions (case-insensitive since 2.x).
const ACTIONS: &[&str] = &[
    "replace",
    "keep",
    "drop",
    "keepequal",
    "dropequal",
    "hashmod",
    "labelmap",
    "labeldrop",
    "labelkeep",
    "lowercase",
    "uppercase",
];

impl Rule for InvalidRelabelConfig {
    fn name(&self) -> &'static str {
        "prometheus/invalid-relabel-config"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = prom_config(file) else { return };
        for step in &cfg.relabels {
            if let Some(regex) = step.regex.as_ref().filter(|r| !r.value.is_empty()) {
                if let Some(reason) = label_regex_error(&regex.value) {
                    out.report(regex.span, format!("relabel regex `{}` does not compile: {reason}", regex.value))
                        .help("write an RE2 regex (no look-around, no backreferences); Prometheus refuses the configuration");
                }
            }
            if let Some(action) = &step.action {
                if !ACTIONS.contains(&action.value.to_ascii_lowercase().as_str()) {
                    out.report(action.span, format!("relabel action `{}` does not exist", action.value))
                        .help(format!("use one of {}", ACTIONS.join(", ")));
                }
            }
        }
    }
}
