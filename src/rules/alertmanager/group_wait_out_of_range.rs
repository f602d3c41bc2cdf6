use super::{check_route_timing, RouteTiming};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// `group_wait` is how long a new group waits for its siblings before the first notification:
/// at zero an outage sends one page per alert, too long and the first page of an incident is
/// late.
pub struct GroupWaitOutOfRange;

impl Rule for GroupWaitOutOfRange {
    fn name(&self) -> &'static str {
        "alertmanager/group-wait-out-of-range"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        check_route_timing(
            file,
            out,
            &RouteTiming {
                key: "group_wait",
                value: |r| r.group_wait.as_ref(),
                too_short: "alerts of one incident are not batched, each sends its own notification",
                too_long: "the first notification of an incident is held back",
                default: "30s",
            },
        );
    }
}
