use super::{compose, service_named, Named};
use crate::diagnostic::{Edit, Fix};
use crate::model::compose::{Dependency, Service};
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
        let Some(compose) = compose(file, out) else { return };
        for s in &compose.services {
            for d in &s.depends_on {
                let Some(Named { service: target, here }) = service_named(file, out, &d.service) else {
                    continue;
                };
                if !waits_too_little(&target, d) {
                    continue;
                }
                let report = out
                    .report(
                        d.span,
                        format!(
                            "service `{}` starts as soon as `{}` starts, not when it is healthy",
                            s.name, d.service
                        ),
                    )
                    .help("use the long form with `condition: service_healthy`")
                    .fix_opt(wait_for_healthy(d));
                // A label points into this file: a healthcheck written elsewhere is not shown.
                if let Some(h) = target.healthcheck.as_ref().filter(|_| here && !target.from_base.healthcheck) {
                    report.label(h.key_span, "its healthcheck");
                }
            }
        }
    }
}

/// The dependency `target` has a healthcheck, and the condition does not wait for it.
fn waits_too_little(target: &Service, d: &Dependency) -> bool {
    let has_healthcheck = target.healthcheck.as_ref().is_some_and(|h| !h.disabled);
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
