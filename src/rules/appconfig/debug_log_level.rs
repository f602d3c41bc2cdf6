use super::each_setting;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A production config that logs at debug or trace.
pub struct DebugLogLevel;

impl Rule for DebugLogLevel {
    fn name(&self) -> &'static str {
        "appconfig/debug-log-level"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_setting(file, |s| {
            let Some(value) = s.value.as_str() else { return };
            let level = value.trim().to_ascii_lowercase();
            if is_level_setting(&s.path) && matches!(level.as_str(), "debug" | "trace" | "all") {
                out.report(
                    s.value.span,
                    format!("`{}` logs at {level} in a production config", s.path.join(".")),
                )
                .help("log at info (or warn) in production");
            }
        });
    }
}

/// `log_level`, `loglevel`, or `level` under a `log`/`logging`/`logger` section.
fn is_level_setting(path: &[String]) -> bool {
    let Some(name) = path.last() else {
        return false;
    };
    let in_logging = path[..path.len() - 1]
        .iter()
        .any(|p| matches!(p.as_str(), "log" | "logs" | "logging" | "logger" | "tracing"));
    matches!(name.as_str(), "log_level" | "loglevel" | "log-level" | "logging_level")
        || (in_logging && matches!(name.as_str(), "level" | "default" | "root"))
}
