use super::{compose, service_named, Named};
use crate::diagnostic::{Edit, Fix};
use crate::model::compose::{Dependency, Service};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::source::Span;
use std::collections::BTreeMap;

/// `depends_on` a service with a healthcheck, without waiting for it to be healthy: the service
/// starts while its database is still initialising.
pub struct DependsOnNotHealthy;

impl Rule for DependsOnNotHealthy {
    fn name(&self) -> &'static str {
        "compose/depends-on-not-healthy"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        // Services that merge one anchor (`<<: *defaults`) share its `depends_on` entries: each
        // written entry is reported once, naming every service it holds back.
        let mut failing: BTreeMap<Span, (&Dependency, Named, Vec<&str>)> = BTreeMap::new();
        // Whether every dependency that shares a `condition:` node may wait for health: only
        // then can that node be rewritten.
        let mut condition_fixable: BTreeMap<Span, bool> = BTreeMap::new();
        for s in &compose.services {
            for d in &s.depends_on {
                let target = service_named(file, out, &d.service);
                let waits = target.as_ref().is_some_and(|t| waits_too_little(&t.service, d));
                if let Some(c) = &d.condition {
                    *condition_fixable.entry(c.span).or_insert(true) &= waits;
                }
                let Some(target) = target.filter(|_| waits) else { continue };
                failing.entry(d.span).or_insert_with(|| (d, target, Vec::new())).2.push(&s.name);
            }
        }
        for (span, (d, Named { service: target, here }, services)) in failing {
            let fixable = d.condition.as_ref().is_none_or(|c| condition_fixable.get(&c.span) == Some(&true));
            let report = out
                .report(
                    span,
                    format!(
                        "{} as soon as `{}` starts, not when it is healthy",
                        who_starts(&services),
                        d.service
                    ),
                )
                .help("use the long form with `condition: service_healthy`")
                .fix_opt(wait_for_healthy(d).filter(|_| fixable));
            // A label points into this file: a healthcheck written elsewhere is not shown.
            if let Some(h) = target.healthcheck.as_ref().filter(|_| here && !target.from_base.healthcheck) {
                report.label(h.key_span, "its healthcheck");
            }
        }
    }
}

/// "service `web` starts", or "services `web`, `worker` and 3 more start".
fn who_starts(services: &[&str]) -> String {
    let named: Vec<String> = services.iter().take(3).map(|s| format!("`{s}`")).collect();
    match services.len() {
        1 => format!("service {} starts", named.join("")),
        2 | 3 => {
            let (last, rest) = named.split_last().map_or((String::new(), &[][..]), |(l, r)| (l.clone(), r));
            format!("services {} and {last} start", rest.join(", "))
        }
        n => format!("services {} and {} more start", named.join(", "), n - 3),
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
