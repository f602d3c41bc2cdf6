use super::compose;
use crate::diagnostic::{Edit, Fix};
use crate::model::compose::{ComposeFile, Dependency};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// `depends_on` a service with a healthcheck, without waiting for it to be healthy: the service
/// starts while its database is still initialising.
pub struct DependsOnNotHealthy;

impl Rule for DependsOnNotHealthy {
    fn name(&self) -> &'static str {
        "compose/depends-on-not-healthy"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file) else { return };
        for s in &compose.services {
            for d in s.depends_on.iter().filter(|d| waits_too_little(&compose, d)) {
                out.report(
                    d.span,
                    format!(
                        "service `{}` starts as soon as `{}` starts, not when it is healthy",
                        s.name, d.service
                    ),
                )
                .label(
                    compose
                        .services
                        .iter()
                        .find(|o| o.name == d.service)
                        .and_then(|o| o.healthcheck.as_ref())
                        .map_or(d.span, |h| h.key_span),
                    "its healthcheck",
                )
                .help("use the long form with `condition: service_healthy`")
                .fix_opt(wait_for_healthy(d));
            }
        }
    }
}

/// The dependency has a healthcheck, and the condition does not wait for it.
fn waits_too_little(compose: &ComposeFile, d: &Dependency) -> bool {
    let has_healthcheck = compose
        .services
        .iter()
        .find(|o| o.name == d.service)
        .and_then(|o| o.healthcheck.as_ref())
        .is_some_and(|h| !h.disabled);
    let condition = d.condition.as_ref().map(|c| c.value.as_str());
    has_healthcheck && matches!(condition, None | Some("service_started"))
}

/// Rewrites `condition: service_started`. Unsafe: start-up now waits, and fails when the
/// dependency never becomes healthy.
fn wait_for_healthy(d: &Dependency) -> Option<Fix> {
    let c = d.condition.as_ref()?;
    Some(Fix::unsafe_(
        "wait for the dependency to be healthy",
        vec![Edit {
            span: c.span,
            replacement: "service_healthy".to_string(),
        }],
    ))
}
