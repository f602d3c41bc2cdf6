use super::compose;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A healthcheck that succeeds whatever the service's state: `true`, `exit 0`, `--help`.
pub struct HealthcheckCannotFail;

impl Rule for HealthcheckCannotFail {
    fn name(&self) -> &'static str {
        "compose/healthcheck-cannot-fail"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        // A healthcheck taken from an `extends:` base is reported once, in the base.
        for s in compose.services.iter().filter(|s| !s.from_base.healthcheck) {
            let Some(test) = s.healthcheck.as_ref().and_then(|h| h.test.as_ref()) else {
                continue;
            };
            if let Some(why) = cannot_fail(&test.value) {
                out.report(test.span, format!("the healthcheck of service `{}` cannot fail: {why}", s.name))
                    .help("probe the service itself: an HTTP health endpoint, `pg_isready`, `redis-cli ping`");
            }
        }
    }
}

/// Why a `test:` always passes, if it does.
pub(crate) fn cannot_fail(words: &[String]) -> Option<&'static str> {
    let command: Vec<&str> = match words.first().map(String::as_str) {
        Some("CMD") | Some("CMD-SHELL") => words[1..].iter().map(String::as_str).collect(),
        Some("NONE") => return None,
        _ => words.iter().map(String::as_str).collect(),
    };
    let line = command.join(" ");
    let line = line.trim();
    let tokens: Vec<&str> = line.split_whitespace().collect();
    if matches!(line, "true" | "exit 0" | ":" | "/bin/true") {
        Some("it always succeeds")
    } else if tokens.iter().any(|t| matches!(*t, "--help" | "--version")) {
        Some("`--help`/`--version` succeed whether or not the server runs")
    } else if line.ends_with("|| true") || line.ends_with("|| exit 0") || line.ends_with("; exit 0") {
        Some("its failure is turned into success")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn cannot_fail_cases() {
        assert!(cannot_fail(&w(&["CMD", "true"])).is_some());
        assert!(cannot_fail(&w(&["CMD", "/app", "--help"])).is_some());
        assert!(cannot_fail(&w(&["CMD-SHELL", "curl -f localhost || exit 0"])).is_some());
        assert!(cannot_fail(&w(&["CMD-SHELL", "curl -f localhost || exit 1"])).is_none());
        assert!(cannot_fail(&w(&["CMD", "redis-cli", "ping"])).is_none());
    }
}
