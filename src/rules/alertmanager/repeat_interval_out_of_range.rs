use super::{check_route_timing, RouteTiming};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A firing alert is re-sent every `repeat_interval`: too short and the same page arrives every
/// few minutes until people mute it; too long and a forgotten incident is never recalled.
pub struct RepeatIntervalOutOfRange;

impl Rule for RepeatIntervalOutOfRange {
    fn name(&self) -> &'static str {
        "alertmanager/repeat-interval-out-of-range"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        check_route_timing(
            file,
            out,
            &RouteTiming {
                key: "repeat_interval",
                value: |r| r.repeat_interval.as_ref(),
                too_short: "the same notification arrives again and again",
                too_long: "a forgotten incident is not recalled for days",
                default: "4h",
            },
        );
    }
}
