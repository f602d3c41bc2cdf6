//! Rules for Alertmanager configurations, and what they share: the config model of a file and
//! which integrations page a human.

mod config_schema_violation;
mod conflicting_fields;
mod critical_not_paged;
mod duplicate_receiver;
mod group_interval_out_of_range;
mod group_wait_out_of_range;
mod hardcoded_secret;
mod integration_missing_field;
mod invalid_matcher;
mod invalid_route;
mod invalid_time_interval;
mod receiver_without_integration;
mod repeat_interval_out_of_range;
mod route_matches_no_alert;
mod route_without_group_by;
mod undefined_receiver;
mod undefined_time_interval;
mod unreferenced_receiver;

use super::prometheus::{DurationRange, OutOfRange};
use super::{Rule, Sink};
use crate::model::alertmanager::{AmConfig, Route};
use crate::model::prometheus::Spanned;
use crate::model::File;
use crate::syntax::promql::format_duration;
use std::sync::Arc;

/// This kind's rules, one sorted line each.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &critical_not_paged::CriticalNotPaged,
        &config_schema_violation::ConfigSchemaViolation,
        &conflicting_fields::ConflictingFields,
        &duplicate_receiver::DuplicateReceiver,
        &group_interval_out_of_range::GroupIntervalOutOfRange,
        &group_wait_out_of_range::GroupWaitOutOfRange,
        &hardcoded_secret::HardcodedSecret,
        &integration_missing_field::IntegrationMissingField,
        &invalid_matcher::InvalidMatcher,
        &invalid_route::InvalidRoute,
        &invalid_time_interval::InvalidTimeInterval,
        &receiver_without_integration::ReceiverWithoutIntegration,
        &repeat_interval_out_of_range::RepeatIntervalOutOfRange,
        &route_matches_no_alert::RouteMatchesNoAlert,
        &route_without_group_by::RouteWithoutGroupBy,
        &undefined_receiver::UndefinedReceiver,
        &undefined_time_interval::UndefinedTimeInterval,
        &unreferenced_receiver::UnreferencedReceiver,
    ]
}

pub(crate) fn config(file: &File) -> Option<Arc<AmConfig>> {
    file.model::<AmConfig>()
}

/// One of a route's notification timings (`group_wait`, `group_interval`, `repeat_interval`)
/// and what a value outside the rule's range does.
pub(crate) struct RouteTiming {
    pub key: &'static str,
    pub value: fn(&Route) -> Option<&Spanned>,
    pub too_short: &'static str,
    pub too_long: &'static str,
    /// Alertmanager's default, for the help line.
    pub default: &'static str,
}

/// Reports every route of the file that sets `timing` outside the rule's `min`/`max` options,
/// at the value. Child routes inherit their parent's timing, so only written values count.
pub(crate) fn check_route_timing(file: &File, out: &mut Sink, timing: &RouteTiming) {
    let range: DurationRange = out.options();
    let Some(cfg) = config(file) else { return };
    let Some(root) = &cfg.route else { return };
    root.walk(&mut |r| {
        let Some(v) = (timing.value)(r) else { return };
        let problem = match range.check(&v.value) {
            Some(OutOfRange::Below(min)) => format!("below {}: {}", format_duration(min), timing.too_short),
            Some(OutOfRange::Above(max)) => format!("above {}: {}", format_duration(max), timing.too_long),
            None => return,
        };
        out.report(v.span, format!("{} {} is {problem}", timing.key, v.value)).help(format!(
            "set {} within {} ({} is Alertmanager's default)",
            timing.key,
            range.describe(),
            timing.default
        ));
    });
}
