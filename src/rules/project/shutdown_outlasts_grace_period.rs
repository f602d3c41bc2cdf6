use crate::model::project::{At, Graph, Runtime, SetVar};
use crate::rules::appconfig::each_setting;
use crate::rules::{Project, Rule, Sink};
use crate::syntax::promql::parse_duration;
use std::time::Duration;

/// The application is told to take longer to shut down than the runtime waits after SIGTERM:
/// a `SHUTDOWN_TIMEOUT` of 60 s under Kubernetes' default 30 s grace period is cut short by
/// SIGKILL, with requests still in flight.
pub struct ShutdownOutlastsGracePeriod;

impl Rule for ShutdownOutlastsGracePeriod {
    fn name(&self) -> &'static str {
        "project/shutdown-outlasts-grace-period"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let g = project.graph();
        for runtime in g.every_runtime() {
            let Some((grace, setting)) = grace_period(&runtime) else { continue };
            let mut timeouts = env_timeouts(g, &runtime);
            timeouts.extend(config_timeouts(project, &runtime));
            for (name, timeout, at) in timeouts {
                if timeout < grace {
                    continue;
                }
                let (who, how) = match runtime {
                    Runtime::Compose(s) => (format!("service `{}`", s.name), "stop_grace_period"),
                    Runtime::Kube(c) => (c.object.clone(), "terminationGracePeriodSeconds"),
                };
                let report = out.report_in(
                    &at.path,
                    at.span,
                    format!(
                        "{name} gives the application {} s to shut down, but {who} is killed {} s after SIGTERM ({how}{})",
                        timeout.as_secs_f64(),
                        grace.as_secs_f64(),
                        if setting.is_some() { "" } else { " by default" }
                    ),
                );
                let report = match &setting {
                    Some(grace_at) if grace_at.path == at.path => report.label(grace_at.span, "the grace period"),
                    _ => report,
                };
                report.help(format!(
                    "raise {how} above the application's shutdown timeout (with a few seconds to spare), or shorten the timeout"
                ));
            }
        }
    }
}

/// A shutdown timeout the application is given: (what sets it, how long, where).
type Timeout = (String, Duration, At);

/// Shutdown timeouts in the variables the runtime's process sees.
fn env_timeouts(g: &Graph, runtime: &Runtime) -> Vec<Timeout> {
    shutdown_vars(g, runtime)
        .into_iter()
        .filter_map(|var| Some((var.name.clone(), duration_of(&var.name, var.value.as_deref()?)?, var.at.clone())))
        .collect()
}

/// Shutdown timeouts in the production app configs the runtime reads (mounted, or copied into
/// its image).
fn config_timeouts(project: &Project, runtime: &Runtime) -> Vec<Timeout> {
    let mut out = Vec::new();
    for file in project.configs_of(runtime) {
        each_setting(file, |setting| {
            let key = setting.path.join(".");
            if !is_shutdown_timeout(&key.replace(['.', '-'], "_")) {
                return;
            }
            if let Some(timeout) = setting.text().and_then(|t| duration_of(&setting.name().replace('-', "_"), &t)) {
                let at = At {
                    path: file.path().to_string(),
                    span: setting.value.span,
                };
                out.push((format!("`{key}` in {}", file.path()), timeout, at));
            }
        });
    }
    out
}

/// The time the runtime waits after SIGTERM before SIGKILL, and where it is set (`None`: the
/// default, 10 s for Compose and 30 s for Kubernetes).
fn grace_period(runtime: &Runtime) -> Option<(Duration, Option<At>)> {
    match runtime {
        Runtime::Compose(s) => match &s.stop_grace_period {
            Some((text, at)) => Some((parse_duration(text)?, Some(at.clone()))),
            None => Some((Duration::from_secs(10), None)),
        },
        Runtime::Kube(c) => match &c.grace_period {
            Some((secs, at)) => Some((Duration::from_secs(u64::try_from(*secs).ok()?), Some(at.clone()))),
            None => Some((Duration::from_secs(30), None)),
        },
    }
}

/// The shutdown-timeout variables the runtime's process sees: its own, and the `ENV` of the
/// repository image it runs that it does not override.
fn shutdown_vars<'g>(g: &'g Graph, runtime: &Runtime<'g>) -> Vec<&'g SetVar> {
    let own = runtime.env();
    let inherited = g
        .image_run_by(runtime)
        .map(|i| i.env.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|v| !own.iter().any(|o| o.name == v.name));
    own.iter().chain(inherited).filter(|v| is_shutdown_timeout(&v.name)).collect()
}

/// `SHUTDOWN_TIMEOUT`, `GRACEFUL_SHUTDOWN_TIMEOUT`, `SERVER_SHUTDOWN_GRACE_PERIOD`,
/// `SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE` and the like.
fn is_shutdown_timeout(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    n.contains("SHUTDOWN") && ["TIMEOUT", "GRACE", "PERIOD", "WAIT"].iter().any(|w| n.contains(w))
}

/// The duration a value gives: with a unit (`45s`, `1m30s`), or a plain number when the name
/// says the unit (`…_SECONDS`, `…_MS`). A plain number with no unit is not judged.
fn duration_of(name: &str, value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(n) = value.parse::<u64>() {
        let n_upper = name.to_ascii_uppercase();
        return if n_upper.ends_with("_MS") || n_upper.ends_with("_MILLIS") || n_upper.ends_with("_MILLISECONDS") {
            Some(Duration::from_millis(n))
        } else if n_upper.ends_with("_SECONDS") || n_upper.ends_with("_SECS") || n_upper.ends_with("_SEC") || n_upper.ends_with("_S") {
            Some(Duration::from_secs(n))
        } else {
            None
        };
    }
    parse_duration(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_names() {
        assert_eq!(duration_of("SHUTDOWN_TIMEOUT", "45s"), Some(Duration::from_secs(45)));
        assert_eq!(duration_of("SHUTDOWN_TIMEOUT", "1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(duration_of("SHUTDOWN_TIMEOUT", "45"), None);
        assert_eq!(duration_of("SHUTDOWN_TIMEOUT_SECONDS", "45"), Some(Duration::from_secs(45)));
        assert_eq!(duration_of("SHUTDOWN_TIMEOUT_MS", "45000"), Some(Duration::from_secs(45)));
        assert!(is_shutdown_timeout("spring_lifecycle_timeout_per_shutdown_phase"));
        assert!(!is_shutdown_timeout("REQUEST_TIMEOUT"));
    }
}
