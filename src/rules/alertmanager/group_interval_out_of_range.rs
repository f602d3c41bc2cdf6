use super::{check_route_timing, RouteTiming};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// `group_interval` is how long a group waits before notifying about alerts added to it: too
/// short and a growing incident sends a notification every few seconds, too long and new
/// failures in an ongoing incident go unnoticed.
pub struct GroupIntervalOutOfRange;

impl Rule for GroupIntervalOutOfRange {
    fn name(&self) -> &'static str {
        "alertmanager/group-interval-out-of-range"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        check_route_timing(
            file,
            out,
            &RouteTiming {
                key: "group_interval",
                value: |r| r.group_interval.as_ref(),
                too_short: "a growing incident sends a notification every few seconds",
                too_long: "alerts added to an ongoing incident are notified late",
                default: "5m",
            },
        );
    }
}
