//! Rules for environment variables, whatever sets them (`.env` files, Compose `environment:`,
//! and through the model's hooks Kubernetes `env:` and Dockerfile `ENV`), and the secret
//! policy that application-config rules share.

mod debug_log_level;
mod full_trace_sampling;
mod hardcoded_secret;
mod path_not_mounted;
mod plain_text_logs;
mod plaintext_connection;
mod rust_backtrace;
pub(crate) mod secrets;
mod timeout_disabled;

pub(crate) use full_trace_sampling::{samples_every_trace, HELP as TRACE_SAMPLING_HELP};
pub(crate) use plain_text_logs::{plain_log_format, HELP as PLAIN_LOGS_HELP};
pub(crate) use plaintext_connection::plaintext;
pub(crate) use timeout_disabled::{disables_timeout, HELP as TIMEOUT_HELP};

use super::{Rule, Sink};
use crate::model::env::{is_template_dotenv, EnvSource, EnvVar, EnvVars, ValueKind};
use crate::model::File;

/// This kind's rules, one sorted line each.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &debug_log_level::DebugLogLevel,
        &full_trace_sampling::FullTraceSampling,
        &hardcoded_secret::HardcodedSecret,
        &path_not_mounted::PathNotMounted,
        &plain_text_logs::PlainTextLogs,
        &plaintext_connection::PlaintextConnection,
        &rust_backtrace::RustBacktrace,
        &timeout_disabled::TimeoutDisabled,
    ]
}

/// Every variable `file` sets with a value written in the file (literal, or a default), except
/// in `.env` templates (`.env.example`, `.env.local`, …), whose values never reach production.
pub(crate) fn literal_vars(file: &File) -> Vec<EnvVar> {
    if file.kind == crate::kind::FileKind::DotEnv && is_template_dotenv(file.path()) {
        return Vec::new();
    }
    file.model::<EnvVars>()
        .map(|m| {
            m.vars
                .iter()
                .filter(|v| matches!(v.kind, ValueKind::Literal | ValueKind::Defaulted))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// `literal_vars` for checks that judge the value alone: a value several services share
/// through a YAML anchor is written once, so it comes once (with the first service that uses
/// it) and is not reported again at the same place for each service.
pub(crate) fn literal_values(file: &File) -> Vec<EnvVar> {
    let mut seen = std::collections::HashSet::new();
    literal_vars(file)
        .into_iter()
        .filter(|v| seen.insert((v.key.clone(), v.value_span)))
        .collect()
}

/// "in service `api`" / "in this .env file", for messages.
pub(crate) fn where_set(v: &EnvVar) -> String {
    match &v.source {
        EnvSource::Compose { service } => format!(" in service `{service}`"),
        EnvSource::Kubernetes { container } => format!(" in container `{container}`"),
        EnvSource::DotEnv | EnvSource::Dockerfile => String::new(),
    }
}

/// Reports each literal variable of `file` that `matches(key, value)` judges, as
/// "`KEY=value` in service `api` {what}". For checks whose values are settings, never secrets.
pub(crate) fn report_matching_vars(file: &File, out: &mut Sink, matches: fn(&str, &str) -> bool, what: &str, help: &str) {
    for v in literal_values(file) {
        if matches(&v.key, &v.effective) {
            out.report(v.value_span, format!("`{}={}`{} {what}", v.key, v.effective.trim(), where_set(&v)))
                .help(help);
        }
    }
}
