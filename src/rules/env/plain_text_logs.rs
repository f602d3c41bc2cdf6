use super::report_matching_vars;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Logs chosen to be plain text (`LOG_FORMAT=pretty`) where a log pipeline wants JSON.
pub struct PlainTextLogs;

impl Rule for PlainTextLogs {
    fn name(&self) -> &'static str {
        "env/plain-text-logs"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        report_matching_vars(file, out, plain_log_format, "writes plain-text logs", HELP);
    }
}

pub(crate) const HELP: &str =
    "log JSON in production (e.g. LOG_FORMAT=json) so the log pipeline can parse fields, filter by level and follow request ids";

/// A setting (an environment variable, or a config key path joined with `_`) that explicitly
/// chooses a human-oriented log format: a log format/encoding/style key set to `text`,
/// `plain`, `pretty`, `console`, `human`, `compact` or `full`, or a JSON switch of the logs
/// set to false. `logfmt` is structured and not judged; nor is a format string
/// (`$remote_addr - …`), nor anything not about logs.
pub(crate) fn plain_log_format(name: &str, value: &str) -> bool {
    let name = name.to_ascii_lowercase().replace(['-', '.'], "_");
    let value = value.trim().to_ascii_lowercase();
    if !name.contains("log") {
        return false;
    }
    let format_key = ["format", "encoding", "formatter", "style", "output_format"].iter().any(|k| {
        name.ends_with(&format!("log_{k}"))
            || name.ends_with(&format!("logs_{k}"))
            || name.ends_with(&format!("logging_{k}"))
            || name.ends_with(&format!("logger_{k}"))
    });
    let json_switch = ["json", "json_format", "json_logs", "log_json", "logs_json"]
        .iter()
        .any(|k| name.ends_with(&format!("_{k}")) || name == *k);
    (format_key
        && matches!(
            value.as_str(),
            "text" | "plain" | "plaintext" | "pretty" | "console" | "human" | "compact" | "full"
        ))
        || (json_switch && value == "false")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_formats() {
        assert!(plain_log_format("LOG_FORMAT", "pretty"));
        assert!(plain_log_format("APP_LOG_FORMAT", "text"));
        assert!(plain_log_format("logging_format", "console"));
        assert!(plain_log_format("logging_json_format", "false"));
        assert!(!plain_log_format("logging_json_format", "true"));
        assert!(!plain_log_format("LOG_FORMAT", "json"));
        assert!(!plain_log_format("LOG_FORMAT", "logfmt"));
        assert!(!plain_log_format("OUTPUT_FORMAT", "text"));
        assert!(!plain_log_format("LOG_FORMAT", "$remote_addr - $request"));
    }
}
