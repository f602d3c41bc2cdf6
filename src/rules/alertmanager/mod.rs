//! Rules for Alertmanager configurations, and what they share: the config model of a file and
//! which integrations page a human.

mod critical_not_paged;
mod hardcoded_secret;
mod receiver_without_integration;
mod repeat_interval_out_of_range;
mod route_without_group_by;
mod undefined_receiver;
mod unreferenced_receiver;

use super::Rule;
use crate::model::alertmanager::AmConfig;
use crate::model::File;
use std::sync::Arc;

/// This kind's rules, one sorted line each.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &critical_not_paged::CriticalNotPaged,
        &hardcoded_secret::HardcodedSecret,
        &receiver_without_integration::ReceiverWithoutIntegration,
        &repeat_interval_out_of_range::RepeatIntervalOutOfRange,
        &route_without_group_by::RouteWithoutGroupBy,
        &undefined_receiver::UndefinedReceiver,
        &unreferenced_receiver::UnreferencedReceiver,
    ]
}

pub(crate) fn config(file: &File) -> Option<Arc<AmConfig>> {
    file.model::<AmConfig>()
}
