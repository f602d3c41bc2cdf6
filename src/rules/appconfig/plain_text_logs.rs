use super::report_matching_settings;
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
        report_matching_settings(file, out, plain_log_format, "writes plain-text logs", PLAIN_LOGS_HELP);
    }
}
