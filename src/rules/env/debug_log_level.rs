use super::{literal_values, where_set};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Debug or trace logging in production: log volume, cost, and secrets or personal data in logs.
pub struct DebugLogLevel;

impl Rule for DebugLogLevel {
    fn name(&self) -> &'static str {
        "env/debug-log-level"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for v in literal_values(file) {
            if let Some(what) = verbose_level(&v.key, &v.effective) {
                out.report(v.value_span, format!("`{}` {what}{}", v.key, where_set(&v)))
                    .help("log at info (or warn) in production; raise the level for one module, for a limited time, when debugging");
            }
        }
    }
}

/// What a log-level variable turns on, when it is debug or trace.
fn verbose_level(key: &str, value: &str) -> Option<String> {
    let key = key.to_ascii_uppercase();
    let value = value.trim().to_ascii_lowercase();
    let verbose = |l: &str| matches!(l.trim(), "debug" | "trace" | "all" | "verbose");
    if key == "RUST_LOG" || key.ends_with("_RUST_LOG") {
        // `info,my_crate=debug,tower=trace`: the first verbose directive is named.
        return value.split(',').find_map(|d| match d.split_once('=') {
            Some((target, level)) if verbose(level) => Some(format!("logs `{}` at {}", target.trim(), level.trim())),
            None if verbose(d) => Some(format!("logs everything at {}", d.trim())),
            _ => None,
        });
    }
    let is_level_key = matches!(key.as_str(), "LOG_LEVEL" | "LOGLEVEL" | "LOGGING_LEVEL" | "LEVEL")
        || key.ends_with("_LOG_LEVEL")
        || key.ends_with("_LOGLEVEL")
        || key.ends_with("_LOGGING_LEVEL")
        || key.starts_with("LOGGING_LEVEL_");
    (is_level_key && verbose(&value)).then(|| format!("sets the log level to {value}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert!(verbose_level("RUST_LOG", "info,pmcp=debug").is_some());
        assert!(verbose_level("RUST_LOG", "info").is_none());
        assert!(verbose_level("RUST_LOG", "trace").is_some());
        assert!(verbose_level("LOG_LEVEL", "DEBUG").is_some());
        assert!(verbose_level("APP_LOG_LEVEL", "warn").is_none());
        assert!(verbose_level("DEBUG_PORT", "debug").is_none());
    }
}
