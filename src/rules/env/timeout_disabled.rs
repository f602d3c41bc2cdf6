use super::report_matching_vars;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A timeout set to 0 (or -1): in most servers, clients and databases, no limit at all.
pub struct TimeoutDisabled;

impl Rule for TimeoutDisabled {
    fn name(&self) -> &'static str {
        "env/timeout-disabled"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        report_matching_vars(
            file,
            out,
            disables_timeout,
            "turns the timeout off: a stuck peer holds the request, connection or worker forever",
            HELP,
        );
    }
}

pub(crate) const HELP: &str = "set a bounded timeout (seconds for requests and queries, tens of seconds for connections), as long as the slowest legitimate operation and no longer";

/// A timeout setting (an environment variable, or a config key path joined with `_`) set to
/// 0 or -1, with or without a unit (`0s`, `0ms`), which most software reads as "no timeout".
/// Keep-alive, linger, shutdown and grace settings are not judged: there 0 means "do not
/// wait", another decision; nor are retry/backoff and TTL settings.
pub(crate) fn disables_timeout(name: &str, value: &str) -> bool {
    let name = name.to_ascii_lowercase().replace(['-', '.'], "_");
    let leaf = name
        .rsplit('_')
        .find(|w| !matches!(*w, "ms" | "millis" | "s" | "sec" | "secs" | "seconds"))
        .unwrap_or("");
    let is_timeout = leaf == "timeout" || leaf.ends_with("timeout");
    let other_meaning = ["keepalive", "keep_alive", "linger", "shutdown", "grace", "retry", "backoff", "ttl"]
        .iter()
        .any(|w| name.contains(w));
    if !is_timeout || other_meaning {
        return false;
    }
    let value = value.trim().to_ascii_lowercase();
    let number = value.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &value[number.len()..];
    matches!(unit, "" | "ms" | "s" | "m" | "h") && matches!(number.parse::<f64>(), Ok(n) if n == 0.0 || n == -1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disabled_timeouts() {
        assert!(disables_timeout("GUNICORN_TIMEOUT", "0"));
        assert!(disables_timeout("database_statement_timeout", "0"));
        assert!(disables_timeout("server_read_timeout", "0s"));
        assert!(disables_timeout("REQUEST_TIMEOUT_MS", "-1"));
        assert!(!disables_timeout("REQUEST_TIMEOUT_MS", "30000"));
        assert!(!disables_timeout("KEEPALIVE_TIMEOUT", "0"));
        assert!(!disables_timeout("server_shutdown_timeout", "0"));
        assert!(!disables_timeout("TIMEOUT_RETRIES", "0"));
        assert!(!disables_timeout("timeout", ""));
        assert!(!disables_timeout("read_timeout", "0x"));
    }
}
