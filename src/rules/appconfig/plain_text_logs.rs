use super::each_setting;
use crate::model::File;
use crate::rules::env::{plain_log_format, PLAIN_LOGS_HELP};
use crate::rules::{Rule, Sink};

/// A production config that chooses plain-text logs (`logging.format: pretty`,
/// `json_format = false`).
pub struct PlainTextLogs;

impl Rule for PlainTextLogs {
    fn name(&self) -> &'static str {
        "appconfig/plain-text-logs"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_setting(file, |s| {
            let Some(value) = s.value.as_scalar().map(|v| v.value.as_str()) else {
                return;
            };
            if plain_log_format(&s.path.join("_"), value) {
                out.report(s.value.span, format!("`{}` writes plain-text logs", s.path.join(".")))
                    .help(PLAIN_LOGS_HELP);
            }
        });
    }
}
